import FileSystem
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Where outputs go and how they are placed.
package struct OutputSettings: Sendable {
    /// What to do when an output's name is already taken in the output folder (by an earlier run) by a file
    /// that is not the same output (see ``isSameOutput``).
    package enum WhenTaken: Sendable {
        /// Fail the input: "output file exists; use --overwrite to replace it".
        case fail
        /// Take the next free name, `X-2`, `X-3`... (names that are not the input's own, e.g. restored instances
        /// sharing an original SOP Instance UID).
        case nextName
        /// Make the output again with a distinct SOP Instance UID, with a warning (the same UID for two different
        /// instances across runs into one folder).
        case distinctInstance
    }

    /// The output folder.
    package var root: String
    /// Replace existing files (never done otherwise).
    package var overwrite: Bool
    /// Mode of the folders made under the root (0700 for identified data).
    package var directoryMode: mode_t
    /// When a name is taken by a file that is not the same output.
    package var whenTaken: WhenTaken
    /// Whether the existing file (first path) is the output the temporary (second path) would be, so the input
    /// counts as done (a rerun after a kill). Byte equality unless the outputs differ by design from run to run.
    package var isSameOutput: @Sendable (_ existing: String, _ temporary: String) -> Bool

    package init(root: String, overwrite: Bool = false, directoryMode: mode_t = 0o755, whenTaken: WhenTaken = .fail,
                 isSameOutput: @escaping @Sendable (_ existing: String, _ temporary: String) -> Bool = OutputSettings.sameBytes) {
        self.root = root
        self.overwrite = overwrite
        self.directoryMode = directoryMode
        self.whenTaken = whenTaken
        self.isSameOutput = isSameOutput
    }

    /// Whether two files hold the same bytes.
    package static func sameBytes(_ a: String, _ b: String) -> Bool {
        guard let first = try? FileIO.readAll(path: a), let second = try? FileIO.readAll(path: b) else { return false }
        return first == second
    }
}

/// Places the outcomes of a batch, in input order: one flush to disk per group of temporaries, then each moved
/// into place under a name no earlier input took, reported and logged. Which outputs may be placed at all is
/// the job's ``CommitPolicy`` (two inputs giving one SOP Instance UID, for de-identification).
final class OutputCommitter<Input: BatchInput> {
    private let output: OutputSettings?
    private let audit: AuditLog?
    private let reporter: any BatchReporter
    private let beforeCommit: (@Sendable () throws -> Void)?
    private let policy: (any CommitPolicy<Input>)?
    private let throttle: ProgressThrottle
    private let total: Int

    /// The names this batch wrote or found taken: a name taken is given `-2`, `-3`... before its extension
    /// (two input folders holding the same relative path, with `--keep-layout`).
    private var names = UniqueNames()
    private var directories = Set<String>()
    private(set) var summary = BatchSummary()
    private var done = 0

    init(output: OutputSettings?, audit: AuditLog?, reporter: any BatchReporter, total: Int,
         beforeCommit: (@Sendable () throws -> Void)?, policy: (any CommitPolicy<Input>)?) {
        self.output = output
        self.audit = audit
        self.reporter = reporter
        self.total = total
        self.beforeCommit = beforeCommit
        self.policy = policy
        throttle = ProgressThrottle(total: total)
    }

    /// Commits a group of consecutive outcomes.
    func commit(_ group: [(input: Input, outcome: FileOutcome)]) {
        var flushFailure: (any Error)?
        if let output, group.contains(where: { if case .written = $0.outcome { true } else { false } }) {
            do {
                try beforeCommit?()
                try FileIO.syncFileSystem(containing: output.root)
            } catch {
                flushFailure = error
            }
        }
        for (input, outcome) in group {
            if let flushFailure, case .written(let written) = outcome {
                unlink(written.temporary)
                fail(input.path, flushFailure)
            } else {
                commit(outcome, input: input)
            }
            done += 1
        }
        // The group's records reach the disk with the group (its outputs are durable already).
        if let audit {
            do { try audit.sync() } catch { fail(audit.path, error) }
        }
        if throttle.shouldReport(done: done) {
            reporter.progress(done: done, total: total, failed: summary.failed)
        }
    }

    /// Makes the final names (directory entries) durable too.
    func finish() {
        if let output, summary.written > 0 { try? FileIO.syncFileSystem(containing: output.root) }
    }

    private func commit(_ outcome: FileOutcome, input: Input) {
        switch outcome {
        case .written(let written):
            guard let output else {
                unlink(written.temporary)
                return
            }
            switch policy?.admit(written, input: input) ?? .place {
            case .place:
                place(written, input: input, output: output)
            case .skip(let report, let record):
                unlink(written.temporary)
                summary.skipped += 1
                reporter.report(.skipped(report), input: input.path)
                log(input.path, .skipped, record)
            case .fail(let error):
                unlink(written.temporary)
                fail(input.path, error)
            case .remake(let note):
                unlink(written.temporary)
                do {
                    var distinct = try distinctOutput(for: input, output: output)
                    distinct.notes.append(note)
                    place(distinct, input: input, output: output)
                } catch {
                    fail(input.path, error)
                }
            }
        case .checked(let text, let record):
            summary.checked += 1
            reporter.report(.checked(text), input: input.path)
            log(input.path, .verified, record)
        case .skipped(let reason):
            summary.skipped += 1
            if reason == FileOutcome.notDICOMReason { summary.skippedNotDICOM += 1 }
            summary.skippedInputs.append(input.path)
            reporter.report(.skipped(reason), input: input.path)
            log(input.path, .skipped) { $0.reason = reason }
        case .failed(let error):
            fail(input.path, error)
        }
    }

    private func place(_ written: WrittenOutput, input: Input, output: OutputSettings) {
        var written = written
        do {
            guard OutputNaming.isSafeRelativePath(written.name) else {
                throw JobError(.unsafeOutputName, "output name would leave the output folder; not written")
            }
            var name = names.proposal(for: written.name)
            var madeDistinct = false
            while true {
                let destination = output.root + "/" + name
                // `name` is a safe relative path (checked above), so the folder is everything before its last slash
                // (Foundation's path functions cost more than the rest of the commit; so does searching the
                // String's Characters, which steps over grapheme clusters: the UTF-8 bytes are searched instead).
                let directory = name.utf8.lastIndex(of: UInt8(ascii: "/")).map { output.root + "/" + name[..<$0] } ?? output.root
                if !directories.contains(directory) {
                    try FileIO.makeDirectories(directory, mode: output.directoryMode)
                    directories.insert(directory)
                }
                guard let error = Self.move(written.temporary, to: destination, overwrite: output.overwrite) else { break }
                guard error.code == .exists else { throw error }
                // Taken by an earlier run into this folder (names this run took are never tried again).
                names.insert(name)
                if output.isSameOutput(destination, written.temporary) {
                    unlink(written.temporary)
                    return alreadyDone(input.path, output: destination)
                }
                switch output.whenTaken {
                case .fail:
                    throw error
                case .nextName:
                    name = names.proposal(for: written.name)
                case .distinctInstance:
                    guard !madeDistinct else { throw error }
                    madeDistinct = true
                    unlink(written.temporary)
                    written = try distinctOutput(for: input, output: output)
                    written.notes.append("an earlier run wrote a different instance with the same SOP Instance UID into this folder (\(name)): written with a distinct new SOP Instance UID (the original is restored on re-identification)")
                    name = names.proposal(for: written.name)
                }
            }
            names.insert(name)
            summary.written += 1
            for note in written.notes { reporter.report(.warning(note), input: input.path) }
            log(input.path, .written, written.record) { $0.output = output.root + "/" + name }
        } catch {
            unlink(written.temporary)
            fail(input.path, error)
        }
    }

    /// The input's output made again by the policy as a different output (an earlier run took its name),
    /// admitted by the policy and flushed.
    private func distinctOutput(for input: Input, output: OutputSettings) throws -> WrittenOutput {
        let refusal = JobError(.duplicateInstance, "an earlier run wrote a different instance with this SOP Instance UID, and no distinct UID could be made; not written")
        switch policy?.remake(input) {
        case .written(let distinct)?:
            guard case .place = policy?.admit(distinct, input: input) ?? .place else {
                unlink(distinct.temporary)
                throw refusal
            }
            do { try FileIO.syncFileSystem(containing: output.root) } catch {
                unlink(distinct.temporary)
                throw error
            }
            return distinct
        case .failed(let error)?:
            throw error
        default:
            throw refusal
        }
    }

    /// Moves the temporary into place; the error, or nil when it is in place.
    private static func move(_ temporary: String, to destination: String, overwrite: Bool) -> SystemCallError? {
        do {
            try FileIO.commit(temporary: temporary, to: destination, overwrite: overwrite)
            return nil
        } catch {
            return error
        }
    }

    /// An input whose output an earlier run already wrote, identical: done, not written again, not an error.
    private func alreadyDone(_ input: String, output destination: String) {
        summary.alreadyDone += 1
        reporter.report(.skipped("already done: \(destination) exists and is the same output; not written again"), input: input)
        log(input, .skipped) {
            $0.output = destination
            $0.reason = FileOutcome.alreadyDoneReason
        }
    }

    private func fail(_ input: String, _ error: any Error) {
        // An interrupted run removes its temporaries under the committer's feet: that is no failure of the input.
        if FileIO.temporariesAreClosed { return }
        summary.failed += 1
        let message = reporter.message(for: error)
        reporter.report(.error(message), input: input)
        log(input, .failed) { $0.error = message }
    }

    /// Appends the record of `input` to the log: the job's `record` (or an empty one of the log's type) with its
    /// input, status and what `fill` adds.
    private func log(_ input: String, _ status: RecordStatus, _ record: (any AuditRecord)? = nil,
                     fill: (inout any AuditRecord) -> Void = { _ in }) {
        guard let audit else { return }
        var record = record ?? audit.record(input: input, status: status)
        record.input = input
        record.status = status
        fill(&record)
        audit.append(record)
    }
}
