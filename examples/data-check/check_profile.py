# Checks profile.json against the CSV file given as the first argument: prints each difference (or
# that the profile matches) and exits 1 on any. Written into the workspace by the profile_file
# action (as a template: keep Liquid's brace pairs out of this file) and run by its command gate
# `profile-matches-file`. Python 3 standard library only.
import csv
import json
import sys

path = sys.argv[1]
claimed = json.load(open("profile.json"))
with open(path, newline="") as handle:
    header, *records = list(csv.reader(handle)) or [[]]
actual = {
    "rows": len(records),
    "columns": header,
    "empty_cells": sum(cell.strip() == "" for record in records for cell in record),
}
problems = [
    f"{path}: {field} is {json.dumps(value)}, the profile says {json.dumps(claimed.get(field))}"
    for field, value in actual.items()
    if claimed.get(field) != value
]
print("\n".join(problems) or "the profile matches the file")
sys.exit(1 if problems else 0)
