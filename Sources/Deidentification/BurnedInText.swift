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
        let order = file.dataSetEncoding.byteOrder
        guard let element = dataSet[.pixelData] else { return [] }
        let single = { var one = description; one.numberOfFrames = 1; return one }()
        let frameCount = description.numberOfFrames
        guard description.frameSamples <= PixelDescription.maximumDecodedFrameSamples else {
            // Refused before anything is decoded: a lying header must not make the decoders allocate gigabytes.
            throw DeidentificationError(.pixelsNotCleaned, "frames of \(description.columns) x \(description.rows) x "
                + "\(description.samplesPerPixel) samples are larger than text detection reads (at most 2^28 samples)")
        }
        let decode: @Sendable (Int) throws -> DecodedFrame
        switch element.value {
        case .bytes(let value):
            decode = { frame in
                try DecodedFrame(nativePixelData: value, frame: frame, description: single, littleEndian: order == .littleEndian)
            }
        case .fragments(let fragments):
            guard let codec = settings.policy.cleanPixelData?.registry.codec(for: file.transferSyntax.uid) else {
                throw DeidentificationError(.unsupportedPixelEncoding,
                    "pixels in transfer syntax \(file.transferSyntax.uid) cannot be read for text (no codec)")
            }
            let items = Array(fragments.items.dropFirst())
            let ranges: [Range<Int>]
            do {
                ranges = try Self.encapsulatedFrameRanges(fragments, description: description, dataSet: dataSet, order: order)
            } catch {
                throw DeidentificationError(.invalidPixelData, cause: error)
            }
            decode = { frame in
                let bytes = Array(items[ranges[frame]].joined())
                return DecodedFrame(samples: try codec.decode(frame: bytes, description: single), description: single)
            }
        case .sequence:
            throw DeidentificationError(.invalidPixelData, "Pixel Data (7FE0,0010) is a sequence")
        }
        let values = IdentifierCollector.terms(in: dataSet).compactMap { term in
            IdentifyingValue.Kind(rawValue: term.kind.rawValue).map { IdentifyingValue(kind: $0, text: term.text) }
        }
        let classifier = TextLineClassifier(values: values)
        let pool = detection.pool, redaction = detection.redaction
        let columns = description.columns, rows = description.rows
        let chosen = { @Sendable (lines: [DetectedLine]) -> [PixelRectangle] in
            var seen: Set<PixelRectangle> = []
            return redaction.rectangles(for: lines, classifier: classifier).compactMap { rectangle in
                rectangle.clipped(columns: columns, rows: rows).flatMap { seen.insert($0).inserted ? $0 : nil }
            }
        }
        let failed = { (frame: Int, error: any Error) in
            DeidentificationError(.pixelsNotCleaned, "frame \(frame + 1) could not be read for burned-in text", cause: error)
        }
        let read = { @Sendable (frame: Int) -> Result<[PixelRectangle], any Error> in
            Result {
                let decoded = try decode(frame)
                return chosen(try pool.withDetector { detector throws(TextDetectionError) in try detector.detect(in: decoded) })
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
