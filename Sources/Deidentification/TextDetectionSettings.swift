import Glibc
import Synchronization
import TextDetection

/// `--detect-text`: burned-in text found by OCR in every frame and blanked under ``redaction``, after the pixel
/// rules and ultrasound regions.
public struct TextDetectionSettings: Sendable {
    /// Which detected lines are blanked (`--text-redaction identifying|all`).
    public var redaction: TextRedaction
    /// How frames are prepared for Tesseract.
    public var options: TextDetectionOptions
    /// The detectors, one per thread at a time.
    let pool: TextDetectorPool

    /// Sets `OMP_THREAD_LIMIT=1` (frames and files are read in parallel: Tesseract's own OpenMP threads would only
    /// compete) and starts the first detector, so that missing language data is reported before any file is read.
    /// - Throws: ``TextDetection/TextDetectionError`` `.missingLanguageData`.
    public init(redaction: TextRedaction = .identifying, options: TextDetectionOptions = TextDetectionOptions()) throws(TextDetectionError) {
        setenv("OMP_THREAD_LIMIT", "1", 1)
        self.redaction = redaction
        self.options = options
        pool = try TextDetectorPool(options: options)
    }
}

/// Idle ``TextDetection/TextDetector``s: a Tesseract handle serves one thread at a time, and starting one costs
/// tens of milliseconds, so each is lent to one worker and taken back.
final class TextDetectorPool: Sendable {
    private let options: TextDetectionOptions
    /// Not `Sendable` values guarded by the mutex: each is used by one borrower at a time.
    private let idle: Mutex<[UnsafeDetector]>

    /// A detector as the pool holds it (moved between threads, never shared).
    private struct UnsafeDetector: @unchecked Sendable { var detector: TextDetector }

    init(options: TextDetectionOptions) throws(TextDetectionError) {
        self.options = options
        idle = Mutex([UnsafeDetector(detector: try TextDetector(options: options))])
    }

    /// Runs `body` with a detector no other thread uses meanwhile.
    func withDetector<T>(_ body: (TextDetector) throws(TextDetectionError) -> T) throws(TextDetectionError) -> T {
        let lent = idle.withLock { $0.popLast() }
        let detector: TextDetector
        if let lent { detector = lent.detector } else { detector = try TextDetector(options: options) }
        defer { idle.withLock { $0.append(UnsafeDetector(detector: detector)) } }
        return try body(detector)
    }
}
