// CharLS 2.4 (Debian libcharls-dev), its C API; imported only by Sources/PixelCodecs/Internal.
// CharLS reports every failure as a return code (charls_jpegls_errc), so no wrapper is needed for errors;
// the enum constants Swift imports as plain values are repeated here as functions for readability.
#ifndef DICOM_DEID_CCHARLS_SHIM_H
#define DICOM_DEID_CCHARLS_SHIM_H

#include <charls/charls.h>

#endif
