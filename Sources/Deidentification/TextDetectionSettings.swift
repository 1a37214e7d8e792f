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
    /// Whether a cine's frame that differs from the last frame read whole in a few bands of rows has only those
    /// bands read (docs/text-detection.md "Frames and speed"); false reads every distinct frame whole (the
    /// reference the bands are measured against: `dicom-bench text --compare-whole`).
    public var readsChangedRows = true
    /// The detectors, one per thread at a time.
    let pool: TextDetectorPool

    /// Sets `OMP_THREAD_LIMIT=1` for child processes (the pool keeps Tesseract's OpenMP regions on one thread:
    /// ``TextDetectorPool/withDetector(_:)``) and starts the first detector, so that missing language data is
    /// reported before any file is read.
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

    /// libgomp's `omp_set_max_active_levels`, when Tesseract is built with OpenMP; nil otherwise. Called with 0 on
    /// each thread before it reads, it makes every OpenMP parallel region run on that thread alone: frames and
    /// files are read in parallel already, and OpenMP's team threads spin while they wait, which on a busy machine
    /// cost 2.5x the CPU time of the work (a 30-frame cine: 10.7 s user + 5.8 s system against 4.0 s + 0.1 s).
    /// `OMP_THREAD_LIMIT` does it only if set before libgomp loads (with Tesseract, at the first detector), which
    /// a process that embeds this module may not do. The value is an ICV of each thread (libgomp), hence the call
    /// on every lending; it is looked up at run time because libgomp is a dependency of Tesseract, not linked here.
    private static let setMaxActiveLevels: (@convention(c) (Int32) -> Void)? = {
        // nil: RTLD_DEFAULT, every library loaded.
        guard let symbol = dlsym(nil, "omp_set_max_active_levels") else { return nil }
        return unsafeBitCast(symbol, to: (@convention(c) (Int32) -> Void).self)
    }()

    init(options: TextDetectionOptions) throws(TextDetectionError) {
        self.options = options
        idle = Mutex([UnsafeDetector(detector: try TextDetector(options: options))])
    }

    /// Runs `body` with a detector no other thread uses meanwhile, OpenMP's parallel regions off on this thread.
    func withDetector<T>(_ body: (TextDetector) throws(TextDetectionError) -> T) throws(TextDetectionError) -> T {
        Self.setMaxActiveLevels?(0)
        let lent = idle.withLock { $0.popLast() }
        let detector: TextDetector
        if let lent { detector = lent.detector } else { detector = try TextDetector(options: options) }
        defer { idle.withLock { $0.append(UnsafeDetector(detector: detector)) } }
        return try body(detector)
    }
}
