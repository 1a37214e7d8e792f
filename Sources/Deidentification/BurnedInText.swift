import DICOMCodec
import DICOMCore
import Dispatch
import Hashing
import IdentifyingTerms
import PixelData
import TextDetection

extension Deidentifier {
    /// The rectangles `--detect-text` blanks in each frame of `file` (index = frame): every frame decoded and its
    /// text read, its lines classified against the identifying values of the original header, each chosen line's
    /// rectangle clipped to the image. Every frame is decoded and hashed (SHA-256 of its samples) on all cores; a
    /// frame equal to an earlier one takes that frame's rectangles, every other frame is read whole, on all cores
    /// (one detector per worker).
    /// - Throws: ``DeidentificationError`` `.pixelsNotCleaned` when a frame cannot be decoded or read (the file
    ///   is refused, never written with text unread), `.unsupportedPixelEncoding` for encapsulated pixels without
    ///   a codec.
    func detectedTextRectangles(_ file: Part10File, description: PixelDescription,
                                detection: TextDetectionSettings) throws(DeidentificationError) -> [[PixelRectangle]] {
        let dataSet = file.dataSet
        guard dataSet[.pixelData] != nil else { return [] }
        let frameCount = description.numberOfFrames
        guard description.frameSamples <= PixelDescription.maximumDecodedFrameSamples else {
            // Refused before anything is decoded: a lying header must not make the decoders allocate gigabytes.
            throw DeidentificationError(.pixelsNotCleaned, "frames of \(description.columns) x \(description.rows) x "
                + "\(description.samplesPerPixel) samples are larger than text detection reads (at most 2^28 samples)")
        }
        // Decoded as every reader of text decodes them (check --ocr too); PALETTE COLOR shown through its palette.
        let frames = try PixelFrames(file, registry: settings.policy.cleanPixelData?.registry ?? FrameCodecRegistry(codecs: [:]))
        let decode = { @Sendable (frame: Int) throws -> DecodedFrame in try frames.frame(frame) }
        let values = IdentifierCollector.terms(in: dataSet).compactMap { term in
            IdentifyingValue.Kind(rawValue: term.kind.rawValue).map { IdentifyingValue(kind: $0, text: term.text) }
        }
        let classifier = TextLineClassifier(values: values)
        let pool = detection.pool, redaction = detection.redaction
        let columns = description.columns, rows = description.rows
        let clipped = { @Sendable (rectangles: [PixelRectangle]) -> [PixelRectangle] in
            var seen: Set<PixelRectangle> = []
            return rectangles.compactMap { rectangle in
                rectangle.clipped(columns: columns, rows: rows).flatMap { seen.insert($0).inserted ? $0 : nil }
            }
        }
        let failed = { (frame: Int, error: any Error) in
            DeidentificationError(.pixelsNotCleaned, "frame \(frame + 1) could not be read for burned-in text", cause: error)
        }
        let read = { @Sendable (frame: Int) -> Result<[PixelRectangle], any Error> in
            Result {
                let decoded = try decode(frame)
                // Read, blanked, read again as the output will look (TextDetector.rectangles(in:redaction:classifier:)).
                return clipped(try pool.withDetector { detector throws(TextDetectionError) in
                    try detector.rectangles(in: decoded, redaction: redaction, classifier: classifier).rectangles
                })
            }
        }
        guard frameCount > 1 else {
            switch read(0) {
            case .success(let found): return [found]
            case .failure(let error): throw failed(0, error)
            }
        }
        // Reading a frame takes tens of bytes per sample (planes, enlarged copies, Tesseract's own): large frames
        // are read a few at a time, whatever the number of cores.
        let inFlight = max(1, Self.detectionSampleBudget / max(1, description.frameSamples))
        // A frame equal to an earlier one (the same SHA-256 of its decoded samples) takes that frame's reading: a
        // cine showing the same picture again is read once.
        let digests = Self.concurrently(frameCount, atOnce: inFlight) { frame in
            Result { SHA256.digest([try decode(frame).samples]) }
        }
        var firstWith: [[UInt8]: Int] = [:]
        var source = Array(0..<frameCount)
        for (frame, digest) in digests.enumerated() {
            switch digest {
            case .success(let digest):
                if let earlier = firstWith[digest] { source[frame] = earlier } else { firstWith[digest] = frame }
            case .failure(let error):
                throw failed(frame, error)
            }
        }
        let distinct = (0..<frameCount).filter { source[$0] == $0 }
        let readings = Self.concurrently(distinct.count, atOnce: inFlight) { read(distinct[$0]) }
        var rectangles = [[PixelRectangle]](repeating: [], count: frameCount)
        for (frame, reading) in zip(distinct, readings) {
            switch reading {
            case .success(let found): rectangles[frame] = found
            case .failure(let error): throw failed(frame, error)
            }
        }
        for frame in 0..<frameCount where source[frame] != frame { rectangles[frame] = rectangles[source[frame]] }
        return rectangles
    }

    /// `body(0)` to `body(count - 1)` on all cores, at most `atOnce` at a time, in order.
    static func concurrently<T>(_ count: Int, atOnce: Int, _ body: @Sendable (Int) -> T) -> [T] {
        var results = [T?](repeating: nil, count: count)
        let slots = DispatchSemaphore(value: atOnce)
        results.withUnsafeMutableBufferPointer { buffer in
            // Each iteration writes its own slot only.
            nonisolated(unsafe) let out = buffer
            DispatchQueue.concurrentPerform(iterations: count) { index in
                slots.wait()
                defer { slots.signal() }
                out[index] = body(index)
            }
        }
        let filled = results.compactMap { $0 }
        precondition(filled.count == count, "concurrentPerform ran every iteration")
        return filled
    }

    /// The samples of the frames read for text at the same time, at most (beyond one frame): 2^26, 64 frames of
    /// 1024 x 1024 grey.
    static let detectionSampleBudget = 1 << 26
}
