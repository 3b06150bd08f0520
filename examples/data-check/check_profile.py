# Checks profile.json against the CSV files under the folder given as the first argument: prints
# each difference (or that the profile matches) and exits 1 on any. Written into the workspace by
# the profile_files action (as a template: keep Liquid's brace pairs out of this file) and run by
# its command gate `profile-matches-files`. Python 3 standard library only.
import csv
import json
import pathlib
import sys

folder = sys.argv[1]
claimed = {entry["path"]: entry for entry in json.load(open("profile.json"))["files"]}
problems = []
for path in sorted(str(p) for p in pathlib.Path(folder).rglob("*.csv")):
    with open(path, newline="") as handle:
        header, *records = list(csv.reader(handle)) or [[]]
    actual = {
        "rows": len(records),
        "columns": header,
        "empty_cells": sum(cell.strip() == "" for record in records for cell in record),
    }
    entry = claimed.pop(path, None)
    if entry is None:
        problems.append(f"{path}: missing from the profile")
        continue
    for field, value in actual.items():
        if entry[field] != value:
            problems.append(f"{path}: {field} is {json.dumps(value)}, the profile says {json.dumps(entry[field])}")
problems += [f"{path}: no such CSV file under {folder}" for path in claimed]
print("\n".join(problems) or "the profile matches the files")
sys.exit(1 if problems else 0)
