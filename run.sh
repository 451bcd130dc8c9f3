#!/usr/bin/env bash
# Starts the whole platform locally on SQLite: a RabbitMQ node, the four services, the gateway, the web portal
# and the Aspire dashboard, with the demo world seeded on first start. Ctrl+C stops everything.
# Broker: ConnectionStrings__rabbitmq when set (external), else a container where a Docker engine runs,
# else a private rabbitmq-server node on 127.0.0.1:5680 with its data under .data/rabbitmq.
set -euo pipefail
cd "$(dirname "$0")"
. scripts/prerequisites.sh
ensure_dotnet
ensure_curl
if ! docker info >/dev/null 2>&1; then ensure_rabbitmq; fi

dotnet build deploy/CollabTraining.AppHost/CollabTraining.AppHost.csproj -nologo -clp:ErrorsOnly

# The launch profile's settings, set here so the app host runs as its own process and gets Ctrl+C directly.
export ASPNETCORE_ENVIRONMENT=Development DOTNET_ENVIRONMENT=Development \
  ASPNETCORE_URLS=http://localhost:18888 \
  ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL=http://localhost:18889 \
  ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL=http://localhost:18890 \
  ASPIRE_ALLOW_UNSECURED_TRANSPORT=true ASPIRE_DASHBOARD_UNSECURED_ALLOW_ANONYMOUS=true

# From its own folder, as `dotnet run` would: that is where its appsettings.json is read from.
(cd deploy/CollabTraining.AppHost && exec dotnet bin/Debug/net10.0/CollabTraining.AppHost.dll) &
apphost=$!
trap 'kill -TERM $apphost 2>/dev/null; wait $apphost' INT TERM

for _ in $(seq 1 180); do
  if curl -fsS http://localhost:5100/health >/dev/null 2>&1; then
    cat <<MSG

CollabTraining is up.
  Portal:     http://localhost:5100/       (sign in as a demo user)
  Gateway:    http://localhost:5100/api    (POST /auth/token {"userName":"coordinator@st-marys.demo"})
  API docs:   http://localhost:5100/docs/
  Dashboard:  http://localhost:18888       (traces, logs, metrics of every service)
  Health:     http://localhost:5100/health
Press Ctrl+C to stop.
MSG
    break
  fi
  if ! kill -0 $apphost 2>/dev/null; then echo "The app host stopped; see its output above." >&2; exit 1; fi
  sleep 1
done
wait $apphost
