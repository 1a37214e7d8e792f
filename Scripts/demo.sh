#!/usr/bin/env bash
# The main job on the bundled synthetic fixtures and TEST-ONLY keys: inventory the fixtures with dicom-review,
# de-identify them into demo-out/, re-identify that into demo-restored/ with recipient A's test key, and show one
# attribute before, after and restored. Never use the test keys for real data.
#
# The inputs are the DICOM fixtures at the top of Fixtures/, one per SOP Instance UID (the other four CT files
# are the same instance in other transfer syntaxes, for the codec tests; Fixtures/pixels/ is the pixel-cleaning
# set), named one by one, so the run reads no file that is not DICOM. DICOM_DEID_DEMO_CONFIGURATION=debug uses a
# debug build (quicker to build, slower to run).
set -euo pipefail
cd "$(dirname "$0")/.."
bash Scripts/setup.sh
configuration=${DICOM_DEID_DEMO_CONFIGURATION:-release}
for product in dicom-deidentify dicom-reidentify dicom-review; do
  swift build -c "$configuration" --product "$product"
done
bin=$(swift build -c "$configuration" --show-bin-path)
inputs=(Fixtures/ct-explicit-le.dcm Fixtures/enhanced-ct-explicit-le.dcm Fixtures/mr-explicit-le.dcm
        Fixtures/rtstruct-explicit-le.dcm Fixtures/sc-group-lengths-explicit-le.dcm Fixtures/sc-latin1-explicit-le.dcm
        Fixtures/sc-utf8-explicit-le.dcm Fixtures/sr-basic-text-explicit-le.dcm)
rm -rf demo-report demo-out demo-out-audit.jsonl demo-restored

echo "== dicom-review inventory: what the Basic Profile will do with each attribute"
"$bin/dicom-review" inventory "${inputs[@]}" --report demo-report
echo "== dicom-deidentify"
"$bin/dicom-deidentify" "${inputs[@]}" --output demo-out --recipient Keys/test-recipient-a.crt
echo "== dicom-reidentify"
"$bin/dicom-reidentify" demo-out --output demo-restored --key Keys/test-recipient-a.key --reason "demo of the test fixtures"

# One attribute through the round trip: the CT's Patient's Name (top level), its output found through the audit
# log (input -> output), its restored file by its original SOP Instance UID.
python3 - <<'SHOW'
import json, pathlib, pydicom
source = "Fixtures/ct-explicit-le.dcm"
original = pydicom.dcmread(source)
output = next(json.loads(line)["output"] for line in open("demo-out-audit.jsonl")
              if pathlib.Path(json.loads(line)["input"]).name == pathlib.Path(source).name)
restored = next(path for path in sorted(pathlib.Path("demo-restored").rglob("*.dcm"))
                if pydicom.dcmread(path, stop_before_pixels=True).SOPInstanceUID == original.SOPInstanceUID)
print(f"== Patient's Name (0010,0010) of {source}")
print(f"   before:   {original.PatientName}")
print(f"   after:    {pydicom.dcmread(output).PatientName}   ({output})")
print(f"   restored: {pydicom.dcmread(restored).PatientName}   ({restored})")
SHOW
echo "inventory report: demo-report/inventory.html   de-identified: demo-out/   restored: demo-restored/   audit log: demo-out-audit.jsonl"
