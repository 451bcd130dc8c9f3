#!/usr/bin/env bash
# Mutation testing of the domain code with dotnet-stryker (the repository's tool manifest), using the unit,
# integration and migration tests (not the end-to-end ones: too slow to run once per mutant).
#   scripts/mutation.sh                 every target in tests/mutation/*.json
#   scripts/mutation.sh school booking  only those targets
# Prints one score per domain folder and exits 1 when a folder is below 85% or has code no test covers.
# Reports (json and html, every surviving mutant with its line) land in .data/mutation/<target>/reports.
# It takes minutes (about 5-15 per target on two cores), so it stays out of CI: run it on the folders a change touches.
set -uo pipefail
cd "$(dirname "$0")/.."
. scripts/prerequisites.sh
ensure_dotnet || exit 1
dotnet tool restore >/dev/null || exit 1

targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  for config in tests/mutation/*.json; do targets+=("$(basename "$config" .json)"); done
fi

root=$(pwd)
status=0
for target in "${targets[@]}"; do
  config="$root/tests/mutation/$target.json"
  if [ ! -f "$config" ]; then echo "No target '$target' (tests/mutation/$target.json)." >&2; exit 2; fi
  output="$root/.data/mutation/$target"
  rm -rf "$output"
  echo "== $target: dotnet stryker --config-file tests/mutation/$target.json (log: .data/mutation/$target.log)"
  mkdir -p "$root/.data/mutation"
  if ! (cd tests/CollabTraining.Tests && dotnet stryker --config-file "$config" --output "$output") >"$root/.data/mutation/$target.log" 2>&1; then
    tail -n 20 "$root/.data/mutation/$target.log"
    echo "Stryker failed for $target."
    status=1
    continue
  fi
  python3 - "$output/reports/mutation-report.json" "$target" <<'PY' || status=1
import json, os, sys
from collections import defaultdict
report, target = sys.argv[1], sys.argv[2]
data = json.load(open(report))
folders = defaultdict(lambda: defaultdict(int))
for path, entry in data["files"].items():
    parts = path.replace("\\", "/").split("/")
    project = next((p for p in reversed(parts[:-1]) if p.startswith("CollabTraining.")), parts[-2])
    folder = "/".join(parts[parts.index(project):-1])
    for mutant in entry["mutants"]:
        folders[folder][mutant["status"]] += 1
below = False
for folder in sorted(folders):
    c = folders[folder]
    detected = c["Killed"] + c["Timeout"]
    valid = detected + c["Survived"] + c["NoCoverage"]
    score = 100.0 * detected / valid if valid else 100.0
    flag = "" if score >= 85 and c["NoCoverage"] == 0 else "   <-- below 85% or not covered"
    below |= bool(flag)
    print(f"{target:10} {folder:48} {score:6.2f}%  killed {detected}, survived {c['Survived']}, no coverage {c['NoCoverage']}, ignored {c['Ignored']}{flag}")
sys.exit(1 if below else 0)
PY
done
exit $status
