#!/usr/bin/env python3
"""Transcribe Appendix I of the RSNA RICORD de-identification protocol into a CTP DicomAnonymizer script.

Reads <repo>/../shared/reference/rsna-ricord-deidentification-protocol.txt (override with --reference FILE)
and writes Profiles/ricord/ricord.script (override with --output FILE). Every Appendix I row becomes one
<e> element with the document's function text; the global rules come from the protocol's prose (see
Profiles/ricord/README.md for each reading and deviation). Python 3.9+, standard library only.

Usage: Scripts/make-ricord-script.py [--reference FILE] [--output FILE]
"""
import argparse
import json
import re
import sys
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

REPO = Path(__file__).resolve().parent.parent
ROW = re.compile(r"\(([0-9A-Fa-f]{4}),([0-9A-Fa-f]{4})\)")

# Deviations from the literal Appendix I text, tag -> (script text, reason). Keep in step with
# Profiles/ricord/README.md and Tests/CTPScriptTests/RICORDProfileTests.swift.
DEVIATIONS = {
    "00120062": ("@always()YES",
                 "the prose says the element 'is assigned' YES; without @always() CTP only rewrites it "
                 "when the input already has it"),
}

# Elements the prose (options 113105, 113108, 113109) says are kept; not rows of Appendix I.
PROSE_KEEPS = [
    ("00080070", "Manufacturer", "113109 Retain Device Identity (partial)"),
    ("00081030", "StudyDescription", "113105 Clean Descriptors (partial): kept"),
    ("0008103e", "SeriesDescription", "113105 Clean Descriptors (partial): kept"),
    ("00081090", "ManufacturerModelName", "113109 Retain Device Identity (partial)"),
    ("00100040", "PatientSex", "113108 Retain Patient Characteristics (partial)"),
    ("00101010", "PatientAge", "113108 Retain Patient Characteristics (partial)"),
    ("00101020", "PatientSize", "113108 Retain Patient Characteristics (partial)"),
    ("00101030", "PatientWeight", "113108 Retain Patient Characteristics (partial)"),
    ("00102160", "EthnicGroup", "113108 Retain Patient Characteristics (partial)"),
    ("001021a0", "SmokingStatus", "113108 Retain Patient Characteristics (partial)"),
]


def appendix_rows(text: str) -> list[tuple[str, str, str]]:
    """(tag as 8 lowercase hex digits, name, function text) for every row of Appendix I."""
    start = text.find("\nAppendix I \n")
    end = text.find("\nAppendix II ")
    if start < 0 or end < start:
        raise SystemExit("make-ricord-script: Appendix I not found in the reference text")
    body = text[start:end]
    marks = list(ROW.finditer(body))
    rows = []
    for i, m in enumerate(marks):
        chunk = body[m.end(): marks[i + 1].start() if i + 1 < len(marks) else len(body)]
        flat = " ".join(chunk.split())
        if "@" in flat:
            at = flat.index("@")
            name, action = flat[:at].replace(" ", ""), flat[at:]
        else:
            name, _, action = flat.partition(" ")
        rows.append(((m.group(1) + m.group(2)).lower(), name, action.strip()))
    return rows


def keep_groups(standard: Path) -> list[str]:
    """Even standard groups outside 0032-4008, curves (50xx) and overlays (60xx), minus those CTP keeps
    anyway (0002, 0028, 7FE0) and those every element of which the script names (FFFA, FFFC)."""
    groups = set()
    for row in json.loads((standard / "attributes.json").read_text(encoding="utf-8")):
        g = row["tag"][1:5]
        if "X" in g:
            continue
        n = int(g, 16)
        if 0x0032 <= n <= 0x4008 or n in (0x0002, 0x0028, 0x7FE0, 0xFFFA, 0xFFFC, 0xFFFE):
            continue
        groups.add(g.lower())
    return sorted(groups)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reference", type=Path,
                        default=REPO.parent / "shared" / "reference" / "rsna-ricord-deidentification-protocol.txt")
    parser.add_argument("--standard", type=Path, default=REPO.parent / "shared" / "standard")
    parser.add_argument("--output", type=Path, default=REPO / "Profiles" / "ricord" / "ricord.script")
    args = parser.parse_args()

    rows = appendix_rows(args.reference.read_text(encoding="utf-8"))
    tags = [t for t, _, _ in rows]
    if len(set(tags)) != len(tags):
        raise SystemExit("make-ricord-script: duplicate tags in Appendix I")

    out = ["<script>",
           " <!-- RSNA RICORD (International COVID-19 Open Radiology Database) de-identification profile, -->",
           " <!-- \"The RSNA Covid-19 De-identification Profile\", transcribed from Appendix I of the RICORD -->",
           " <!-- De-identification Protocol by Scripts/make-ricord-script.py. See Profiles/ricord/README.md. -->",
           " <!-- UIDROOT and SITEID MUST be overridden (CTP: edit here or pass them as parameters). -->",
           ' <p t="UIDROOT">REPLACE-WITH-UID-ROOT</p>',
           ' <p t="SITEID">REPLACE-WITH-SITE-ID</p>']
    names = {}
    for tag, name, action in rows:
        if tag in DEVIATIONS:
            action = DEVIATIONS[tag][0]
        names[tag] = (name, action, None)
    for tag, name, why in PROSE_KEEPS:
        if tag in names:
            raise SystemExit(f"make-ricord-script: {tag} is both an Appendix I row and a prose keep")
        names[tag] = (name, "@keep()", why)
    for tag in sorted(names):
        name, action, why = names[tag]
        note = f" <!-- {why} -->" if why else (f" <!-- deviation: {DEVIATIONS[tag][1]} -->" if tag in DEVIATIONS else "")
        out.append(f' <e en="T" t="{tag}" n={quoteattr(name)}>{escape(action)}</e>{note}')
    out.append(" <!-- \"All elements in groups 0032 through 4008 are removed\": remove unspecified elements, -->")
    out.append(" <!-- keeping every other standard group (CTP always keeps 0002, 0028 and 7FE0). -->")
    for g in keep_groups(args.standard):
        out.append(f' <k en="T" t="{g}">Keep group {g.upper()}</k>')
    out.append(' <k en="F" t="safeprivateelements">Keep safe private elements (113111 not implemented)</k>')
    out.append(' <r en="T" t="curves">Remove curves</r>')
    out.append(' <r en="T" t="overlays">Remove overlays</r>')
    out.append(' <r en="T" t="privategroups">Remove private groups</r>')
    out.append(' <r en="T" t="unspecifiedelements">Remove unchecked elements</r>')
    out.append("</script>")
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text("\n".join(out) + "\n", encoding="utf-8")
    print(f"{args.output}: {len(rows)} Appendix I rows, {len(PROSE_KEEPS)} prose keeps", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
