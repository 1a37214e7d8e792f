#!/usr/bin/env python3
"""Checks that Package.swift declares for each target exactly the modules its sources import, both ways:
an import the target does not declare builds only by accident (another target brought the module in), and a
declared dependency nothing imports is a false edge in the module graph.

Usage: Scripts/check-imports.py   (from anywhere; runs `swift package dump-package`). Exit status 1 on a mismatch.
"""
import glob
import json
import os
import re
import subprocess
import sys

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# Modules of the platform and the toolchain, never declared.
PLATFORM = {"Foundation", "FoundationXML", "FoundationEssentials", "Glibc", "Musl", "Darwin", "Dispatch",
            "Synchronization", "Testing", "XCTest"}
IMPORT = re.compile(r"^\s*(?:@\w+\s+)*(?:(?:internal|package|public|private|fileprivate)\s+)?import\s+"
                    r"(?:(?:struct|enum|class|func|protocol|typealias|var|let)\s+)?([A-Za-z_]\w*)")


def imports(folder):
    found = set()
    for path in glob.glob(os.path.join(folder, "**", "*.swift"), recursive=True):
        in_text = False   # inside a """ literal (e.g. Python run by a test)
        for line in open(path, encoding="utf-8"):
            if line.count('"""') % 2 == 1:
                in_text = not in_text
                continue
            match = None if in_text else IMPORT.match(line)
            if match:
                found.add(match.group(1))
    return found - PLATFORM


def main():
    environment = dict(os.environ, DICOM_DEID_FUZZ="1")   # the fuzz targets too
    package = json.loads(subprocess.check_output(["swift", "package", "dump-package"], cwd=root, env=environment,
                                                 stderr=subprocess.DEVNULL))
    problems = 0
    for target in package["targets"]:
        if target["type"] == "system":
            continue
        default = ("Tests/" if target["type"] == "test" else "Sources/") + target["name"]
        folder = os.path.join(root, target.get("path") or default)
        declared = {value[0]  # byName, target or product: the name comes first
                    for dependency in target["dependencies"] for value in dependency.values()}
        used = imports(folder)
        for name, names in (("imported but not declared", used - declared), ("declared but not imported", declared - used)):
            if names:
                problems += 1
                print(f"{target['name']}: {name}: {', '.join(sorted(names))}")
    if problems:
        sys.exit(1)
    print(f"Package.swift: every target declares what it imports, and nothing more ({len(package['targets'])} targets)")


if __name__ == "__main__":
    main()
