# Sourced by run.sh and test.sh: installs what a fresh Debian machine with only the .NET SDK lacks.
# A broker is needed unless one is named (RABBITMQ_URL for tests, ConnectionStrings__rabbitmq for runs).

ensure_rabbitmq() {
  if [ -n "${RABBITMQ_URL:-}${ConnectionStrings__rabbitmq:-}" ] || [ -x /usr/lib/rabbitmq/bin/rabbitmq-server ]; then
    return 0
  fi
  if ! command -v apt-get >/dev/null; then
    echo "rabbitmq-server is missing and there is no apt-get: install RabbitMQ, or set RABBITMQ_URL / ConnectionStrings__rabbitmq." >&2
    return 1
  fi
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "Installing rabbitmq-server (Debian package)..."
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq rabbitmq-server >/dev/null
  # The package tries to start its own service; private nodes are started per run instead (docs/rabbitmq.md).
}

ensure_curl() {
  command -v curl >/dev/null && return 0
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq curl >/dev/null
}

ensure_dotnet() {
  if ! command -v dotnet >/dev/null; then
    echo "The .NET 10 SDK is required (https://dot.net)." >&2
    return 1
  fi
  export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
}

# The portal's browser tests drive Debian's chromium (Playwright's own browser download is not reachable) with the
# CJK fonts its Chinese pages need. CHROMIUM_PATH names another browser binary instead.
ensure_chromium() {
  if [ -n "${CHROMIUM_PATH:-}" ] && [ -x "${CHROMIUM_PATH}" ]; then
    return 0
  fi
  if [ -x /usr/bin/chromium ] && [ -d /usr/share/fonts/opentype/noto ]; then
    return 0
  fi
  if ! command -v apt-get >/dev/null; then
    echo "chromium is missing and there is no apt-get: install Chromium and set CHROMIUM_PATH." >&2
    return 1
  fi
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "Installing chromium and CJK fonts (Debian packages)..."
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium fonts-noto-cjk >/dev/null
}
