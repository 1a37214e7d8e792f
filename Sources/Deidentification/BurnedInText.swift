import DICOMCodec
import DICOMCore
import Dispatch
import IdentifyingTerms
import PixelData
import TextDetection

extension Deidentifier {
    /// The rectangles `--detect-text` blanks in each frame of `file` (index = frame): every frame decoded and its
    /// text read, its lines classified against the identifying values of the original header, each chosen line's
    /// rectangle clipped to the image. The first frame is read whole; every later frame (on all cores, one
    /// detector per worker) is compared with it pixel by pixel and read again where it differs
    /// (``lines(of:reference:referenceLines:pool:)``).
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
        // The first frame is read whole; it is the reference the others are compared with.
        let reference: DecodedFrame, referenceLines: [DetectedLine]
        do {
            reference = try decode(0)
            referenceLines = try pool.withDetector { detector throws(TextDetectionError) in try detector.detect(in: reference) }
        } catch {
            throw failed(0, error)
        }
        guard frameCount > 1 else { return [chosen(referenceLines)] }
        let read = { @Sendable (frame: Int) -> Result<[PixelRectangle], any Error> in
            Result {
                let decoded = try decode(frame)
                let lines = try Self.lines(of: decoded, reference: reference, referenceLines: referenceLines, pool: pool)
                return chosen(lines)
            }
        }
        var results = [Result<[PixelRectangle], any Error>](repeating: .success([]), count: frameCount)
        results[0] = .success(chosen(referenceLines))
        results.withUnsafeMutableBufferPointer { buffer in
            // Each iteration writes its own slot only.
            nonisolated(unsafe) let slots = buffer
            DispatchQueue.concurrentPerform(iterations: frameCount - 1) { slots[$0 + 1] = read($0 + 1) }
        }
        return try results.enumerated().map { frame, result throws(DeidentificationError) in
            switch result {
            case .success(let rectangles): return rectangles
            case .failure(let error): throw failed(frame, error)
            }
        }
    }

    /// The text lines of `frame`, read only where it differs from `reference` (``FrameDifference``): the lines of
    /// the reference outside every changed area stand (every pixel of them and around them is unchanged), and each
    /// changed area is read on its own, or the whole frame when the areas cover most of it.
    /// - Throws: ``TextDetection/TextDetectionError`` when a read fails.
    static func lines(of frame: DecodedFrame, reference: DecodedFrame, referenceLines: [DetectedLine],
                      pool: TextDetectorPool) throws(TextDetectionError) -> [DetectedLine] {
        let difference = FrameDifference(frame, from: reference, referenceLines: referenceLines)
        if difference.areas.isEmpty { return referenceLines }
        if difference.readsWholeFrame {
            return try pool.withDetector { detector throws(TextDetectionError) in try detector.detect(in: frame) }
        }
        var lines = referenceLines.filter(difference.keeps)
        for area in difference.areas {
            guard let part = frame.cropped(to: area) else {
                return try pool.withDetector { detector throws(TextDetectionError) in try detector.detect(in: frame) }
            }
            let found = try pool.withDetector { detector throws(TextDetectionError) in try detector.detect(in: part) }
            lines += found.map { line in
                DetectedLine(words: line.words.map { word in
                    var moved = word
                    moved.box.x += area.x
                    moved.box.y += area.y
                    return moved
                })
            }
        }
        return lines
    }
}
