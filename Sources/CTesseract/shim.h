// Tesseract 5's C API (Debian libtesseract-dev, with Leptonica from libleptonica-dev); imported only by
// Sources/TextDetection/Internal. Its types only: the library is loaded at run time (TesseractLibrary.swift),
// not linked.
#ifndef DICOM_DEID_CTESSERACT_SHIM_H
#define DICOM_DEID_CTESSERACT_SHIM_H

#include <tesseract/capi.h>

#endif
