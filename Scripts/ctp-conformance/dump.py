import pydicom, json
from cases import CASES
ds = pydicom.dcmread("out/test.dcm")
out = []
for kw, present, script in CASES:
    if kw in ds:
        el = ds.data_element(kw)
        raw = el.value
        v = "\\".join(raw) if isinstance(raw, (list, pydicom.multival.MultiValue)) else str(raw)
        out.append((kw, present, script, repr(v)))
    else:
        out.append((kw, present, script, "ABSENT"))
for o in out: print(o)
