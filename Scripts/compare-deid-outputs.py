#!/usr/bin/env python3
# usage: python3 Scripts/compare-deid-outputs.py OLD_OUTPUT NEW_OUTPUT KEY CERT [IGNORED_TAG ...]
# IGNORED_TAG: gggg,eeee of a top-level attribute expected to differ (e.g. 0012,0064).
# Checks two releases de-identify alike: run both on the same inputs with the same --secret first.
"""Compares two de-identification output folders (same inputs, same secret): data sets outside (0400,0500) must be
equal (values and VRs), and the decrypted Modified Attributes items equal; what sits beside the sequence (the
content digest, the binding) is not compared. Item blocks named DICOM-DEID BINDING 1 (an earlier layout of the
binding, inside the item) are left out."""
import sys, os, subprocess, tempfile, io
import pydicom
from pydicom.filereader import read_dataset

key, crt = sys.argv[3], sys.argv[4]
ignored = [int(t.replace(',', ''), 16) for t in sys.argv[5:]]

def files(root):
    out = {}
    for d, _, fs in os.walk(root):
        for f in fs:
            if f.endswith('.dcm'):
                out[os.path.relpath(os.path.join(d, f), root)] = os.path.join(d, f)
    return out

def decrypt(ds):
    der = bytes(ds.EncryptedAttributesSequence[-1].EncryptedContent)
    with tempfile.NamedTemporaryFile(delete=False) as t:
        t.write(der)
    out = subprocess.run(['openssl', 'cms', '-decrypt', '-inform', 'DER', '-in', t.name, '-inkey', key, '-recip', crt,
                          '-binary'], capture_output=True, check=True).stdout
    os.unlink(t.name)
    content = read_dataset(io.BytesIO(out), is_implicit_VR=False, is_little_endian=True)
    return content

def strip_binding(item):
    block = None
    for elem in list(item):
        if elem.tag.group == 0x7FD1 and elem.tag.element <= 0xFF and elem.value == 'DICOM-DEID BINDING 1':
            block = elem.tag.element
    if block is not None:
        for elem in list(item):
            if elem.tag.group == 0x7FD1 and (elem.tag.element == block or elem.tag.element >> 8 == block):
                del item[elem.tag]
    return block is not None

a, b = files(sys.argv[1]), files(sys.argv[2])
assert set(a) == set(b), f"names differ: {sorted(set(a) ^ set(b))[:5]}"
bound = 0
for name in sorted(a):
    da, db = pydicom.dcmread(a[name]), pydicom.dcmread(b[name])
    ia, ib = decrypt(da), decrypt(db)
    for tag in [0x04000500] + ignored:
        if tag in da: del da[tag]
        if tag in db: del db[tag]
    assert da == db, f"{name}: data sets outside (0400,0500) differ"
    for x, y in zip(da.iterall(), db.iterall()):
        assert x.tag == y.tag and x.VR == y.VR, f"{name}: {x.tag} {x.VR} vs {y.tag} {y.VR}"
    ma, mb = ia.ModifiedAttributesSequence[0], ib.ModifiedAttributesSequence[0]
    strip_binding(ma)
    bound += strip_binding(mb)
    assert ma == mb, f"{name}: Modified Attributes differ apart from the binding"
    for x, y in zip(ma.iterall(), mb.iterall()):
        assert x.tag == y.tag and x.VR == y.VR and x.value == y.value, f"{name}: item {x.tag} differs"
print(f"{len(a)} outputs: data sets outside (0400,0500) equal" + (f" (ignoring {sys.argv[5:]})" if ignored else "")
      + f"; Modified Attributes items equal ({bound} of {len(b)} new items hold an in-item binding block)")
