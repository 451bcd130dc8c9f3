#!/usr/bin/env bash
# Runs every test: builds the solution with -warnaserror, then the unit, component (bUnit), integration, migration
# and end-to-end tests (a real RabbitMQ node, the services, the gateway and the portal as real processes, the portal
# driven by a headless Chromium; screenshots of each journey under .data/test-results/screenshots).
# Ends with one line: "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")"
. scripts/prerequisites.sh
ensure_dotnet || exit 1
ensure_rabbitmq || exit 1
ensure_chromium || exit 1

results=".data/test-results"
rm -rf "$results"
mkdir -p "$results"

if ! dotnet build CollabTraining.sln -c Release -warnaserror -warnnotaserror:NU1603 -nologo -clp:ErrorsOnly; then
  echo "The build failed."
  echo "0 passed, 1 failed"
  exit 1
fi

dotnet test tests/CollabTraining.Tests/CollabTraining.Tests.csproj -c Release --no-build -nologo \
  --logger "trx;LogFileName=results.trx" --logger "console;verbosity=normal" --results-directory "$results" "$@"
status=$?

trx="$results/results.trx"
if [ ! -f "$trx" ]; then
  echo "No test results were written."
  echo "0 passed, 1 failed"
  exit 1
fi
counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n1)
passed=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")
failed=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
echo "${passed:-0} passed, ${failed:-0} failed"
exit $status
