import PixelData

/// Reads the burned-in text of decoded frames with Tesseract 5: word boxes with their text and confidence,
/// grouped in lines.
///
/// Each frame is turned into 8-bit images (``FramePlanes``: the displayed luminance, for colour frames with colour
/// their chroma when ``TextDetectionOptions/chromaPlane`` is set, and each colour plane when
/// ``TextDetectionOptions/colourPlanes`` is set), each read as it is and inverted
/// (``TextDetectionOptions/invertedPass``), enlarged ``TextDetectionOptions/scale`` times. Words found by
/// several passes are kept once (the most confident reading), and marked ``DetectedWord/textLike`` when their
/// pixels look like a band of text (in the luminance or a colour plane). Words are then grouped into lines by position:
/// boxes that overlap vertically and lie less than two and a half text heights apart.
///
/// A detector holds a Tesseract instance, which is not thread-safe: it is not `Sendable`; make one per thread.
public struct TextDetector {
    private let engine: TesseractEngine
    /// The preparations and language used.
    public let options: TextDetectionOptions

    /// The largest chroma of a pixel still taken for grey (rounding in a colour transform, JPEG noise).
    public static let greyChroma: UInt8 = 24

    /// The most pixels of one enlarged image: the scale is lowered for larger frames.
    static let maximumReadPixels = 1 << 26

    /// Starts Tesseract for `options.language`.
    /// - Throws: ``TextDetectionError`` `.missingLanguageData` when the language's trained data cannot be loaded.
    public init(options: TextDetectionOptions = TextDetectionOptions()) throws(TextDetectionError) {
        engine = try TesseractEngine(dataDirectory: options.dataDirectory, language: options.language)
        engine.set("tessedit_do_invert", options.tesseractInverts ? "1" : "0")
        engine.set("thresholding_method", String(options.thresholding.rawValue))
        self.options = options
    }

    /// The text lines of `frame`, top to bottom.
    /// - Throws: ``TextDetectionError`` `.frameTooLarge` above ``PixelData/PixelDescription/maximumDecodedFrameSamples``,
    ///   `.unreadableFrame` for samples that do not fit the description, `.recognitionFailed` when Tesseract fails.
    public func detect(in frame: DecodedFrame) throws(TextDetectionError) -> [DetectedLine] {
        try detect(in: frame, blanking: [])
    }

    /// The rectangles `redaction` blanks in `frame`: the frame is read, the chosen rectangles blanked, and the
    /// blanked frame read again (up to ``TextDetectionOptions/rereadsAfterBlanking`` times, while a reading adds a
    /// rectangle), so that text its blanked neighbours hid is blanked too. Also returns every line read.
    /// - Parameter band: when given, only these rows are read (the full width; the frame is prepared whole, so
    ///   that the rows read are the pixels a whole reading sees): what changed in a cine's frame.
    /// - Throws: as ``detect(in:)``.
    public func rectangles(in frame: DecodedFrame, rows band: Range<Int>? = nil, redaction: TextRedaction,
                           classifier: TextLineClassifier) throws(TextDetectionError) -> (rectangles: [PixelRectangle], lines: [DetectedLine]) {
        let run = TextRun(images: try FramePlanes(frame).textImages)
        return try Self.rectangles(redaction: redaction, classifier: classifier, run: run, rereads: options.rereadsAfterBlanking) {
            (blanked: [PixelRectangle]) throws(TextDetectionError) in try detect(in: frame, blanking: blanked, rows: band)
        }
    }

    /// The loop of ``rectangles(in:rows:redaction:classifier:)`` over `read`, which gives the lines of the frame with the
    /// rectangles passed blanked (the measurement passes a reader that keeps what it read); identifying lines are
    /// stretched over their text-like run in the frame's images (`run`).
    static func rectangles<Failure: Error>(redaction: TextRedaction, classifier: TextLineClassifier, run: TextRun?, rereads limit: Int,
                                           read: ([PixelRectangle]) throws(Failure) -> [DetectedLine]) throws(Failure)
        -> (rectangles: [PixelRectangle], lines: [DetectedLine]) {
        var lines = try read([])
        var rectangles = redaction.rectangles(for: lines, classifier: classifier, run: run)
        var rereads = 0
        while rereads < limit, !rectangles.isEmpty {
            rereads += 1
            let again = try read(rectangles)
            let known = Set(rectangles)
            let added = redaction.rectangles(for: again, classifier: classifier, run: run).filter { !known.contains($0) && !inside($0, rectangles) }
            lines += again
            guard !added.isEmpty else { break }
            rectangles += added
        }
        return (rectangles, lines)
    }

    /// Whether `rectangle` lies wholly inside one of `rectangles` (it would blank nothing new).
    static func inside(_ rectangle: PixelRectangle, _ rectangles: [PixelRectangle]) -> Bool {
        rectangles.contains { $0.x <= rectangle.x && $0.y <= rectangle.y && $0.x + $0.width >= rectangle.x + rectangle.width
            && $0.y + $0.height >= rectangle.y + rectangle.height }
    }

    /// The bytes of each row of the images `frame` is read from, as they are prepared (the displayed luminance,
    /// for colour frames also the chroma and colour planes, one after the other): where two frames have the same
    /// row, a reading sees the same pixels.
    /// - Throws: as ``detect(in:)``.
    public static func preparedRows(of frame: DecodedFrame) throws(TextDetectionError) -> [[UInt8]] {
        let planes = try FramePlanes(frame)
        let images = [planes.luminance] + planes.colour + (planes.chroma.map { [$0] } ?? [])
        let width = planes.luminance.width
        return (0..<planes.luminance.height).map { y in images.flatMap { $0.pixels[y * width..<(y + 1) * width] } }
    }

    /// The text lines of `frame` with `blanked` set to black first, as blanking leaves the output; only the rows
    /// `band` when given.
    func detect(in frame: DecodedFrame, blanking blanked: [PixelRectangle], rows band: Range<Int>? = nil) throws(TextDetectionError) -> [DetectedLine] {
        let d = frame.description
        guard d.frameSamples <= PixelDescription.maximumDecodedFrameSamples else {
            throw TextDetectionError(.frameTooLarge, "a frame of \(d.columns) x \(d.rows) x \(d.samplesPerPixel) samples (at most 2^28)")
        }
        var planes = try FramePlanes(frame)
        if !blanked.isEmpty {
            planes.luminance = planes.luminance.blanking(blanked)
            planes.colour = planes.colour.map { $0.blanking(blanked) }
            planes.chroma = planes.chroma?.blanking(blanked)
        }
        var images = [planes.luminance]
        if options.colourPlanes { images += planes.colour }
        if options.chromaPlane, let chroma = planes.chroma, chroma.pixels.contains(where: { $0 > Self.greyChroma }) { images.append(chroma) }
        var words: [DetectedWord] = []
        for whole in images {
            let image = band.map { whole.rows($0) } ?? whole
            let top = band?.lowerBound ?? 0
            words = WordMerging.merge(words, try read(image, top: top))
            if options.invertedPass { words = WordMerging.merge(words, try read(image.inverted(), top: top)) }
        }
        let all = [planes.luminance] + planes.colour
        for index in words.indices { words[index].textLike = TextLikeness.looksLikeText(words[index].box, in: all) }
        return WordMerging.lines(words)
    }

    /// The words of one image read at the configured scale, in the image's own coordinates moved down by `top`
    /// (the frame's, for a band of its rows).
    private func read(_ image: GreyImage, top offset: Int = 0) throws(TextDetectionError) -> [DetectedWord] {
        var scale = max(1, min(4, options.scale))
        while scale > 1, image.width * image.height * scale * scale > Self.maximumReadPixels { scale -= 1 }
        let found = try engine.words(in: image.scaled(by: scale))
        return found.compactMap { word in
            // Tesseract's sparse mode reports marks of the image texture as one-character "words" of no letter or digit.
            guard word.text.contains(where: { $0.isLetter || $0.isNumber }) else { return nil }
            let left = word.left / scale, top = word.top / scale
            let right = (word.right + scale - 1) / scale, bottom = (word.bottom + scale - 1) / scale
            guard right > left, bottom > top else { return nil }
            return DetectedWord(text: word.text, box: PixelRectangle(x: left, y: top + offset, width: right - left, height: bottom - top),
                                confidence: Double(word.confidence))
        }
    }
}
