#!/usr/bin/env python3
"""Compares one process's output folder with the parts' output folders (OUT/part-K/...): the same file names
(study/series/instance), and every file the same outside the Encrypted Attributes Sequence (0400,0500), whose
content key is fresh on every run. Also compares the two audit logs with the output roots taken out.
usage: compare-outputs.py ONE_OUTPUT PARTS_OUTPUT   (each run with --output given as an absolute path)"""
import io, os, re, sys
import pydicom

def outputs(root, parts):
    found = {}
    for folder, _, names in os.walk(root):
        for name in names:
            if name.startswith('.') or not name.endswith('.dcm'):
                continue
            path = os.path.join(folder, name)
            relative = os.path.relpath(path, root)
            if parts:
                relative = re.sub(r'^part-\d+/', '', relative)
            ds = pydicom.dcmread(path)
            if 0x04000500 in ds:
                del ds[0x04000500]
            buffer = io.BytesIO()
            ds.save_as(buffer, enforce_file_format=True)
            if relative in found:
                sys.exit(f'{relative}: written by two parts')
            found[relative] = buffer.getvalue()
    return found

def log(root, parts):
    """The audit log beside `root` with the output root taken out (both runs given --output as absolute paths)."""
    root = os.path.abspath(root)
    with open(root + '-audit.jsonl') as f:
        text = f.read().replace(root + '/', 'OUT/')
    return re.sub(r'OUT/part-\d+/', 'OUT/', text) if parts else text

one, many = sys.argv[1], sys.argv[2]
a, b = outputs(one, False), outputs(many, True)
if a.keys() != b.keys():
    sys.exit(f'names differ: {len(a.keys() - b.keys())} only in one process, {len(b.keys() - a.keys())} only in the parts')
different = [name for name in a if a[name] != b[name]]
if different:
    sys.exit(f'{len(different)} files differ, e.g. {different[0]}')
if log(one, False) != log(many, True):
    sys.exit('the merged audit log differs from one process\'s')
print(f'same: {len(a)} files and the audit log')
