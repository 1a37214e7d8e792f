#!/usr/bin/env python3
"""Compare two folders of DICOM files element by element (e.g. CTP's output against dicom-deidentify's).

    Scripts/ctp-compare.py A_DIR B_DIR [--pair-by path|sop] [--ignore TAG]... [--meta] [--json]

Files are paired by relative path (default) or by SOP Instance UID (0008,0018). For every pair, every
top-level element of the data set (and of the file meta group with --meta) is compared: an element
present on one side only, or with a different VR or value, is a difference, printed as
tag, name, value A, value B (values shortened; binary values as length and SHA-1 prefix; sequences as item
count, compared item by item in full, with the differing nested elements listed by TagPath-style address,
"nested" in the JSON). --ignore TAG (repeatable) skips a tag: "(0008,0018)", "00080018",
"0008,0018" or a keyword such as SOPInstanceUID; a group may be given as "(0009,xxxx)" to skip a whole group.
Values are printed as they are: run this on synthetic fixtures, not on real patient data.

Exit status: 0 no differences, 1 differences (or unpaired files), 2 usage or read errors.
Needs pydicom (3.x).
"""
import argparse
import hashlib
import json
import re
import sys
from pathlib import Path

try:
    import pydicom
    from pydicom.datadict import keyword_for_tag, tag_for_keyword
    from pydicom.errors import InvalidDicomError
except ImportError:  # pragma: no cover
    print("ctp-compare: pydicom is required (pip install pydicom)", file=sys.stderr)
    sys.exit(2)

BINARY_VRS = {"OB", "OW", "OF", "OD", "OL", "OV", "UN"}
MAX_TEXT = 80


class UsageError(Exception):
    pass


def parse_ignore(text: str):
    """A tag as int, or ('group', g) for a whole group."""
    raw = text.strip()
    m = re.fullmatch(r"\(?([0-9A-Fa-f]{4}),?([0-9A-Fa-fXx]{4})\)?", raw)
    if m:
        if m.group(2).lower() == "xxxx":
            return ("group", int(m.group(1), 16))
        if "x" in m.group(2).lower():
            raise UsageError(f"--ignore {text}: only a whole group may be written with x")
        return int(m.group(1) + m.group(2), 16)
    tag = tag_for_keyword(raw)
    if tag is None:
        raise UsageError(f"--ignore {text}: not a tag or a keyword")
    return tag


def is_ignored(tag: int, ignores) -> bool:
    for item in ignores:
        if isinstance(item, tuple):
            if tag >> 16 == item[1]:
                return True
        elif tag == item:
            return True
    return False


def describe(element) -> str:
    """A short printable form of an element's value."""
    if element is None:
        return "<absent>"
    vr = element.VR
    if vr == "SQ":
        return f"<{len(element.value)} item(s)>"
    value = element.value
    if vr in BINARY_VRS or isinstance(value, (bytes, bytearray)):
        data = bytes(value) if value is not None else b""
        return f"<{len(data)} bytes sha1:{hashlib.sha1(data).hexdigest()[:12]}>"
    if value is None or value == "":
        return "<empty>"
    if isinstance(value, (list, tuple)) or type(value).__name__ == "MultiValue":
        text = "\\".join(str(v) for v in value)
    else:
        text = str(value)
    text = text.replace("\n", "\\n").replace("\r", "\\r")
    return text if len(text) <= MAX_TEXT else text[:MAX_TEXT - 3] + "..."


def name_of(tag: int, element) -> str:
    if element is not None and getattr(element, "name", ""):
        keyword = keyword_for_tag(tag)
        return keyword or element.name
    return keyword_for_tag(tag) or "?"


def values_equal(a, b) -> bool:
    if a.VR != b.VR:
        return False
    if a.VR == "SQ":
        if len(a.value) != len(b.value):
            return False
        return all(x == y for x, y in zip(a.value, b.value))
    return a.value == b.value


def nested_differences(a, b, prefix: str):
    """The differences inside two sequences with the same VR, item by item, as TagPath-style addresses such as
    "(0008,1115)[0].(0020,000E)"; an item count that differs is one difference at the sequence itself."""
    found = []
    if len(a.value) != len(b.value):
        return [{"path": prefix, "a": describe(a), "b": describe(b)}]
    for index, (item_a, item_b) in enumerate(zip(a.value, b.value)):
        tags = sorted(set(int(t) for t in item_a.keys()) | set(int(t) for t in item_b.keys()))
        for tag in tags:
            ea, eb = item_a.get(tag), item_b.get(tag)
            path = f"{prefix}[{index}].({tag >> 16:04X},{tag & 0xFFFF:04X})"
            if ea is not None and eb is not None and ea.VR == "SQ" and eb.VR == "SQ":
                found += nested_differences(ea, eb, path)
            elif ea is None or eb is None or not values_equal(ea, eb):
                found.append({"path": path, "name": name_of(tag, ea if ea is not None else eb),
                              "a": describe(ea), "b": describe(eb)})
    return found


def compare(path_a: Path, path_b: Path, ignores, include_meta: bool):
    ds_a = pydicom.dcmread(path_a, force=True)
    ds_b = pydicom.dcmread(path_b, force=True)
    sets = [(ds_a, ds_b)]
    if include_meta:
        sets.insert(0, (getattr(ds_a, "file_meta", None) or pydicom.Dataset(),
                        getattr(ds_b, "file_meta", None) or pydicom.Dataset()))
    differences = []
    for a, b in sets:
        tags = sorted(set(int(t) for t in a.keys()) | set(int(t) for t in b.keys()))
        for tag in tags:
            if is_ignored(tag, ignores):
                continue
            ea = a.get(tag)
            eb = b.get(tag)
            if ea is not None and eb is not None and values_equal(ea, eb):
                continue
            difference = {
                "tag": f"({tag >> 16:04X},{tag & 0xFFFF:04X})",
                "name": name_of(tag, ea if ea is not None else eb),
                "vr_a": ea.VR if ea is not None else None,
                "vr_b": eb.VR if eb is not None else None,
                "a": describe(ea),
                "b": describe(eb),
            }
            if ea is not None and eb is not None and ea.VR == "SQ" and eb.VR == "SQ":
                difference["nested"] = nested_differences(ea, eb, difference["tag"])
            differences.append(difference)
    return differences


def dicom_files(folder: Path):
    return sorted(p for p in folder.rglob("*") if p.is_file())


def sop_index(folder: Path, errors, warnings):
    """SOP Instance UID -> file. A UID seen again (the same instance in several files, e.g. one image in
    several transfer syntaxes) gets "#2", "#3"... in sorted path order, with a warning."""
    index = {}
    seen = {}
    for path in dicom_files(folder):
        try:
            ds = pydicom.dcmread(path, force=True, stop_before_pixels=True, specific_tags=[0x00080018])
            uid = str(ds.get(0x00080018).value) if ds.get(0x00080018) is not None else None
        except (InvalidDicomError, OSError, ValueError) as error:
            errors.append(f"{path}: {error}")
            continue
        if uid is None:
            errors.append(f"{path}: no SOP Instance UID")
        else:
            seen[uid] = seen.get(uid, 0) + 1
            key = uid if seen[uid] == 1 else f"{uid}#{seen[uid]}"
            if seen[uid] > 1:
                warnings.append(f"{path}: SOP Instance UID {uid} also in {index[uid]}; paired as {key}")
            index[key] = path
    return index


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("a_dir", type=Path)
    parser.add_argument("b_dir", type=Path)
    parser.add_argument("--pair-by", choices=["path", "sop"], default="path")
    parser.add_argument("--ignore", action="append", default=[], metavar="TAG")
    parser.add_argument("--meta", action="store_true", help="also compare the file meta group (0002)")
    parser.add_argument("--json", action="store_true", help="one JSON document on stdout")
    args = parser.parse_args()
    try:
        ignores = [parse_ignore(t) for t in args.ignore]
        for folder in (args.a_dir, args.b_dir):
            if not folder.is_dir():
                raise UsageError(f"{folder} is not a folder")
    except UsageError as error:
        print(f"ctp-compare: {error}", file=sys.stderr)
        return 2

    errors = []
    warnings = []
    if args.pair_by == "path":
        a_files = {p.relative_to(args.a_dir).as_posix(): p for p in dicom_files(args.a_dir)}
        b_files = {p.relative_to(args.b_dir).as_posix(): p for p in dicom_files(args.b_dir)}
    else:
        a_files = sop_index(args.a_dir, errors, warnings)
        b_files = sop_index(args.b_dir, errors, warnings)
    keys = sorted(set(a_files) | set(b_files))

    report = {"a": str(args.a_dir), "b": str(args.b_dir), "pair_by": args.pair_by, "pairs": [],
              "only_in_a": [], "only_in_b": [], "errors": errors, "warnings": warnings}
    for key in keys:
        pa, pb = a_files.get(key), b_files.get(key)
        if pa is None:
            report["only_in_b"].append(str(pb))
            continue
        if pb is None:
            report["only_in_a"].append(str(pa))
            continue
        try:
            differences = compare(pa, pb, ignores, args.meta)
        except (InvalidDicomError, OSError, ValueError, AttributeError) as error:
            errors.append(f"{pa} / {pb}: {error}")
            continue
        report["pairs"].append({"key": key, "a": str(pa), "b": str(pb), "differences": differences})

    differing = sum(1 for p in report["pairs"] if p["differences"])
    if args.json:
        json.dump(report, sys.stdout, indent=1)
        sys.stdout.write("\n")
    else:
        for pair in report["pairs"]:
            if not pair["differences"]:
                print(f"== {pair['key']}: same")
                continue
            print(f"== {pair['key']}: {len(pair['differences'])} difference(s)   A={pair['a']}  B={pair['b']}")
            for d in pair["differences"]:
                vr = d["vr_a"] if d["vr_a"] == d["vr_b"] else f"{d['vr_a'] or '-'}/{d['vr_b'] or '-'}"
                print(f"  {d['tag']} {d['name']:<36} {vr:<5} A: {d['a']}")
                print(f"  {'':11} {'':<36} {'':<5} B: {d['b']}")
                for n in d.get("nested", []):
                    print(f"    {n['path']} {n.get('name', '')}  A: {n['a']}  B: {n['b']}")
        for path in report["only_in_a"]:
            print(f"only in A: {path}")
        for path in report["only_in_b"]:
            print(f"only in B: {path}")
        for warning in warnings:
            print(f"warning: {warning}", file=sys.stderr)
        for error in errors:
            print(f"error: {error}", file=sys.stderr)
        print(f"# pairs={len(report['pairs'])} differing={differing} only_in_a={len(report['only_in_a'])} "
              f"only_in_b={len(report['only_in_b'])} errors={len(errors)}")
    if errors:
        return 2
    return 1 if differing or report["only_in_a"] or report["only_in_b"] else 0


if __name__ == "__main__":
    sys.exit(main())
