internal import CTesseract

/// One Tesseract instance (a `TessBaseAPI`), initialised for one language. Tesseract's handles are not
/// thread-safe: an engine is used by one thread at a time (it is not `Sendable`), and each thread makes its own.
final class TesseractEngine {
    private let handle: OpaquePointer
    private let api: TesseractLibrary

    /// One word as Tesseract returns it, in the coordinates of the image given.
    struct Word {
        var text: String
        var left: Int, top: Int, right: Int, bottom: Int
        var confidence: Float
        /// Whether this word starts a new text line.
        var startsLine: Bool
    }

    /// - Parameters:
    ///   - dataDirectory: the directory holding `<language>.traineddata`; nil for Tesseract's own default
    ///     (`TESSDATA_PREFIX`, else the one it was built with).
    ///   - language: Tesseract's language code (`eng`).
    /// - Throws: ``TextDetectionError`` `.missingLibrary` when Tesseract's library cannot be loaded,
    ///   `.missingLanguageData` when Tesseract cannot load the language.
    init(dataDirectory: String?, language: String) throws(TextDetectionError) {
        let api = try TesseractLibrary.shared.get()
        guard let handle = api.create() else {
            throw TextDetectionError(.recognitionFailed, "Tesseract could not be created")
        }
        // Tesseract writes its diagnostics (a missing data file, 'Invalid resolution') to stderr unless told
        // otherwise; the error thrown here says what matters, in one line.
        _ = api.setVariable(handle, "debug_file", "/dev/null")
        guard api.initialise(handle, dataDirectory, language) == 0 else {
            // Not yet owned by self (a throwing initialiser runs deinit once every property is set).
            api.delete(handle)
            let place = dataDirectory.map { "in \($0)" } ?? "where Tesseract looks (TESSDATA_PREFIX or its built-in directory)"
            throw TextDetectionError(.missingLanguageData,
                                     "Tesseract cannot load language '\(language)' \(place): install tesseract-ocr-\(language)")
        }
        self.handle = handle
        self.api = api
        // Burned-in text is scattered over the image, not paragraphs of a page.
        api.setPageSegMode(handle, PSM_SPARSE_TEXT)
    }

    deinit {
        api.end(handle)
        api.delete(handle)
    }

    /// Sets a Tesseract parameter (`tessedit_do_invert`, ...).
    /// - Returns: whether Tesseract knows the parameter.
    @discardableResult
    func set(_ name: String, _ value: String) -> Bool {
        api.setVariable(handle, name, value) != 0
    }

    /// The words Tesseract reads in `image`.
    /// - Throws: ``TextDetectionError`` `.recognitionFailed` when Tesseract reports a failure.
    func words(in image: GreyImage) throws(TextDetectionError) -> [Word] {
        let failed = image.pixels.withUnsafeBufferPointer { buffer -> Bool in
            api.setImage(handle, buffer.baseAddress, Int32(image.width), Int32(image.height), 1, Int32(image.width))
            // Screen text: about 70 pixels per inch; only Tesseract's size heuristics use it.
            api.setSourceResolution(handle, 70)
            return api.recognize(handle, nil) != 0
        }
        defer { api.clear(handle) }
        guard !failed else { throw TextDetectionError(.recognitionFailed, "Tesseract could not recognise a \(image.width) x \(image.height) image") }
        guard let iterator = api.getIterator(handle) else { return [] }
        defer { api.iteratorDelete(iterator) }
        let page = api.iteratorPage(iterator)
        var words: [Word] = []
        repeat {
            guard let text = api.iteratorText(iterator, RIL_WORD) else { continue }
            defer { api.deleteText(text) }
            var left: Int32 = 0, top: Int32 = 0, right: Int32 = 0, bottom: Int32 = 0
            guard api.pageBoundingBox(page, RIL_WORD, &left, &top, &right, &bottom) != 0 else { continue }
            words.append(Word(text: String(cString: text), left: Int(left), top: Int(top), right: Int(right), bottom: Int(bottom),
                              confidence: api.iteratorConfidence(iterator, RIL_WORD),
                              startsLine: api.pageIsAtBeginningOf(page, RIL_TEXTLINE) != 0))
        } while api.iteratorNext(iterator, RIL_WORD) != 0
        return words
    }
}
