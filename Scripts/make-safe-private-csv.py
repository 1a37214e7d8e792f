#!/usr/bin/env python3
"""Write PS3.15 Table E.3.10-1 (Safe Private Attributes) as a private-attribute disposition CSV.

Source: <repo>/../shared/standard/safe_private_attributes.json (override with --standard DIR), the same
file Scripts/generate-dictionary.py turns into Sources/DICOMDictionary/Generated/SafePrivateTables.swift,
read the same way (creator with trailing spaces/NULs trimmed, group 4 and element byte 2 hex digits, odd
groups only, duplicate (creator, group, element) slots merged). After writing, the CSV's slots are checked
against that generated Swift table so the two cannot drift apart (skip with --no-check).

Output (default Profiles/private/ps3.15-e.3.10-1-safe.csv): header
group,private_creator,element,action,vr,comment; one row per slot, action `keep`, sorted like the
generated table (creator by UTF-8 bytes, then group, then element). See Profiles/private/README.md.

Usage: Scripts/make-safe-private-csv.py [--standard DIR] [--output FILE] [--no-check]
Python 3.9+, standard library only.
"""
import argparse
import csv
import io
import json
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
GENERATED = REPO / "Sources" / "DICOMDictionary" / "Generated" / "SafePrivateTables.swift"
HEADER = ["group", "private_creator", "element", "action", "vr", "comment"]


class DataError(Exception):
    pass


def load_slots(standard: Path) -> dict:
    """(creator, group, element byte) -> (vr, comment), from the JSON table."""
    path = standard / "safe_private_attributes.json"
    try:
        rows = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DataError(f"{path} not found (use --standard DIR)") from None
    slots: dict = {}
    for row in rows:
        what = f"{path.name} {row['creator']!r} ({row['group']},xx{row['element']})"
        if not re.fullmatch(r"[0-9A-F]{4}", row["group"]) or not re.fullmatch(r"[0-9A-F]{2}", row["element"]):
            raise DataError(f"{what}: unsupported group/element form")
        group = int(row["group"], 16)
        if group & 1 == 0:
            raise DataError(f"{what}: even group")
        key = (row["creator"].rstrip(" \0"), group, int(row["element"], 16))
        meaning = " ".join(row["meaning"].split())
        comment = f"{meaning} (VM {row['vm']})" if row.get("vm") else meaning
        if key in slots:
            vr, old = slots[key]
            if row["vr"] and vr and row["vr"] != vr:
                raise DataError(f"{what}: VR {row['vr']} conflicts with an earlier row's {vr}")
            slots[key] = (vr or row["vr"], old if comment in old else f"{old}; {comment}")
        else:
            slots[key] = (row["vr"], comment)
    return slots


def utf8_key(text: str) -> bytes:
    return text.encode("utf-8")


def generated_slots(path: Path) -> set:
    """The (creator, group, element) set in the generated SafePrivateTables.swift."""
    source = path.read_text(encoding="utf-8")
    text = re.search(r'creatorsText: String = """\n(.*?)\n\s*"""', source, re.S)
    ends = re.search(r"creatorsEnds: \[UInt32\] = \[(.*?)\]", source, re.S)
    starts = re.search(r"starts: \[UInt16\] = \[(.*?)\]", source, re.S)
    keys = re.search(r"keys: \[UInt32\] = \[(.*?)\]", source, re.S)
    if not (text and ends and starts and keys):
        raise DataError(f"{path}: layout not recognised")
    joined = "".join(line.strip().removesuffix("\\") for line in text.group(1).splitlines())
    blob = joined.encode("utf-8")
    end_list = [int(x) for x in re.findall(r"\d+", ends.group(1))]
    creators, previous = [], 0
    for end in end_list:
        creators.append(blob[previous:end].decode("utf-8"))
        previous = end
    start_list = [int(x) for x in re.findall(r"\d+", starts.group(1))]
    key_list = [int(x, 16) for x in re.findall(r"0x([0-9A-Fa-f]+)", keys.group(1))]
    result = set()
    for i, creator in enumerate(creators):
        for key in key_list[start_list[i]:start_list[i + 1]]:
            result.add((creator, key >> 8, key & 0xFF))
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--standard", type=Path, default=REPO.parent / "shared" / "standard")
    parser.add_argument("--output", type=Path, default=REPO / "Profiles" / "private" / "ps3.15-e.3.10-1-safe.csv")
    parser.add_argument("--no-check", action="store_true", help="do not compare with the generated Swift table")
    args = parser.parse_args()
    try:
        slots = load_slots(args.standard)
        ordered = sorted(slots, key=lambda s: (utf8_key(s[0]), s[1], s[2]))
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(HEADER)
        for creator, group, element in ordered:
            vr, comment = slots[(creator, group, element)]
            writer.writerow([f"{group:04X}", creator, f"{element:02X}", "keep", vr, comment])
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(buffer.getvalue(), encoding="utf-8")
        if not args.no_check:
            generated = generated_slots(GENERATED)
            if generated != set(slots):
                only_csv = sorted(set(slots) - generated)[:5]
                only_swift = sorted(generated - set(slots))[:5]
                raise DataError(f"CSV and {GENERATED.name} differ: only in CSV {only_csv}, only in Swift {only_swift}")
    except DataError as error:
        print(f"make-safe-private-csv: {error}", file=sys.stderr)
        return 1
    print(f"{args.output}: {len(ordered)} slots"
          f"{'' if args.no_check else ', same as ' + GENERATED.name}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
