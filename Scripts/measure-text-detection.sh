#!/usr/bin/env bash
# Measures text detection on the generated OCR corpus (Scripts/make-ocr-corpus.py), one row per preparation:
# identifying and technical words detected, identifying words covered by what `identifying` and `all` blank,
# technical words kept, stray words (and how many `identifying` blanks), and CPU milliseconds per 640x480 frame
# (CPU time, not wall time: the machine may be shared).
# Usage: Scripts/measure-text-detection.sh [IMAGES] [ROWS, e.g. 0,2,5] [SEED]
# OCR_MEASURE_VERBOSE=1 lists the identifying words missed; OCR_MEASURE_CACHE=DIR keeps the words read per image
# (and per set of rectangles blanked, for the readings after blanking) so that a change of classification, line
# grouping or redaction is measured without reading again (empty DIR when the corpus or the preparation changes;
# the CPU columns mean nothing for cached rows); OCR_MEASURE_NO_RUN=1 leaves identifying lines unstretched.
set -euo pipefail
cd "$(dirname "$0")/.."
# Tesseract's OpenMP threads spin while waiting; one thread gives CPU times that mean something.
export OMP_THREAD_LIMIT=1
export OCR_MEASURE="${1:-16}"
if [ -n "${2:-}" ]; then export OCR_MEASURE_ROWS="$2"; fi
if [ -n "${3:-}" ]; then export OCR_MEASURE_SEED="$3"; fi
swift test --filter TextDetectionMeasurement 2>&1 | grep '^|'
