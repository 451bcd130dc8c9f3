#!/usr/bin/env bash
# Starts a private RabbitMQ node from the Debian package (no Docker, no systemd), in the foreground.
#   private-node.sh NAME AMQP_PORT DIST_PORT DATA_DIR
# Every node gets its own name, ports and folder, so several can run beside each other (see docs/rabbitmq.md).
set -euo pipefail
name=$1 amqp_port=$2 dist_port=$3 dir=$(realpath -m "$4")
mkdir -p "$dir/mnesia" "$dir/log"
echo '[].' > "$dir/enabled_plugins"
cat > "$dir/rabbitmq.conf" <<CONF
listeners.tcp.default = 127.0.0.1:$amqp_port
loopback_users = none
CONF
export RABBITMQ_NODENAME="$name@localhost" RABBITMQ_NODE_PORT="$amqp_port" RABBITMQ_DIST_PORT="$dist_port" \
  RABBITMQ_MNESIA_BASE="$dir/mnesia" RABBITMQ_LOG_BASE="$dir/log" RABBITMQ_PID_FILE="$dir/node.pid" \
  RABBITMQ_ENABLED_PLUGINS_FILE="$dir/enabled_plugins" RABBITMQ_CONFIG_FILE="$dir/rabbitmq"
exec /usr/lib/rabbitmq/bin/rabbitmq-server
