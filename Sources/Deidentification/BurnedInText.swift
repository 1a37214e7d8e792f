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
    /// rectangle clipped to the image. Every frame is decoded and prepared as the detector prepares it, and each
    /// row digested, on all cores; ``CineReading`` then says per frame what is read: a frame equal to an earlier
    /// one takes its rectangles, a frame that differs from the last frame read whole in a few bands of rows has
    /// those bands read (full width) and keeps that frame's rectangles elsewhere, every other frame is read whole
    /// (on all cores, one detector per worker).
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
        guard frameCount > 1 else {
            do {
                let decoded = try decode(0)
                return [clipped(try pool.withDetector { detector throws(TextDetectionError) in
                    try detector.rectangles(in: decoded, redaction: redaction, classifier: classifier).rectangles
                })]
            } catch {
                throw failed(0, error)
            }
        }
        // Reading a frame takes tens of bytes per sample (planes, enlarged copies, Tesseract's own): large frames
        // are read a few at a time, whatever the number of cores.
        let inFlight = max(1, Self.detectionSampleBudget / max(1, description.frameSamples))
        // Each frame prepared as the detector prepares it (whole: windowing and planes depend on the whole frame),
        // each row of it digested (SHA-256): rows equal to the same rows of a frame read are read alike.
        let digested = Self.concurrently(frameCount, atOnce: inFlight) { frame in
            Result { try TextDetector.preparedRows(of: try decode(frame)).map { SHA256.digest([$0]) } }
        }
        var rowDigests: [[[UInt8]]] = []
        for (frame, digests) in digested.enumerated() {
            switch digests {
            case .success(let digests): rowDigests.append(digests)
            case .failure(let error): throw failed(frame, error)
            }
        }
        let plan = detection.readsChangedRows ? CineReading.plan(rowDigests) : CineReading.wholeFrames(rowDigests)
        var readings = [(rectangles: [PixelRectangle], lines: [DetectedLine])?](repeating: nil, count: frameCount)
        let wholeFrames = (0..<frameCount).filter { plan[$0] == .whole }
        let whole = Self.concurrently(wholeFrames.count, atOnce: inFlight) { index in
            Result { () throws -> ([PixelRectangle], [DetectedLine]) in
                let decoded = try decode(wholeFrames[index])
                // Read, blanked, read again as the output will look (TextDetector.rectangles(in:rows:redaction:classifier:)).
                return try pool.withDetector { detector throws(TextDetectionError) in
                    try detector.rectangles(in: decoded, redaction: redaction, classifier: classifier)
                }
            }
        }
        for (frame, reading) in zip(wholeFrames, whole) {
            switch reading {
            case .success(let found): readings[frame] = (clipped(found.0), found.1)
            case .failure(let error): throw failed(frame, error)
            }
        }
        // A frame that differs from its reference in a few bands of rows: those bands read (full width, with the
        // reference's text lines they touch), the reference's rectangles elsewhere kept.
        let banded = (0..<frameCount).compactMap { frame -> (frame: Int, reference: Int, bands: [Range<Int>])? in
            guard case .bands(let reference, let changed) = plan[frame], let known = readings[reference] else { return nil }
            let boxes = known.rectangles + known.lines.map(\.box)
            return (frame, reference, CineReading.bands(changed, holding: boxes, rows: rows))
        }
        let known = readings
        let partial = Self.concurrently(banded.count, atOnce: inFlight) { index in
            Result { () throws -> [PixelRectangle] in
                let (frame, reference, bands) = banded[index]
                let decoded = try decode(frame)
                // Bands hold whole the reference's rectangles they touch: the others lie wholly outside them.
                var rectangles = (known[reference]?.rectangles ?? []).filter { box in !bands.contains { CineReading.overlaps($0, box) } }
                try pool.withDetector { detector throws(TextDetectionError) in
                    for band in bands {
                        rectangles += try detector.rectangles(in: decoded, rows: band, redaction: redaction, classifier: classifier).rectangles
                    }
                }
                return rectangles
            }
        }
        for (job, reading) in zip(banded, partial) {
            switch reading {
            case .success(let found): readings[job.frame] = (clipped(found), [])
            case .failure(let error): throw failed(job.frame, error)
            }
        }
        return (0..<frameCount).map { frame in
            if case .same(let earlier) = plan[frame] { return readings[earlier]?.rectangles ?? [] }
            return readings[frame]?.rectangles ?? []
        }
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
