#!/usr/bin/env python3
"""Distil the DICOM standard's machine-readable data into the project's own tables under Standard/.

Reads <repo>/../shared/standard/*.json (override with --standard DIR) and modules of pydicom
(pinned to PYDICOM_VERSION): the private data dictionary (pydicom/_private_dict.py), the UID
registry (pydicom/_uid_dict.py) and CID 7050 (pydicom/sr/_cid_dict.py, pydicom/sr/_concepts_dict.py). Writes Standard/<edition>/*.tsv (override with --output DIR): only the
facts Scripts/generate-dictionary.py uses, one record a line, tab-separated, sorted (except Table E.1-1,
whose order is the standard's), each file headed by comment lines that give the edition, the source file,
the source's SHA-256 and its provenance (the row of shared/standard/README.md that describes it).

Why a distillation and not a copy: the data's owner (shared/standard/README.md) asks that the JSON files
not be copied into the project; see Standard/README.md.

The output is deterministic: rerunning on the same inputs gives the same bytes
(Scripts/check-generated.sh relies on that).

Usage: Scripts/distill-standard.py [--standard DIR] [--output DIR] [--quiet]
Python 3.11+, standard library plus pydicom 3.0.2.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from pathlib import Path

from generated_files import write_files

EDITION = "2024e"
PYDICOM_VERSION = "3.0.2"
REPO = Path(__file__).resolve().parent.parent

# Table E.1-1 columns (shared/standard/README.md), in the order of ProfileColumn.allCases.
PROFILE_COLUMNS = ["basicProfile", "rtnSafePrivOpt", "rtnUIDsOpt", "rtnDevIdOpt", "rtnInstIdOpt",
                   "rtnPatCharsOpt", "rtnLongFullDatesOpt", "rtnLongModifDatesOpt", "cleanDescOpt",
                   "cleanStructContOpt", "cleanGraphOpt"]
# Written where a Table E.1-1 column does not change the row (the JSON leaves its key out).
NO_ACTION = "-"
# Separator of the keywords of a sequence path in module-attributes.tsv.
PATH_SEPARATOR = ">"


class DataError(Exception):
    """The input does not have the shape the distiller expects."""


def utf8_key(text: str) -> bytes:
    return text.encode("utf-8")


def escape(field: str) -> str:
    """Backslash, tab, line feed and carriage return as \\\\, \\t, \\n, \\r; everything else as it is."""
    return field.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def sha256_file(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def readme_rows(standard: Path) -> dict[str, str]:
    """file name -> its row of the table in shared/standard/README.md ("what | edition / origin")."""
    rows: dict[str, str] = {}
    try:
        text = (standard / "README.md").read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DataError(f"{standard / 'README.md'} not found (use --standard DIR)") from None
    for line in text.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 3 and cells[0].endswith(".json"):
            rows[cells[0]] = f"{cells[1]} | {cells[2]}"
    return rows


class Source:
    """One input file: its name as the header states it, its bytes' SHA-256 and its provenance."""

    def __init__(self, name: str, path: Path, provenance: str):
        self.name = name
        self.path = path
        self.provenance = provenance
        try:
            self.sha256 = sha256_file(path)
        except FileNotFoundError:
            raise DataError(f"{path} not found (use --standard DIR)") from None


def json_source(standard: Path, readme: dict[str, str], name: str) -> tuple[Source, object]:
    if name not in readme:
        raise DataError(f"{standard / 'README.md'} has no table row for {name}")
    source = Source(f"shared/standard/{name}", standard / name, readme[name])
    with source.path.open(encoding="utf-8") as handle:
        return source, json.load(handle)


def table(title: str, source: Source, columns: list[str], rows: list[list[str]], order: str) -> str:
    """The text of one distilled file: header comments, then one escaped, tab-separated row a line."""
    lines = [
        f"# {title}",
        "# Distilled by Scripts/distill-standard.py; do not edit (see Standard/README.md).",
        f"# edition: {EDITION}",
        f"# source: {source.name} sha256:{source.sha256}",
        f"# provenance: {source.provenance}",
        f"# order: {order}",
        "# columns: " + "\t".join(columns),
    ]
    for row in rows:
        if len(row) != len(columns):
            raise DataError(f"{title}: row {row!r} does not have {len(columns)} fields")
        if row[0].startswith("#"):
            raise DataError(f"{title}: row {row!r} would read as a comment")
        lines.append("\t".join(escape(field) for field in row))
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------------------------- shared/standard

def distill_attributes(standard: Path, readme: dict[str, str]) -> tuple[str, str]:
    source, data = json_source(standard, readme, "attributes.json")
    rows = []
    for entry in data:
        if entry["retired"] not in ("Y", "N"):
            raise DataError(f"attributes.json {entry['tag']}: retired is {entry['retired']!r}")
        rows.append([entry["tag"], entry["valueRepresentation"], entry["valueMultiplicity"], entry["retired"],
                     entry["keyword"], entry["name"]])
    rows.sort(key=lambda r: utf8_key(r[0].upper()))
    return "attributes.tsv", table("PS3.6 data dictionary", source,
                                   ["tag", "vr", "vm", "retired", "keyword", "name"], rows,
                                   "by tag text (upper case)")


def distill_profile(standard: Path, readme: dict[str, str]) -> tuple[str, str]:
    source, data = json_source(standard, readme, "confidentiality_profile_attributes.json")
    rows = []
    for entry in data:
        unknown = set(entry) - set(PROFILE_COLUMNS) - {"name", "tag", "stdCompIOD", "id"}
        if unknown:
            raise DataError(f"confidentiality_profile_attributes.json {entry['tag']}: unknown columns "
                            f"{sorted(unknown)}")
        actions = [entry.get(column, NO_ACTION) for column in PROFILE_COLUMNS]
        if NO_ACTION in (entry.get(column) for column in PROFILE_COLUMNS):
            raise DataError(f"confidentiality_profile_attributes.json {entry['tag']}: action {NO_ACTION!r}")
        rows.append([entry["tag"], entry["stdCompIOD"], *actions, entry["name"]])
    return "confidentiality-profile.tsv", table(
        "PS3.15 Table E.1-1 Application Level Confidentiality Profile Attributes", source,
        ["tag", "stdCompIOD", *PROFILE_COLUMNS, "name"], rows,
        f"the standard's (row order is part of the table); '{NO_ACTION}' = the column does not change the row")


def distill_sops(standard: Path, readme: dict[str, str]) -> tuple[str, str]:
    source, data = json_source(standard, readme, "sops.json")
    names: dict[str, str] = {}
    for entry in data:
        if entry["id"] in names and names[entry["id"]] != entry["name"]:
            raise DataError(f"sops.json: {entry['id']} has two names")
        names[entry["id"]] = entry["name"]
    rows = [[uid, names[uid]] for uid in sorted(names, key=utf8_key)]
    return "sop-classes.tsv", table("PS3.4 SOP Classes", source, ["uid", "name"], rows, "by UID (UTF-8 bytes)")


def distill_sop_iods(standard: Path, readme: dict[str, str]) -> tuple[str, str]:
    source, data = json_source(standard, readme, "sop_class_iod_map.json")
    rows = [[uid, data[uid]] for uid in sorted(data, key=utf8_key)]
    return "sop-class-iods.tsv", table("SOP Class -> IOD", source, ["uid", "iod"], rows, "by UID (UTF-8 bytes)")


def distill_iod_modules(standard: Path, readme: dict[str, str]) -> tuple[str, str]:
    source, data = json_source(standard, readme, "iod_module_map.json")
    pairs = set()
    for iod, modules in data.items():
        if not modules:
            raise DataError(f"iod_module_map.json: IOD {iod} has no modules (this format cannot list it)")
        pairs.update((iod, module["key"]) for module in modules)
    rows = [list(p) for p in sorted(pairs, key=lambda p: (utf8_key(p[0]), utf8_key(p[1])))]
    return "iod-modules.tsv", table("IOD -> modules", source, ["iod", "module"], rows,
                                    "by IOD, then module (UTF-8 bytes); distinct pairs (usage M/C/U left out)")


def distill_module_types(standard: Path, readme: dict[str, str]) -> tuple[str, str]:
    source, data = json_source(standard, readme, "module_attribute_types_profile_subset.json")
    entries = set()
    for module, attributes in data.items():
        if not attributes:
            raise DataError(f"module_attribute_types_profile_subset.json: module {module} is empty "
                            f"(this format cannot list it)")
        for attribute in attributes:
            names = attribute["path"] + [attribute["keyword"]]
            if any(not re.fullmatch(r"[A-Za-z0-9_]+", n) for n in names):
                raise DataError(f"module {module}: keyword path {names!r} is not plain keywords")
            entries.add((module, PATH_SEPARATOR.join(attribute["path"]), attribute["keyword"], attribute["type"]))
    rows = [list(e) for e in sorted(entries, key=lambda e: tuple(utf8_key(f) for f in e))]
    return "module-attribute-types.tsv", table(
        "Attribute Types per module (Table E.1-1 attributes only)", source,
        ["module", "path", "keyword", "type"], rows,
        f"by module, path, keyword, type (UTF-8 bytes); distinct rows; path = enclosing sequences' keywords "
        f"joined by '{PATH_SEPARATOR}'")


def distill_safe_private(standard: Path, readme: dict[str, str]) -> tuple[str, str]:
    source, data = json_source(standard, readme, "safe_private_attributes.json")
    rows = [[entry["creator"], entry["group"], entry["element"], entry["vr"]] for entry in data]
    rows.sort(key=lambda r: tuple(utf8_key(f) for f in r))
    return "safe-private-attributes.tsv", table(
        "PS3.15 Table E.3.10-1 Safe Private Attributes", source, ["creator", "group", "elementByte", "vr"], rows,
        "by creator, group, element byte, VR (UTF-8 bytes); one line per row of the table (VM and meaning left out)")


# --------------------------------------------------------------------------------------------- pydicom

def pydicom_module(name: str):
    try:
        import importlib
        import pydicom
        module = importlib.import_module(f"pydicom.{name}")
    except ImportError:
        raise DataError(f"pydicom {PYDICOM_VERSION} is required (pip install pydicom=={PYDICOM_VERSION})") \
            from None
    if pydicom.__version__ != PYDICOM_VERSION:
        raise DataError(f"pydicom {pydicom.__version__} found; the committed tables come from "
                        f"{PYDICOM_VERSION} (pip install pydicom=={PYDICOM_VERSION})")
    return module


def pydicom_source(module, provenance: str) -> Source:
    path = Path(module.__file__)
    return Source(f"pydicom {PYDICOM_VERSION} pydicom/{path.name}", path, provenance)


def distill_private() -> tuple[str, str]:
    module = pydicom_module("_private_dict")
    source = pydicom_source(module, f"private data dictionary (VRs of known private tags), as the PyPI "
                                    f"package pydicom {PYDICOM_VERSION} carries it (itself from GDCM)")
    rows = []
    for creator, entries in module.private_dictionaries.items():
        for key, (vr, _vm, _description, _retired) in entries.items():
            rows.append([creator, key, vr])
    rows.sort(key=lambda r: tuple(utf8_key(f) for f in r))
    return "private-dictionary.tsv", table("Private data element VRs", source, ["creator", "key", "vr"], rows,
                                           "by creator, key, VR (UTF-8 bytes); key = pydicom's ggggbbee "
                                           "with xx wildcards (VM and description left out)")


def distill_uids() -> tuple[str, str]:
    module = pydicom_module("_uid_dict")
    source = pydicom_source(module, f"PS3.6 Table A-1 registry of DICOM unique identifiers, as the PyPI "
                                    f"package pydicom {PYDICOM_VERSION} carries it")
    rows = [[uid, entry[0]] for uid, entry in module.UID_dictionary.items()]
    rows.sort(key=lambda r: utf8_key(r[0]))
    return "registered-uids.tsv", table("Registered UIDs (PS3.6 Table A-1)", source, ["uid", "name"], rows,
                                        "by UID (UTF-8 bytes); name only (type, info, retired, keyword left out)")


def distill_cid_7050() -> tuple[str, str]:
    cids = pydicom_module("sr._cid_dict")
    concepts = pydicom_module("sr._concepts_dict")
    source = Source(f"pydicom {PYDICOM_VERSION} pydicom/sr/_cid_dict.py", Path(cids.__file__), f"PS3.16 CID 7050 De-identification Method (codes of the Basic Profile and its "
                                  f"options), as the PyPI package pydicom {PYDICOM_VERSION} carries it; code values "
                                  f"and meanings from pydicom/sr/_concepts_dict.py")
    rows = []
    for scheme, keywords in cids.cid_concepts[7050].items():
        for keyword in keywords:
            for value, (meaning, _cids) in concepts.concepts[scheme][keyword].items():
                rows.append([value, scheme, meaning, keyword])
    rows.sort(key=lambda r: utf8_key(r[0]))
    return "cid-7050.tsv", table("PS3.16 CID 7050 De-identification Method", source,
                                 ["codeValue", "codingScheme", "codeMeaning", "keyword"], rows,
                                 "by code value (UTF-8 bytes)")


# --------------------------------------------------------------------------------------------- main

def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--standard", type=Path, default=REPO.parent / "shared" / "standard",
                        help="folder with attributes.json etc. (default: <repo>/../shared/standard)")
    parser.add_argument("--output", type=Path, default=REPO / "Standard" / EDITION,
                        help=f"folder to write the tables into (default: Standard/{EDITION})")
    parser.add_argument("--quiet", action="store_true", help="do not list the files written")
    args = parser.parse_args(argv)

    try:
        readme = readme_rows(args.standard)
        files = dict([
            distill_attributes(args.standard, readme),
            distill_profile(args.standard, readme),
            distill_sops(args.standard, readme),
            distill_sop_iods(args.standard, readme),
            distill_iod_modules(args.standard, readme),
            distill_module_types(args.standard, readme),
            distill_safe_private(args.standard, readme),
            distill_private(),
            distill_uids(),
            distill_cid_7050(),
        ])
    except DataError as error:
        print(f"distill-standard: {error}", file=sys.stderr)
        return 1
    except KeyError as error:
        print(f"distill-standard: an entry lacks the field {error}", file=sys.stderr)
        return 1

    write_files(args.output, files, ".tsv")
    if not args.quiet:
        for name in sorted(files):
            print(f"{args.output / name}: {files[name].count(chr(10)) - 7} rows")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
