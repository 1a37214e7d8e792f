import DICOMCodec
import Dispatch
import Foundation
import Synchronization

/// What processing one input produced.
public enum FileOutcome: Sendable {
    /// An output was written to a temporary file in the output folder; the processor moves it into place.
    case written(temporary: String, relativePath: String, record: [String: AuditValue], notes: [String])
    /// Checked without writing (re-identification `--verify`), with a one-line report and its audit record.
    case checked(report: String, record: [String: AuditValue])
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
    /// The inputs that were skipped, in input order.
    public var skippedInputs: [String] = []
}

/// Runs the per-file work on `jobs` threads and commits outputs in input order, so output names, messages
/// and the audit log are the same whatever the scheduling.
///
/// Workers write each output to a temporary file without syncing it. The calling thread is the committer: it
/// takes the outcomes that are next in input order, flushes their temporaries to disk with one syncfs, then
/// moves each into place. While it flushes, the workers go on, so a group grows to what they produce in the
/// time of one flush (at least ``minimumGroupWait`` apart when files are small). Workers never run more than
/// ``window`` files ahead of the committer: memory and the temporaries waiting on disk stay bounded.
public final class BatchProcessor: Sendable {
    private let files: [String]
    private let jobs: Int
    private let outputRoot: String?
    private let overwrite: Bool
    private let audit: AuditLog?
    private let directoryMode: mode_t
    private let beforeCommit: (@Sendable () throws -> Void)?
    private let showProgress: Bool
    private let verb: String

    /// At most this many files are processed ahead of the next one to commit.
    static let window = 512
    /// A group smaller than ``groupTarget`` waits up to this long for more outcomes before it is flushed.
    static let minimumGroupWait = 0.02
    /// A group this large is flushed at once.
    static let groupTarget = 64

    /// Outcomes waiting for their turn, shared by the workers and the committer under `condition`.
    private final class Shared: @unchecked Sendable {
        let condition = NSCondition()
        var pending: [Int: FileOutcome] = [:]
        /// The next index to commit.
        var next = 0
        var finishedWorkers = 0
    }

    /// What committing has done; touched only by the committer.
    private struct Committed {
        var names = Set<String>()
        /// Per name taken, the suffix to try next, so the thousandth copy of an instance does not try 999 first.
        var nextSuffix: [String: Int] = [:]
        var directories = Set<String>()
        var summary = BatchSummary()
        var lastProgress: UInt64 = 0
        var done = 0
    }

    /// - Parameters:
    ///   - directoryMode: mode of the folders made under the output root (0700 for identified data).
    ///   - beforeCommit: runs before each group of outputs is flushed and named (making the mapping
    ///     database's new numbers durable first); when it throws, the group's outputs are not written.
    public init(files: [String], jobs: Int, outputRoot: String?, overwrite: Bool, audit: AuditLog?,
                showProgress: Bool, verb: String, directoryMode: mode_t = 0o755,
                beforeCommit: (@Sendable () throws -> Void)? = nil) {
        self.directoryMode = directoryMode
        self.beforeCommit = beforeCommit
        self.files = files
        self.jobs = max(1, jobs)
        self.outputRoot = outputRoot
        self.overwrite = overwrite
        self.audit = audit
        self.showProgress = showProgress
        self.verb = verb
    }

    /// Processes every file with `work` and returns the counts. `work` writes its output as a temporary file
    /// without syncing it; no output appears under its name before its bytes are on disk.
    public func run(_ work: @escaping @Sendable (String) -> FileOutcome) -> BatchSummary {
        let count = files.count
        let shared = Shared()
        let nextIndex = Atomic<Int>(0)
        let workers = min(jobs, max(1, count))
        let files = self.files
        for _ in 0..<workers {
            let thread = Thread {
                while true {
                    let index = nextIndex.wrappingAdd(1, ordering: .relaxed).oldValue
                    guard index < count else { break }
                    shared.condition.lock()
                    while index >= shared.next + Self.window { shared.condition.wait() }
                    shared.condition.unlock()
                    let outcome = work(files[index])
                    shared.condition.lock()
                    shared.pending[index] = outcome
                    // Wake the committer only when it can act: its next outcome, or a full group, is here.
                    if index == shared.next || shared.pending.count >= Self.groupTarget {
                        shared.condition.broadcast()
                    }
                    shared.condition.unlock()
                }
                shared.condition.lock()
                shared.finishedWorkers += 1
                shared.condition.broadcast()
                shared.condition.unlock()
            }
            thread.stackSize = 8 << 20
            thread.start()
        }

        var state = Committed()
        var next = 0
        while next < count {
            let batch = takeGroup(from: shared, startingAt: next, workers: workers)
            next += batch.count
            commit(batch, state: &state)
        }
        // Every worker has delivered its last outcome; wait for them to leave their loops.
        shared.condition.lock()
        while shared.finishedWorkers < workers { shared.condition.wait() }
        shared.condition.unlock()
        if showProgress { Terminal.clearStatus() }
        // Make the final names (directory entries) durable too.
        if let outputRoot, state.summary.written > 0 { try? FileIO.syncFileSystem(containing: outputRoot) }
        return state.summary
    }

    /// Waits for the outcome at `start`, then for a group worth one flush, and returns the consecutive
    /// outcomes from `start`, removed from the shared table; the workers may move on past them.
    private func takeGroup(from shared: Shared, startingAt start: Int, workers: Int) -> [(Int, FileOutcome)] {
        shared.condition.lock()
        defer { shared.condition.unlock() }
        while shared.pending[start] == nil { shared.condition.wait() }
        // Consecutive outcomes ready from `start`; counted on from where the last count stopped.
        var ready = 1
        func countReady() { while shared.pending[start + ready] != nil { ready += 1 } }
        countReady()
        let deadline = Date(timeIntervalSinceNow: Self.minimumGroupWait)
        while ready < Self.groupTarget, start + ready < files.count, shared.finishedWorkers < workers,
              shared.condition.wait(until: deadline) {
            countReady()
        }
        var batch: [(Int, FileOutcome)] = []
        var index = start
        while let outcome = shared.pending.removeValue(forKey: index) {
            batch.append((index, outcome))
            index += 1
        }
        shared.next = index
        shared.condition.broadcast()
        return batch
    }

    /// Commits a group of consecutive outcomes: one flush to disk for all their temporaries, then each moved
    /// into place, reported and logged in input order.
    private func commit(_ batch: [(Int, FileOutcome)], state: inout Committed) {
        var syncFailure: (any Error)?
        if let outputRoot, batch.contains(where: { if case .written = $0.1 { true } else { false } }) {
            do {
                try beforeCommit?()
                try FileIO.syncFileSystem(containing: outputRoot)
            } catch {
                syncFailure = error
            }
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

    private func commit(_ outcome: FileOutcome, input: String, state: inout Committed) {
        switch outcome {
        case .written(let temporary, let relativePath, var record, let notes):
            guard let root = outputRoot else { return }
            do {
                guard OutputNaming.isSafeRelativePath(relativePath) else {
                    throw CLIError("output name would leave the output folder; not written")
                }
                let name = uniqueName(relativePath, state: &state)
                let destination = root + "/" + name
                // `name` is a safe relative path (checked above), so the folder is everything before its last
                // slash (Foundation's path functions cost more than the rest of the commit).
                let directory = name.lastIndex(of: "/").map { root + "/" + name[..<$0] } ?? root
                if !state.directories.contains(directory) {
                    try FileIO.makeDirectories(directory, mode: directoryMode)
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
                // The library says what happened; the command says which flag changes it.
                let hint = (error as? DICOMError)?.reason == FileIO.outputExists.reason ? "; use --overwrite to replace it" : ""
                report("error", input, "\(error)" + hint)
                audit?.append(["input": .string(input), "status": .string("failed"), "error": .string("\(error)")])
            }
        case .checked(let text, var record):
            state.summary.checked += 1
            if showProgress { Terminal.clearStatus() }
            Terminal.line("\(input): \(text)")
            record["input"] = .string(input)
            record["status"] = .string("verified")
            audit?.append(record)
        case .skipped(let reason):
            state.summary.skipped += 1
            state.summary.skippedInputs.append(input)
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
    private func uniqueName(_ name: String, state: inout Committed) -> String {
        guard state.names.contains(name) else { return name }
        let ext = (name as NSString).pathExtension
        let stem = ext.isEmpty ? name : String(name.dropLast(ext.count + 1))
        var n = state.nextSuffix[name] ?? 2
        while true {
            let candidate = stem + "-\(n)" + (ext.isEmpty ? "" : "." + ext)
            n += 1
            if !state.names.contains(candidate) {
                state.nextSuffix[name] = n
                return candidate
            }
        }
    }

    private func report(_ kind: String, _ input: String, _ message: String) {
        if showProgress { Terminal.clearStatus() }
        Terminal.line("\(kind): \(input): \(message)")
    }
}
