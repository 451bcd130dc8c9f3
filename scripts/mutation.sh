#!/usr/bin/env bash
# Mutation testing of the domain code with dotnet-stryker (the repository's tool manifest), using the unit,
# integration and migration tests (not the end-to-end ones: too slow to run once per mutant).
#   scripts/mutation.sh                 every target in tests/mutation/*.json (school, hospitals, booking)
#   scripts/mutation.sh school booking  only those targets
#   MUTATION_QUICK=1 scripts/mutation.sh hospitals   unit tests only (one pass, a few minutes)
# Prints one score per domain folder and exits 1 when a folder is below 85% or has code no test covers.
#
# Two passes per target, because Stryker starts a test host per mutant and every integration test class
# starts a service in it (about 25 s a mutant for the matching code): first every mutant against the unit
# tests, then only the mutants still alive against the unit and integration tests (Stryker's --mutate
# character spans). A mutant the unit tests kill is killed in a full run too, so the merged score is the
# score of one run with every test. Reports: .data/mutation/<target>/{unit,integration}/reports (json + html)
# and the merged .data/mutation/<target>/mutation-report.json.
# It takes minutes (about 10-20 per target on two cores), so it stays out of CI.
set -uo pipefail
cd "$(dirname "$0")/.."
. scripts/prerequisites.sh
ensure_dotnet || exit 1
command -v python3 >/dev/null || { echo "python3 is needed to read Stryker's report." >&2; exit 1; }
dotnet tool restore >/dev/null || exit 1

targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  for config in tests/mutation/*.json; do targets+=("$(basename "$config" .json)"); done
fi

root=$(pwd)
unit_filter="FullyQualifiedName~CollabTraining.Tests.Unit"
status=0
stryker() { (cd tests/CollabTraining.Tests && dotnet stryker "$@"); }

for target in "${targets[@]}"; do
  config="$root/tests/mutation/$target.json"
  if [ ! -f "$config" ]; then echo "No target '$target' (tests/mutation/$target.json)." >&2; exit 2; fi
  output="$root/.data/mutation/$target"
  rm -rf "$output"
  mkdir -p "$output"
  echo "== $target: unit tests (log: .data/mutation/$target/unit.log)"
  if ! stryker --config-file "$config" --test-case-filter "$unit_filter" --output "$output/unit" >"$output/unit.log" 2>&1; then
    tail -n 20 "$output/unit.log"; echo "Stryker failed for $target."; status=1; continue
  fi
  report="$output/unit/reports/mutation-report.json"
  if [ -z "${MUTATION_QUICK:-}" ]; then
    project_root=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["projectRoot"])' "$report")
    mapfile -t alive < <(python3 scripts/mutation_report.py spans "$report" "$project_root")
    if [ ${#alive[@]} -gt 0 ]; then
      echo "== $target: the mutants still alive, with the integration tests too (log: .data/mutation/$target/integration.log)"
      args=()
      for pattern in "${alive[@]}"; do args+=(--mutate "$pattern"); done
      if ! stryker --config-file "$config" "${args[@]}" --output "$output/integration" >"$output/integration.log" 2>&1; then
        tail -n 20 "$output/integration.log"; echo "Stryker failed for $target."; status=1; continue
      fi
      python3 scripts/mutation_report.py merge "$report" "$output/integration/reports/mutation-report.json" "$output/mutation-report.json"
      report="$output/mutation-report.json"
    else
      cp "$report" "$output/mutation-report.json"
    fi
  fi
  python3 scripts/mutation_report.py scores "$report" "$target" || status=1
done
exit $status
