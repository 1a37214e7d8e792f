#!/usr/bin/env python3
"""Convert TCIA's Private Tag Knowledge Base into a private-attribute disposition CSV (--private-dispositions).

Source: <repo>/../shared/reference/tcia-private-tag-kb-2024-02-01.csv (override with --source FILE): TCIA's
release of 2024-02-01, columns element_sig_pattern, tag_name, vr, private_disposition (provenance in
../shared/reference/README.md). Output (default Profiles/private/tcia-private-tag-kb-2024-02-01.csv): the format of
Profiles/private/README.md, one row per (group, private creator, element byte), sorted.

Dispositions (TCIA's code -> action):
  k  keep        -> keep
  d  delete      -> remove
  h  hash a UID  -> new-uid (mapped like the profile maps UIDs: the keyed 2.25. mapping; a value that is not
                    a UID, e.g. VR LO, gets a dummy)
  o  offset date -> shift-dates (moved like the profile's dates, by the patient's shift; a value that is not a
                    date is removed)
  oi offset an integer-encoded date -> remove: the date shifter reads DA/DT text only, and an unshifted date
                    must not stay
  na not applicable -> remove: TCIA made no keep decision, and an unlisted private attribute is removed anyway;
                    the row is written so the inventory shows TCIA's code
Codes are read trimmed and in lower case (" k", "K" occur).

Nested rows ("(0008,1084)[<0>](312f,"CREATOR",10)"): the format names a private attribute by group, creator
and element byte, and such a rule applies at every depth (PS3.5 7.8.1: the creator, not the position, gives
the meaning). A nested row is folded into the row of its last element. Where the rows of one (group, creator,
element) disagree (a keep at the top level and a delete inside a sequence, say), the row is written as remove
and every row of it is counted as refused: a keep could otherwise apply where TCIA deletes.

Rows not converted, with the reason counted: the last element is a standard attribute (the profile's own
rule applies to it), no private creator, an even group, no disposition, an unknown code.

The comment column starts with TCIA's code ("TCIA k; ..."), which `dicom-review inventory --private-tag-kb`
shows beside the profile's action. Prints the counts on stderr; exits 1 when the source cannot be read.

Usage: Scripts/make-tcia-private-csv.py [--source FILE] [--output FILE]
Python 3.9+, standard library only.
"""
import argparse
import collections
import csv
import hashlib
import io
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
NAME = "tcia-private-tag-kb-2024-02-01.csv"
HEADER = ["group", "private_creator", "element", "action", "vr", "comment"]
ACTIONS = {"k": "keep", "d": "remove", "h": "new-uid", "o": "shift-dates", "oi": "remove", "na": "remove"}
# One step of a pattern: (gggg,eeee) standard, or (gggg,"CREATOR",ee) private with irregular quoting.
STEP = re.compile(r'\(([0-9A-Fa-f]{4}),(?:(.*),)?([0-9A-Fa-f]{2}|[0-9A-Fa-f]{4})\)')


def last_step(pattern):
    """(group, creator or None, element text) of the pattern's last step, or None when it does not parse."""
    steps = re.split(r"\[<\d+>\]", pattern.strip())
    match = STEP.fullmatch(steps[-1].strip())
    if not match:
        return None
    group, creator, element = match.groups()
    if creator is not None:
        creator = creator.strip()
        if creator.startswith('"'):
            creator = creator[1:]
        if creator.endswith('"'):
            creator = creator[:-1]
        creator = creator.rstrip(" \0")
    return group.upper(), creator, element.upper(), len(steps) > 1


def convert(text):
    """(rows to write, counts of converted and refused rows by reason)."""
    reader = csv.DictReader(io.StringIO(text))
    expected = ["element_sig_pattern", "tag_name", "vr", "private_disposition"]
    if reader.fieldnames != expected:
        raise SystemExit(f"make-tcia-private-csv: unexpected header {reader.fieldnames} (expected {expected})")
    converted, refused = collections.Counter(), collections.Counter()
    slots = collections.defaultdict(list)   # (group, creator, element) -> [(code, vr, name, nested)]
    for row in reader:
        code = (row["private_disposition"] or "").strip().lower()
        step = last_step(row["element_sig_pattern"])
        if step is None:
            refused["pattern does not parse"] += 1
        elif step[1] is None:
            refused["last element is a standard attribute (the profile's rule applies)"] += 1
        elif step[1] == "":
            refused["no private creator"] += 1
        elif int(step[0], 16) % 2 == 0:
            refused["even group: not a private attribute"] += 1
        elif len(step[2]) != 2:
            refused["element is not one byte"] += 1
        elif not code:
            refused["no disposition"] += 1
        elif code not in ACTIONS:
            refused[f"unknown disposition '{code}'"] += 1
        else:
            slots[step[:3]].append((code, row["vr"].strip(), row["tag_name"].strip(), step[3]))
    out = []
    for (group, creator, element), entries in sorted(slots.items(), key=lambda s: (s[0][0], s[0][1].encode(), s[0][2])):
        actions = {ACTIONS[code] for code, _, _, _ in entries}
        codes = sorted({code for code, _, _, _ in entries})
        top = [e for e in entries if not e[3]] or entries
        vr = top[0][1]
        name = top[0][2].split(":")[-1]
        if len(actions) > 1:
            refused["rows of one (group, creator, element) disagree: written as remove"] += len(entries)
            action, comment = "remove", f"TCIA {'/'.join(codes)} (conflicting rows); {name}"
        else:
            action = actions.pop()
            nested = sum(1 for e in entries if e[3])
            for code, _, _, is_nested in entries:
                converted[f"{code} -> {ACTIONS[code]}" + (" (nested row, folded)" if is_nested else "")] += 1
            comment = f"TCIA {codes[0]}; {name}" + (f"; {nested} nested row(s) folded" if nested else "")
        out.append([group, creator, element, action, vr, comment])
    return out, converted, refused


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--source", type=Path, default=REPO.parent / "shared" / "reference" / NAME)
    parser.add_argument("--output", type=Path, default=REPO / "Profiles" / "private" / NAME)
    args = parser.parse_args()
    try:
        raw = args.source.read_bytes()
    except OSError as error:
        print(f"make-tcia-private-csv: cannot read {args.source}: {error.strerror}", file=sys.stderr)
        return 1
    rows, converted, refused = convert(raw.decode("utf-8-sig"))
    buffer = io.StringIO()
    buffer.write(f"# TCIA Private Tag Knowledge Base, release 2024-02-01 ({NAME}, SHA-256 {hashlib.sha256(raw).hexdigest()}),\n")
    buffer.write("# converted by Scripts/make-tcia-private-csv.py; never edit by hand. Comment: TCIA's code, then its tag name.\n")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(HEADER)
    writer.writerows(rows)
    args.output.write_text(buffer.getvalue(), encoding="utf-8")
    total_in = sum(converted.values()) + sum(refused.values())
    print(f"make-tcia-private-csv: {total_in} rows read, {sum(converted.values())} converted, "
          f"{sum(refused.values())} refused; {len(rows)} rows written to {args.output.name}", file=sys.stderr)
    for label, counts in (("converted", converted), ("refused", refused)):
        for reason, count in sorted(counts.items(), key=lambda item: -item[1]):
            print(f"  {label:9} {count:5}  {reason}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
