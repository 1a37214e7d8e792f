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
/// into place under a name no earlier input took, reported and logged.
///
/// Two inputs that give the same SOP Instance UID are caught here, where input order decides which came first:
/// an identical copy (the same bytes) is not written again; different content is written again by `redo` with a
/// distinct SOP Instance UID, with a warning, since two instances with one UID collide in any archive.
final class OutputCommitter {
    private let output: OutputSettings?
    private let audit: AuditLog?
    private let reporter: any BatchReporter
    private let beforeCommit: (@Sendable () throws -> Void)?
    private let total: Int

    /// The names this batch wrote or found taken: a name taken is given `-2`, `-3`... before its extension
    /// (two input folders holding the same relative path, with `--keep-layout`).
    private var names = UniqueNames()
    private var directories = Set<String>()
    /// The input that first gave each SOP Instance UID.
    private var firstInputOfInstance: [String: String] = [:]
    private(set) var summary = BatchSummary()
    private var lastProgress: UInt64 = 0
    private var done = 0

    init(output: OutputSettings?, audit: AuditLog?, reporter: any BatchReporter, total: Int,
         beforeCommit: (@Sendable () throws -> Void)?) {
        self.output = output
        self.audit = audit
        self.reporter = reporter
        self.total = total
        self.beforeCommit = beforeCommit
    }

    /// Commits a group of consecutive outcomes.
    /// - Parameter redo: makes the output again with a distinct instance UID (see the type's description).
    func commit(_ group: [(input: String, outcome: FileOutcome)], redo: (String) -> FileOutcome) {
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
                fail(input, flushFailure)
            } else {
                commit(outcome, input: input, redo: redo)
            }
            done += 1
        }
        let now = DispatchTime.now().uptimeNanoseconds
        if now - lastProgress > 100_000_000 || done == total {
            lastProgress = now
            reporter.progress(done: done, total: total, failed: summary.failed)
        }
    }

    /// Makes the final names (directory entries) durable too.
    func finish() {
        if let output, summary.written > 0 { try? FileIO.syncFileSystem(containing: output.root) }
    }

    private func commit(_ outcome: FileOutcome, input: String, redo: (String) -> FileOutcome) {
        switch outcome {
        case .written(var written):
            guard let output else {
                unlink(written.temporary)
                return
            }
            if let instance = written.instance {
                if let first = firstInputOfInstance[instance.sopInstanceUID] {
                    unlink(written.temporary)
                    if Self.sameBytes(first, input) {
                        summary.skipped += 1
                        reporter.report(.skipped("identical copy of \(first): not written again"), input: input)
                        audit?.append(["input": .string(input), "status": .string("skipped"),
                                       "reason": .string("identical copy"), "copyOf": .string(first)])
                        return
                    }
                    // Different content under one instance UID: made again with a UID of its own.
                    let again = redo(input)
                    guard case .written(let distinct) = again,
                          distinct.instance.map({ firstInputOfInstance[$0.sopInstanceUID] == nil }) ?? false else {
                        if case .written(let other) = again { unlink(other.temporary) }
                        if case .failed(let error) = again { return fail(input, error) }
                        return fail(input, JobError(.duplicateInstance, "has the SOP Instance UID of \(first) with different content, and no distinct UID could be made; not written"))
                    }
                    do { try FileIO.syncFileSystem(containing: output.root) } catch {
                        unlink(distinct.temporary)
                        return fail(input, error)
                    }
                    written = distinct
                    written.notes.append("same SOP Instance UID as \(first) but different content: written with a distinct new SOP Instance UID (the original is restored on re-identification)")
                }
                firstInputOfInstance[written.instance?.sopInstanceUID ?? ""] = input
            }
            place(written, input: input, output: output, redo: redo)
        case .checked(let text, var record):
            summary.checked += 1
            reporter.report(.checked(text), input: input)
            record["input"] = .string(input)
            record["status"] = .string("verified")
            audit?.append(record)
        case .skipped(let reason):
            summary.skipped += 1
            if reason == FileOutcome.notDICOMReason { summary.skippedNotDICOM += 1 }
            summary.skippedInputs.append(input)
            reporter.report(.skipped(reason), input: input)
            audit?.append(["input": .string(input), "status": .string("skipped"), "reason": .string(reason)])
        case .failed(let error):
            fail(input, error)
        }
    }

    private func place(_ written: WrittenOutput, input: String, output: OutputSettings, redo: (String) -> FileOutcome) {
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
                // (Foundation's path functions cost more than the rest of the commit).
                let directory = name.lastIndex(of: "/").map { output.root + "/" + name[..<$0] } ?? output.root
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
                    return alreadyDone(input, output: destination)
                }
                switch output.whenTaken {
                case .fail:
                    throw error
                case .nextName:
                    name = names.proposal(for: written.name)
                case .distinctInstance:
                    guard !madeDistinct else { throw error }
                    madeDistinct = true
                    written = try distinctOutput(replacing: written, input: input, output: output, redo: redo)
                    written.notes.append("an earlier run wrote a different instance with the same SOP Instance UID into this folder (\(name)): written with a distinct new SOP Instance UID (the original is restored on re-identification)")
                    name = names.proposal(for: written.name)
                }
            }
            names.insert(name)
            summary.written += 1
            for note in written.notes { reporter.report(.warning(note), input: input) }
            var record = written.record
            record["input"] = .string(input)
            record["output"] = .string(output.root + "/" + name)
            record["status"] = .string("written")
            audit?.append(record)
        } catch {
            unlink(written.temporary)
            fail(input, error)
        }
    }

    /// The input's output made again with a distinct SOP Instance UID, flushed; the first temporary is removed.
    private func distinctOutput(replacing written: WrittenOutput, input: String, output: OutputSettings,
                                redo: (String) -> FileOutcome) throws -> WrittenOutput {
        unlink(written.temporary)
        switch redo(input) {
        case .written(let distinct):
            do { try FileIO.syncFileSystem(containing: output.root) } catch {
                unlink(distinct.temporary)
                throw error
            }
            if let instance = distinct.instance { firstInputOfInstance[instance.sopInstanceUID] = input }
            return distinct
        case .failed(let error):
            throw error
        default:
            throw JobError(.duplicateInstance, "an earlier run wrote a different instance with this SOP Instance UID, and no distinct UID could be made; not written")
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
        audit?.append(["input": .string(input), "output": .string(destination), "status": .string("skipped"),
                       "reason": .string("same output already written")])
    }

    private func fail(_ input: String, _ error: any Error) {
        // An interrupted run removes its temporaries under the committer's feet: that is no failure of the input.
        if FileIO.temporariesAreClosed { return }
        summary.failed += 1
        let message = reporter.message(for: error)
        reporter.report(.error(message), input: input)
        audit?.append(["input": .string(input), "status": .string("failed"), "error": .string(message)])
    }

    /// Whether two input files hold the same bytes.
    private static func sameBytes(_ a: String, _ b: String) -> Bool {
        OutputSettings.sameBytes(a, b)
    }
}
