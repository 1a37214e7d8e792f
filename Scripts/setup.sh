#!/usr/bin/env bash
# Installs what building and testing dicom-deid needs on a fresh Debian machine (run as root, or with sudo):
# OpenSSL's libcrypto, zlib, SQLite and libpq headers for the build, and libjpeg-turbo, CharLS and OpenJPEG for the
# pixel codecs; dcmtk, dicom3tools and GDCM for the interop tests; libjpeg-turbo's cjpeg (JPEG streams of every
# structure: restart intervals, one scan per component, sampling) and OpenJPEG's opj_compress (a JPEG 2000 frame
# with the irreversible colour transform) for the pixel codec tests and fuzz seeds; PostgreSQL and sqlite3 for the
# mapping-store tests (Scripts/start-postgres.sh); pydicom 3.0.2 for the fixtures generator and the reader
# cross-checks; a JDK (javac) to run RSNA CTP's own anonymizer in the CTP comparison test
# (Tests/InteropTests/CTPComparisonTests.swift); Debian's chromium to load the dicom-review HTML report headless
# (Tests/ReviewTests/ReportBrowserTests.swift); valgrind for the per-file instruction guard
# (Scripts/instruction-guard.sh).
# Orthanc 1.10 and its DICOMweb plugin, destinations of dicom-gateway's forwarding tests (Tests/GatewayTests/
# OrthancForwardingTests.swift): the tests start Orthanc as their own process on free ports; the system service
# the package installs is not used.
# Tesseract 5 with its English data and Leptonica for text detection (Sources/TextDetection); the DejaVu, Liberation
# and Noto Mono fonts and Pillow 11.3.0 and numpy 2.4.6 for the OCR corpus generator (Scripts/make-ocr-corpus.py).
# Swift 6.2+ must already be installed.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
SUDO=""
if [ "$(id -u)" != 0 ] && command -v sudo >/dev/null; then SUDO=sudo; fi
packages=(pkg-config libssl-dev zlib1g-dev libjpeg62-turbo-dev libcharls-dev libopenjp2-7-dev openssl dcmtk dicom3tools libgdcm-tools
          libjpeg-turbo-progs libopenjp2-tools
          libsqlite3-dev libpq-dev postgresql postgresql-client sqlite3 default-jdk-headless chromium
          libtesseract-dev libleptonica-dev tesseract-ocr tesseract-ocr-eng fonts-dejavu-core fonts-liberation fonts-noto-mono valgrind
          systemd orthanc orthanc-dicomweb)
missing=()
for p in "${packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq "${missing[@]}"
fi
python3 -c 'import pydicom, sys; sys.exit(pydicom.__version__ != "3.0.2")' 2>/dev/null \
  || python3 -m pip install -q --disable-pip-version-check pydicom==3.0.2
# pynetdicom: a peer of dicom-gateway's interop tests (4 associations at once).
python3 -c 'import pynetdicom, sys; sys.exit(pynetdicom.__version__ != "3.0.4")' 2>/dev/null \
  || python3 -m pip install -q --disable-pip-version-check pynetdicom==3.0.4
python3 -c 'import PIL, numpy, sys; sys.exit(PIL.__version__ != "11.3.0" or numpy.__version__ != "2.4.6")' 2>/dev/null \
  || python3 -m pip install -q --disable-pip-version-check pillow==11.3.0 numpy==2.4.6
# The 10 real ultrasound files of issue 19 from PyPI, into a cache folder (Tests/CLITests/RealUltrasoundTests.swift;
# skipped with a message when absent, failing under CI=true).
bash "$(dirname "$0")/fetch-ultrasound-samples.sh" || echo "warning: the PyPI ultrasound samples could not be fetched (Scripts/fetch-ultrasound-samples.sh)" >&2
