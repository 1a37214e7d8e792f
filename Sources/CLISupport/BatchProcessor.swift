import DICOMCodec
import Dispatch
import Foundation
import Synchronization

/// What processing one input produced.
public enum FileOutcome: Sendable {
    /// An output was written to a temporary file in the output folder; the processor moves it into place.
    case written(temporary: String, relativePath: String, record: [String: AuditValue], notes: [String])
    /// Checked without writing (re-identification `--verify`), with a one-line report.
    case checked(report: String)
    /// Not processed, for a reason that is not an error (not DICOM, DICOMDIR).
    case skipped(reason: String)
    /// Processing failed: one line, naming what is wrong.
    case failed(message: String)
}

/// Counts at the end of a batch.
public struct BatchSummary: Sendable {
    public var written = 0
    public var checked = 0
    public var skipped = 0
    public var failed = 0
}

/// Runs the per-file work on `jobs` threads and commits outputs in input order, so output names, messages
/// and the audit log are the same whatever the scheduling. Memory is bounded by the files in flight.
public final class BatchProcessor: Sendable {
    private let files: [String]
    private let jobs: Int
    private let outputRoot: String?
    private let overwrite: Bool
    private let audit: AuditLog?
    private let showProgress: Bool
    private let verb: String

    private struct State {
        var pending: [Int: FileOutcome] = [:]
        var next = 0
        var committedNames = Set<String>()
        var summary = BatchSummary()
        var lastProgress: UInt64 = 0
    }
    private let state = Mutex(State())

    public init(files: [String], jobs: Int, outputRoot: String?, overwrite: Bool, audit: AuditLog?,
                showProgress: Bool, verb: String) {
        self.files = files
        self.jobs = max(1, jobs)
        self.outputRoot = outputRoot
        self.overwrite = overwrite
        self.audit = audit
        self.showProgress = showProgress
        self.verb = verb
    }

    /// Processes every file with `work` and returns the counts.
    public func run(_ work: @escaping @Sendable (String) -> FileOutcome) -> BatchSummary {
        let nextIndex = Atomic<Int>(0)
        let count = files.count
        DispatchQueue.concurrentPerform(iterations: min(jobs, max(1, count))) { _ in
            while true {
                let index = nextIndex.wrappingAdd(1, ordering: .relaxed).oldValue
                guard index < count else { return }
                let outcome = work(files[index])
                deliver(outcome, at: index)
            }
        }
        if showProgress { Terminal.clearStatus() }
        return state.withLock { $0.summary }
    }

    /// Stores an outcome and commits every outcome that is next in input order.
    private func deliver(_ outcome: FileOutcome, at index: Int) {
        state.withLock { state in
            state.pending[index] = outcome
            while let ready = state.pending.removeValue(forKey: state.next) {
                commit(ready, input: files[state.next], state: &state)
                state.next += 1
            }
            if showProgress {
                let now = DispatchTime.now().uptimeNanoseconds
                if now - state.lastProgress > 100_000_000 || state.next == files.count {
                    state.lastProgress = now
                    Terminal.status("\(verb) \(state.next)/\(files.count)"
                                    + (state.summary.failed > 0 ? ", \(state.summary.failed) failed" : ""))
                }
            }
        }
    }

    private func commit(_ outcome: FileOutcome, input: String, state: inout State) {
        switch outcome {
        case .written(let temporary, let relativePath, var record, let notes):
            guard let root = outputRoot else { return }
            do {
                let name = uniqueName(relativePath, taken: state.committedNames)
                let destination = root + "/" + name
                try FileIO.makeDirectories((destination as NSString).deletingLastPathComponent)
                try FileIO.commit(temporary: temporary, to: destination, overwrite: overwrite)
                state.committedNames.insert(name)
                state.summary.written += 1
                for note in notes { report("warning", input, note) }
                record["input"] = .string(input)
                record["output"] = .string(destination)
                record["status"] = .string("written")
                audit?.append(record)
            } catch {
                unlink(temporary)
                state.summary.failed += 1
                report("error", input, "\(error)")
                audit?.append(["input": .string(input), "status": .string("failed"), "error": .string("\(error)")])
            }
        case .checked(let text):
            state.summary.checked += 1
            if showProgress { Terminal.clearStatus() }
            Terminal.line("\(input): \(text)")
        case .skipped(let reason):
            state.summary.skipped += 1
            report("skipped", input, reason)
            audit?.append(["input": .string(input), "status": .string("skipped"), "reason": .string(reason)])
        case .failed(let message):
            state.summary.failed += 1
            report("error", input, message)
            audit?.append(["input": .string(input), "status": .string("failed"), "error": .string(message)])
        }
    }

    /// `name`, or `name` with `-2`, `-3`... before its extension when an earlier input of this batch took it
    /// (e.g. the same instance given twice).
    private func uniqueName(_ name: String, taken: Set<String>) -> String {
        guard taken.contains(name) else { return name }
        let ext = (name as NSString).pathExtension
        let stem = ext.isEmpty ? name : String(name.dropLast(ext.count + 1))
        var n = 2
        while true {
            let candidate = stem + "-\(n)" + (ext.isEmpty ? "" : "." + ext)
            if !taken.contains(candidate) { return candidate }
            n += 1
        }
    }

    private func report(_ kind: String, _ input: String, _ message: String) {
        if showProgress { Terminal.clearStatus() }
        Terminal.line("\(kind): \(input): \(message)")
    }
}
