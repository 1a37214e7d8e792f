#!/usr/bin/env bash
# Downloads the 10 real ultrasound files of issue 19 from PyPI (never committed: they are other projects' test
# data) and unpacks them into one folder:
#   deid-data 0.0.20:    GREYSCALE_IMAGE.dcm RGB_IMAGE.dcm ultrasound-multiframe.dcm GREYSCALE_CINE.dcm RGB_CINE.dcm
#                        (the last two from GREYSCALE_CINE.zip and RGB_CINE.zip)
#   pydicom-data 1.0.0:  US1_UNCR.dcm US1_UNCI.dcm US1_J2KR.dcm US1_J2KI.dcm gdcm-US-ALOKA-16.dcm
# Folder: $1, else $DICOM_DEID_US_SAMPLES, else ${XDG_CACHE_HOME:-~/.cache}/dicom-deid/pypi-ultrasound (where
# Tests/CLITests/RealUltrasoundTests.swift looks). The archives are checked against pinned SHA-256 digests.
# Does nothing when every file is already there. Needs python3 -m pip (pip download, no install) and unzip.
set -euo pipefail
dir=${1:-${DICOM_DEID_US_SAMPLES:-${XDG_CACHE_HOME:-$HOME/.cache}/dicom-deid/pypi-ultrasound}}
files=(GREYSCALE_IMAGE.dcm RGB_IMAGE.dcm ultrasound-multiframe.dcm GREYSCALE_CINE.dcm RGB_CINE.dcm
       US1_UNCR.dcm US1_UNCI.dcm US1_J2KR.dcm US1_J2KI.dcm gdcm-US-ALOKA-16.dcm)
complete=1
for f in "${files[@]}"; do [ -s "$dir/$f" ] || complete=0; done
if [ $complete = 1 ]; then echo "ultrasound samples: $dir (already there)"; exit 0; fi

mkdir -p "$dir"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 -m pip download -q --disable-pip-version-check --no-deps --no-binary deid-data -d "$work" deid-data==0.0.20
python3 -m pip download -q --disable-pip-version-check --no-deps --only-binary pydicom-data -d "$work" pydicom-data==1.0.0
(cd "$work" && sha256sum -c --quiet - <<'SUMS'
33d455f13c82f76a39e8eb52d2808a35d7cde29c120819e246c863432281b8ed  deid-data-0.0.20.tar.gz
622ac97265f1d91f76b5120b5bd6eb0f57737c392ef863b72c71779c91e33637  pydicom_data-1.0.0-py3-none-any.whl
SUMS
)
us=deid-data-0.0.20/deid_data/data/ultrasounds
tar xzf "$work/deid-data-0.0.20.tar.gz" -C "$work" "$us"
unzip -q -o "$work/$us/GREYSCALE_CINE.zip" -d "$work/$us"
unzip -q -o "$work/$us/RGB_CINE.zip" -d "$work/$us"
unzip -q -o "$work/pydicom_data-1.0.0-py3-none-any.whl" 'data_store/data/US1_*' 'data_store/data/gdcm-US-ALOKA-16.dcm' -d "$work"
for f in "${files[@]}"; do
  if [ -f "$work/$us/$f" ]; then src="$work/$us/$f"; else src="$work/data_store/data/$f"; fi
  cp "$src" "$dir/$f.tmp" && mv "$dir/$f.tmp" "$dir/$f"
done
echo "ultrasound samples: $dir (${#files[@]} files)"
