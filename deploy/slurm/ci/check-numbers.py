#!/usr/bin/env python3
"""The @integer check of the Slurm run with RICORD's script and a shared mapping database: from the merged
audit log, every written output's Patient ID is SITEID-NNNNNN, the same number in every output of one original
patient, and the numbers are exactly 1...P (no gap, no double). Which patient got which number depends on which
task reached the database first (docs/scale-out.md), so only that is checked.
usage: check-numbers.py MERGED_AUDIT_LOG SITEID MIN_PATIENTS   (P: the original patients written; at least MIN)"""
import json
import os
import re
import sys

import pydicom

log, site, patients = sys.argv[1], sys.argv[2], int(sys.argv[3])
base = os.path.dirname(os.path.abspath(log))
pattern = re.compile(re.escape(site) + r"-(\d{6})$")
numbers, written = {}, 0
with open(log, encoding="utf-8") as lines:
    for line in lines:
        record = json.loads(line)
        if record.get("status") != "written":
            continue
        written += 1
        source, output = record["input"], os.path.join(base, record["output"])
        original = str(pydicom.dcmread(source, stop_before_pixels=True).PatientID)
        given = str(pydicom.dcmread(output, stop_before_pixels=True).PatientID).strip()
        match = pattern.match(given)
        if not match:
            sys.exit(f"check-numbers: {record['output']}: Patient ID is not {site}-NNNNNN")
        number = int(match.group(1))
        if numbers.setdefault(original, number) != number:
            sys.exit(f"check-numbers: one patient got two numbers ({numbers[original]} and {number})")
count = len(numbers)
if count < patients or sorted(numbers.values()) != list(range(1, count + 1)):
    sys.exit(f"check-numbers: {count} patients numbered, not exactly 1...{count} (at least {patients} expected)")
print(f"check-numbers: {written} outputs, {count} patients, each one number, exactly 1...{count}")
