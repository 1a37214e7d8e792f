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

    /// Outcomes waiting for their turn, and whether a worker is committing right now.
    private struct Queue {
        var pending: [Int: FileOutcome] = [:]
        var next = 0
        var committing = false

        /// The outcomes that are next in input order, removed from `pending`.
        mutating func takeReady() -> [(Int, FileOutcome)] {
            var ready: [(Int, FileOutcome)] = []
            while let outcome = pending.removeValue(forKey: next) {
                ready.append((next, outcome))
                next += 1
            }
            return ready
        }
    }

    /// What committing has done; touched only by the one committing worker.
    private struct Committed {
        var names = Set<String>()
        var directories = Set<String>()
        var summary = BatchSummary()
        var lastProgress: UInt64 = 0
        var done = 0
    }

    private let queue = Mutex(Queue())
    private let committed = Mutex(Committed())

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

    /// Processes every file with `work` and returns the counts. `work` writes its output as a temporary file
    /// without syncing it; the processor flushes each group of temporaries with one syncfs before moving them
    /// into place, so no output appears under its name before its bytes are on disk.
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
        let summary = committed.withLock { $0.summary }
        // Make the final names (directory entries) durable too.
        if let outputRoot, summary.written > 0 { try? FileIO.syncFileSystem(containing: outputRoot) }
        return summary
    }

    /// Stores an outcome; the worker that finds the next outcomes in input order commits them, outside the
    /// queue's lock so the other workers keep delivering meanwhile.
    private func deliver(_ outcome: FileOutcome, at index: Int) {
        var batch = queue.withLock { queue -> [(Int, FileOutcome)] in
            queue.pending[index] = outcome
            guard !queue.committing else { return [] }
            let ready = queue.takeReady()
            queue.committing = !ready.isEmpty
            return ready
        }
        while !batch.isEmpty {
            commit(batch)
            batch = queue.withLock { queue in
                let ready = queue.takeReady()
                if ready.isEmpty { queue.committing = false }
                return ready
            }
        }
    }

    /// Commits a group of consecutive outcomes: one flush to disk for all their temporaries, then each moved
    /// into place, reported and logged in input order.
    private func commit(_ batch: [(Int, FileOutcome)]) {
        committed.withLock { state in
            var syncFailure: (any Error)?
            if let outputRoot, batch.contains(where: { if case .written = $0.1 { true } else { false } }) {
                do { try FileIO.syncFileSystem(containing: outputRoot) } catch { syncFailure = error }
            }
            for (index, outcome) in batch {
                if let syncFailure, case .written(let temporary, _, _, _) = outcome {
                    unlink(temporary)
                    state.summary.failed += 1
                    report("error", files[index], "\(syncFailure)")
                } else {
                    commit(outcome, input: files[index], state: &state)
                }
                state.done += 1
            }
            if showProgress {
                let now = DispatchTime.now().uptimeNanoseconds
                if now - state.lastProgress > 100_000_000 || state.done == files.count {
                    state.lastProgress = now
                    Terminal.status("\(verb) \(state.done)/\(files.count)"
                                    + (state.summary.failed > 0 ? ", \(state.summary.failed) failed" : ""))
                }
            }
        }
    }

    private func commit(_ outcome: FileOutcome, input: String, state: inout Committed) {
        switch outcome {
        case .written(let temporary, let relativePath, var record, let notes):
            guard let root = outputRoot else { return }
            do {
                guard OutputNaming.isSafeRelativePath(relativePath) else {
                    throw CLIError("output name would leave the output folder; not written")
                }
                let name = uniqueName(relativePath, taken: state.names)
                let destination = root + "/" + name
                let directory = (destination as NSString).deletingLastPathComponent
                if !state.directories.contains(directory) {
                    try FileIO.makeDirectories(directory)
                    state.directories.insert(directory)
                }
                try FileIO.commit(temporary: temporary, to: destination, overwrite: overwrite)
                state.names.insert(name)
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
