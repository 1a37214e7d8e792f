import DICOMCodec
import DICOMCore
import Dispatch
import IdentifyingTerms
import PixelData
import TextDetection

extension Deidentifier {
    /// The rectangles `--detect-text` blanks in `file`: every frame decoded and read (on all cores, one detector
    /// per worker), its lines classified against the identifying values of the original header, each chosen
    /// line's rectangle clipped to the image; the union over all frames (every frame gets every rectangle: a
    /// superset of what each frame needs).
    /// - Throws: ``DeidentificationError`` `.pixelsNotCleaned` when a frame cannot be decoded or read (the file
    ///   is refused, never written with text unread), `.unsupportedPixelEncoding` for encapsulated pixels without
    ///   a codec.
    func detectedTextRectangles(_ file: Part10File, description: PixelDescription,
                                detection: TextDetectionSettings) throws(DeidentificationError) -> [PixelRectangle] {
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
        let read = { @Sendable (frame: Int) -> Result<[PixelRectangle], any Error> in
            Result {
                let decoded = try decode(frame)
                let lines = try pool.withDetector { detector throws(TextDetectionError) in try detector.detect(in: decoded) }
                return redaction.rectangles(for: lines, classifier: classifier)
            }
        }
        var results = [Result<[PixelRectangle], any Error>](repeating: .success([]), count: frameCount)
        if frameCount == 1 {
            results[0] = read(0)
        } else {
            results.withUnsafeMutableBufferPointer { buffer in
                // Each iteration writes its own slot only.
                nonisolated(unsafe) let slots = buffer
                DispatchQueue.concurrentPerform(iterations: frameCount) { slots[$0] = read($0) }
            }
        }
        var union: [PixelRectangle] = []
        var seen: Set<PixelRectangle> = []
        for (frame, result) in results.enumerated() {
            switch result {
            case .success(let rectangles):
                for rectangle in rectangles {
                    if let clipped = rectangle.clipped(columns: description.columns, rows: description.rows),
                       seen.insert(clipped).inserted {
                        union.append(clipped)
                    }
                }
            case .failure(let error):
                throw DeidentificationError(.pixelsNotCleaned, "frame \(frame + 1) could not be read for burned-in text", cause: error)
            }
        }
        return union
    }
}
