#!/usr/bin/env python3
"""Per-stage instructions per file, from the callgrind profiles Scripts/instruction-guard.sh keeps (issue 23).

    bash Scripts/instruction-guard.sh --keep DIR
    python3 Scripts/instruction-stages.py DIR [BEFORE_DIR]

For each stage, the inclusive instructions of the functions that make it (callgrind_annotate, demangled with
`swift demangle`), as the guard counts a file: (whole corpus - first file alone) / (count - 1), the count from
bench/instruction-budget.json. Stages nest (one dot per level); a function inlined into its caller has no line of
its own and counts in the caller's. Prints one Markdown table per step; with BEFORE_DIR (the profiles of another
build, kept the same way) a column for each.
"""
import collections, json, os, re, subprocess, sys

DEIDENTIFY = [
    ("whole job (read to temporary file)", r"^DeidentifyJob\.run\(_:distinctInstance:\)$"),
    (" read + parse", r"^specialized static InputFile\.read\(_:digestKey:\)$"),
    (" de-identify (plan, apply, bind, encrypt)", r"^Deidentifier\.deidentify\(_:distinctInstance:\)$"),
    ("  apply the profile (one pass)", r"^ApplicationPass\.apply\(_:prefix:typePrefix:insideDummy:\)$"),
    ("   rule resolution: matching", r"^RuleSet\.firstMatch\(_:\)$"),
    ("   rule resolution: action, IOD Type", r"^Profile\.resolveAction"),
    ("   IOD Type tables", r"^Profile\.iodTypes|^Profile\.iodContext"),
    ("   new values", r"^ApplicationPass\.newValue"),
    ("    UID mapping (HMAC)", r"^UIDMapper\.map\(_:\)$"),
    ("   pseudonym (HMAC)", r"^Deidentifier\.patientIdentity"),
    ("  file binding digest (SHA-256)", r"^static FileBinding\.digests\(of:\)$"),
    ("  Encrypted Attributes item", r"^specialized static EncryptedAttributes\.makeItem"),
    ("   encode originals", r"^specialized static EncryptedAttributes\.encoded"),
    ("   decode check of the originals", r"^static Part10Reader\.readDataSet\(bytes:transferSyntax:options:\)$"),
    ("   content digest (HMAC)", r"^HMACKey\.authenticationCode\((_|parts):\)$"),
    ("   CMS encrypt", r"^static EnvelopedData\.encrypt\(_:to:cipher:keyTransport:identifier:allowWeakKeys:\)$"),
    ("    RSA public-key operation", r"^RSA_public_encrypt$"),
    ("    AES", r"^EVP_(Cipher|Encrypt)(Update|Final_ex)$"),
    (" encode output", r"^static Part10Writer\.encodeChunks"),
    (" write temporary", r"writeTemporary"),
    (" audit counts (Plan.actionCounts)", r"^Plan\.actionCounts\.getter$"),
    ("commit (rename, audit record)", r"^OutputCommitter\.commit\(_:\)$"),
]
REIDENTIFY = [
    ("whole job (read to temporary file)", r"^ReidentifyJob\.run\(_:\)$"),
    (" read + parse", r"^static Part10Reader\.read\(contentsOf:options:\)$"),
    (" re-identify", r"^Reidentifier\.reidentify\(_:only:\)$"),
    ("  CMS decrypt", r"^specialized static EnvelopedData\.decrypt\(_:cipherOID:key:certificate:\)$"),
    ("   RSA private-key operation", r"^RSA_private_decrypt$"),
    ("  parse originals", r"^specialized Reidentifier\.parseModifiedAttributes"),
    ("   content digest (HMAC)", r"^HMACKey\.authenticationCode\((_|parts):\)$"),
    ("  file binding check (SHA-256)", r"^Reidentifier\.check\(_:of:order:ignoring:\)$"),
    (" encode output", r"^static Part10Writer\.encodeChunks"),
    (" write temporary", r"^static FileIO\.writeTemporary"),
    ("commit (rename, audit record)", r"^OutputCommitter\.commit\(_:\)$"),
    (" audit record (AuditLog.append)", r"^AuditLog\.append\(_:\)$"),
]
LINE = re.compile(r"\s*([\d,]+) \([^)]*\)\s+(.*?):(.*?)( \[[^\]]*\])?$")


def inclusive(path):
    """Inclusive instructions by function name (the largest entry where inlining splits one over files)."""
    text = subprocess.run(f"callgrind_annotate --inclusive=yes --threshold=100 '{path}' | swift demangle --simplified",
                          shell=True, capture_output=True, text=True, check=True).stdout
    costs = collections.defaultdict(int)
    for line in text.splitlines():
        match = LINE.match(line)
        if match:
            costs[match.group(3)] = max(costs[match.group(3)], int(match.group(1).replace(",", "")))
    return costs


def per_file(stages, folder, whole, one, count):
    """Instructions per file of each stage in the profiles of `folder`."""
    whole, one = inclusive(os.path.join(folder, whole)), inclusive(os.path.join(folder, one))
    values = []
    for _, pattern in stages:
        rx = re.compile(pattern)
        total = sum(v for k, v in whole.items() if rx.search(k)) - sum(v for k, v in one.items() if rx.search(k))
        values.append(round(total / (count - 1)))
    return values


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    folders = [sys.argv[2], sys.argv[1]] if len(sys.argv) > 2 else [sys.argv[1]]
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    count = json.load(open(os.path.join(root, "bench", "instruction-budget.json")))["corpus"]["count"]
    for title, stages, whole, one in [
        ("de-identify", DEIDENTIFY, "deidentify-corpus.callgrind", "deidentify-one.callgrind"),
        ("re-identify", REIDENTIFY, "reidentify-deid-corpus.callgrind", "reidentify-deid-one.callgrind"),
    ]:
        columns = [per_file(stages, folder, whole, one, count) for folder in folders]
        heads = ["before", "after"] if len(folders) == 2 else ["instructions per file"]
        print(f"| {title} | " + " | ".join(heads) + " |\n|---|" + "---:|" * len(heads))
        for n, (name, _) in enumerate(stages):
            depth = len(name) - len(name.lstrip())
            print(f"| {'· ' * depth}{name.strip()} | " + " | ".join(f"{c[n]:,}" for c in columns) + " |")
        print()


if __name__ == "__main__":
    main()
