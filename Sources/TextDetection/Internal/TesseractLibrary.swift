internal import CTesseract
import SharedLibraries

/// Tesseract's C API, loaded when the first engine is made rather than linked: loading Tesseract, Leptonica and
/// their dependencies (OpenMP, libarchive, libcurl, the image libraries) costs about 9 ms of CPU at every process
/// start, which every command paid whether it read text or not (a `--plan` or `--merge` step, a small batch).
/// The types are those of Debian's `tesseract/capi.h` (CTesseract); only the functions used here are looked up.
/// Tesseract's handles and iterators are `OpaquePointer`s that never leave this module.
struct TesseractLibrary: @unchecked Sendable {
    let create: @convention(c) () -> OpaquePointer?
    let delete: @convention(c) (OpaquePointer?) -> Void
    let setVariable: @convention(c) (OpaquePointer?, UnsafePointer<CChar>?, UnsafePointer<CChar>?) -> Int32
    let initialise: @convention(c) (OpaquePointer?, UnsafePointer<CChar>?, UnsafePointer<CChar>?) -> Int32
    let setPageSegMode: @convention(c) (OpaquePointer?, TessPageSegMode) -> Void
    let setImage: @convention(c) (OpaquePointer?, UnsafePointer<UInt8>?, Int32, Int32, Int32, Int32) -> Void
    let setSourceResolution: @convention(c) (OpaquePointer?, Int32) -> Void
    let recognize: @convention(c) (OpaquePointer?, OpaquePointer?) -> Int32
    let getIterator: @convention(c) (OpaquePointer?) -> OpaquePointer?
    let clear: @convention(c) (OpaquePointer?) -> Void
    let end: @convention(c) (OpaquePointer?) -> Void
    let deleteText: @convention(c) (UnsafePointer<CChar>?) -> Void
    let iteratorDelete: @convention(c) (OpaquePointer?) -> Void
    let iteratorPage: @convention(c) (OpaquePointer?) -> OpaquePointer?
    let iteratorNext: @convention(c) (OpaquePointer?, TessPageIteratorLevel) -> Int32
    let iteratorText: @convention(c) (OpaquePointer?, TessPageIteratorLevel) -> UnsafeMutablePointer<CChar>?
    let iteratorConfidence: @convention(c) (OpaquePointer?, TessPageIteratorLevel) -> Float
    let pageIsAtBeginningOf: @convention(c) (OpaquePointer?, TessPageIteratorLevel) -> Int32
    let pageBoundingBox: @convention(c) (OpaquePointer?, TessPageIteratorLevel, UnsafeMutablePointer<Int32>?,
                                         UnsafeMutablePointer<Int32>?, UnsafeMutablePointer<Int32>?,
                                         UnsafeMutablePointer<Int32>?) -> Int32

    /// The library's file names, newest soname first (Debian bookworm's `libtesseract5`).
    static let fileNames = ["libtesseract.so.5", "libtesseract.so"]

    /// The library, loaded once per process (global: TextDetectorPool finds OpenMP's functions by name).
    static let shared: Result<TesseractLibrary, TextDetectionError> = SharedLibrary.open(firstOf: fileNames)
        .flatMap { library in
            library.functions { lookup in
                TesseractLibrary(
                    create: lookup("TessBaseAPICreate"), delete: lookup("TessBaseAPIDelete"),
                    setVariable: lookup("TessBaseAPISetVariable"), initialise: lookup("TessBaseAPIInit3"),
                    setPageSegMode: lookup("TessBaseAPISetPageSegMode"), setImage: lookup("TessBaseAPISetImage"),
                    setSourceResolution: lookup("TessBaseAPISetSourceResolution"), recognize: lookup("TessBaseAPIRecognize"),
                    getIterator: lookup("TessBaseAPIGetIterator"), clear: lookup("TessBaseAPIClear"), end: lookup("TessBaseAPIEnd"),
                    deleteText: lookup("TessDeleteText"), iteratorDelete: lookup("TessResultIteratorDelete"),
                    iteratorPage: lookup("TessResultIteratorGetPageIteratorConst"), iteratorNext: lookup("TessResultIteratorNext"),
                    iteratorText: lookup("TessResultIteratorGetUTF8Text"), iteratorConfidence: lookup("TessResultIteratorConfidence"),
                    pageIsAtBeginningOf: lookup("TessPageIteratorIsAtBeginningOf"), pageBoundingBox: lookup("TessPageIteratorBoundingBox"))
            }
        }
        .mapError { TextDetectionError(.missingLibrary, "Tesseract 5's library cannot be used (\($0.message)): install libtesseract5") }
}
