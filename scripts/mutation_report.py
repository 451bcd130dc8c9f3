#!/usr/bin/env python3
"""Helpers for scripts/mutation.sh, reading Stryker's JSON report (mutation-testing-report-schema).

  spans REPORT               one --mutate pattern per file: the character spans of every mutant the first
                             (unit-test) pass left alive, for the second pass with the integration tests
  merge FIRST SECOND OUT     the first report with each such mutant's status taken from the second pass
  scores REPORT TARGET       one line per domain folder; exit 1 when one is below 85% or has uncovered code
"""
import json
import sys
from collections import defaultdict

ALIVE = ("Survived", "NoCoverage")


def key(mutant):
    start, end = mutant["location"]["start"], mutant["location"]["end"]
    return (start["line"], start["column"], end["line"], end["column"], mutant["mutatorName"], mutant.get("replacement"))


def offsets(path):
    """Character offset of each line's start (Roslyn counts UTF-16 units; these files are ASCII/BMP)."""
    text = open(path, encoding="utf-8-sig").read()
    starts, position = [0], 0
    for line in text.splitlines(keepends=True):
        position += len(line)
        starts.append(position)
    return starts


def spans(report_path, project_root):
    report = json.load(open(report_path))
    for path, entry in sorted(report["files"].items()):
        alive = [m for m in entry["mutants"] if m["status"] in ALIVE]
        if not alive:
            continue
        starts = offsets(path)
        parts = []
        for m in alive:
            s, e = m["location"]["start"], m["location"]["end"]
            parts.append(f"{{{starts[s['line'] - 1] + s['column'] - 1}..{starts[e['line'] - 1] + e['column'] - 1}}}")
        relative = path[len(project_root):].lstrip("/") if path.startswith(project_root) else path
        print("**/" + relative + "".join(sorted(set(parts))))


def merge(first_path, second_path, out_path):
    first, second = json.load(open(first_path)), json.load(open(second_path))
    for path, entry in first["files"].items():
        later = {key(m): m for m in second["files"].get(path, {"mutants": []})["mutants"]}
        for m in entry["mutants"]:
            if m["status"] in ALIVE and key(m) in later and later[key(m)]["status"] not in ("Ignored", "CompileError"):
                m["status"] = later[key(m)]["status"]
                m["statusReason"] = "second pass (unit + integration tests): " + str(later[key(m)].get("statusReason", ""))
    json.dump(first, open(out_path, "w"))


def scores(report_path, target):
    report = json.load(open(report_path))
    folders = defaultdict(lambda: defaultdict(int))
    for path, entry in report["files"].items():
        parts = path.replace("\\", "/").split("/")
        project = next((p for p in reversed(parts[:-1]) if p.startswith("CollabTraining.")), parts[-2])
        folder = "/".join(parts[parts.index(project):-1])
        for mutant in entry["mutants"]:
            status, reason = mutant["status"], mutant.get("statusReason") or ""
            if status == "Ignored" and reason.startswith("Removed by"):
                continue  # outside the target, or inside a statement whose removal is tested already
            folders[folder][status] += 1
    below = False
    for folder in sorted(folders):
        c = folders[folder]
        detected = c["Killed"] + c["Timeout"]
        valid = detected + c["Survived"] + c["NoCoverage"]
        if valid == 0:
            continue
        score = 100.0 * detected / valid
        flag = "" if score >= 85 and c["NoCoverage"] == 0 else "   <-- below 85% or not covered"
        below |= bool(flag)
        print(f"{target:10} {folder:48} {score:6.2f}%  killed {detected}, survived {c['Survived']}, "
              f"no coverage {c['NoCoverage']}, equivalent (Stryker comments) {c['Ignored']}{flag}")
    return 1 if below else 0


if __name__ == "__main__":
    command = sys.argv[1]
    if command == "spans":
        spans(sys.argv[2], sys.argv[3])
    elif command == "merge":
        merge(sys.argv[2], sys.argv[3], sys.argv[4])
    elif command == "scores":
        sys.exit(scores(sys.argv[2], sys.argv[3]))
    else:
        sys.exit(f"unknown command {command}")
