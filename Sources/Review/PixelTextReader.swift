import DICOMCodec
import DICOMCore
import DICOMDictionary
import Deidentification
import Dispatch
import IdentifyingTerms
import PixelData
import TextDetection

/// Reads the burned-in text of a file's pixels with OCR, every frame (`dicom-review check --ocr`,
/// `inventory --ocr`): frames decoded as `--detect-text` decodes them (``Deidentification/PixelFrames``), read by
/// the same ``TextDetection/TextDetector`` with the same preparations, on all cores.
public struct PixelTextReader: Sendable {
    /// The detectors (and the preparations they use).
    public let detection: TextDetectionSettings
    /// The codecs for encapsulated transfer syntaxes.
    public let registry: FrameCodecRegistry

    /// - Parameters:
    ///   - detection: started once per run (missing language data is reported before any file is read).
    ///   - registry: the frame codecs (`PixelCodecs.registry`).
    public init(detection: TextDetectionSettings, registry: FrameCodecRegistry) {
        self.detection = detection
        self.registry = registry
    }

    /// Whether a data set has pixels: Pixel Data, or Float or Double Float Pixel Data (which ``read(_:terms:)``
    /// refuses: a file with them must not pass as read).
    public static func hasPixels(_ dataSet: DataSet) -> Bool {
        dataSet.contains(.pixelData) || dataSet.contains(.floatPixelData) || dataSet.contains(.doubleFloatPixelData)
    }

    /// Every frame of `file` read, its words counted and its lines searched for `terms`.
    /// - Parameters:
    ///   - file: a file with Pixel Data.
    ///   - terms: the identifying terms of the original (``IdentifyingTerms/IdentifierCollector/terms(in:)``).
    /// - Throws: ``LeftoverCheckError`` `.unreadablePixels` when the pixels cannot be decoded or a frame cannot be
    ///   read (PALETTE COLOR, a frame too large, Tesseract failing), naming the frame; or when they are Float or
    ///   Double Float Pixel Data.
    public func read(_ file: Part10File, terms: [IdentifierTerm]) throws(LeftoverCheckError) -> PixelTextScan {
        guard !file.dataSet.contains(.floatPixelData), !file.dataSet.contains(.doubleFloatPixelData) else {
            throw LeftoverCheckError(.unreadablePixels, "Float or Double Float Pixel Data (7FE0,0008/0009) is not read for text")
        }
        let frames: PixelFrames
        do { frames = try PixelFrames(file, registry: registry) } catch {
            throw LeftoverCheckError(.unreadablePixels, "the pixels cannot be decoded", cause: error)
        }
        let matcher = PixelTermMatcher(terms: terms)
        let detection = self.detection
        let readFrame = { @Sendable (index: Int) -> Result<PixelTextScan, any Error> in
            Result {
                let decoded = try frames.frame(index)
                let lines = try detection.withDetector { detector throws(TextDetectionError) in try detector.detect(in: decoded) }
                var scan = PixelTextScan(frames: 1)
                for line in lines {
                    scan.textBoxes += line.words.count
                    if matcher.classifier.classify(line).isIdentifying { scan.identifyingLines += 1 }
                    for (term, box, exact) in matcher.matches(in: line) {
                        scan.matches.append(PixelTextScan.Match(term: term, frame: index, box: box, read: line.text, exact: exact))
                    }
                }
                return scan
            }
        }
        var results = [Result<PixelTextScan, any Error>](repeating: .success(PixelTextScan()), count: frames.count)
        if frames.count == 1 {
            results[0] = readFrame(0)
        } else {
            results.withUnsafeMutableBufferPointer { buffer in
                // Each iteration writes its own slot only.
                nonisolated(unsafe) let slots = buffer
                DispatchQueue.concurrentPerform(iterations: frames.count) { slots[$0] = readFrame($0) }
            }
        }
        var total = PixelTextScan()
        for (index, result) in results.enumerated() {
            switch result {
            case .success(let scan):
                total.frames += scan.frames
                total.textBoxes += scan.textBoxes
                total.identifyingLines += scan.identifyingLines
                total.matches += scan.matches
            case .failure(let error):
                throw LeftoverCheckError(.unreadablePixels, "frame \(index + 1) cannot be read for text", cause: error)
            }
        }
        return total
    }
}
