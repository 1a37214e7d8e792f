#!/usr/bin/env bash
# The main job on the bundled synthetic fixtures and TEST-ONLY keys: de-identify Fixtures/ into demo-out/,
# then re-identify it into demo-restored/ with recipient A's test key. Never use the test keys for real data.
set -euo pipefail
cd "$(dirname "$0")/.."
bash Scripts/setup.sh
swift build -c release --product dicom-deidentify
swift build -c release --product dicom-reidentify
bin=$(swift build -c release --show-bin-path)
rm -rf demo-out demo-out-audit.jsonl demo-restored
"$bin/dicom-deidentify" Fixtures --output demo-out --recipient Keys/test-recipient-a.crt
"$bin/dicom-reidentify" demo-out --output demo-restored --key Keys/test-recipient-a.key --reason "demo of the test fixtures"
echo "de-identified files: demo-out/   restored files: demo-restored/   audit log: demo-out-audit.jsonl"
