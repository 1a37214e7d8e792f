// Tesseract 5's C API (Debian libtesseract-dev, with Leptonica from libleptonica-dev); imported only by
// Sources/TextDetection/Internal.
#ifndef DICOM_DEID_CTESSERACT_SHIM_H
#define DICOM_DEID_CTESSERACT_SHIM_H

#include <tesseract/capi.h>

#endif
