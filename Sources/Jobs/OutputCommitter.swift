import FileSystem
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Where outputs go and how they are placed.
package struct OutputSettings: Sendable {
    /// The output folder.
    package var root: String
    /// Replace existing files (never done otherwise).
    package var overwrite: Bool
    /// Mode of the folders made under the root (0700 for identified data).
    package var directoryMode: mode_t

    package init(root: String, overwrite: Bool = false, directoryMode: mode_t = 0o755) {
        self.root = root
        self.overwrite = overwrite
        self.directoryMode = directoryMode
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

    private var names = Set<String>()
    /// Per name taken, the suffix to try next, so the thousandth copy of a name does not try 999 first.
    private var nextSuffix: [String: Int] = [:]
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
            place(written, input: input, output: output)
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

    private func place(_ written: WrittenOutput, input: String, output: OutputSettings) {
        do {
            guard OutputNaming.isSafeRelativePath(written.name) else {
                throw JobError(.unsafeOutputName, "output name would leave the output folder; not written")
            }
            let name = uniqueName(written.name)
            let destination = output.root + "/" + name
            // `name` is a safe relative path (checked above), so the folder is everything before its last slash
            // (Foundation's path functions cost more than the rest of the commit).
            let directory = name.lastIndex(of: "/").map { output.root + "/" + name[..<$0] } ?? output.root
            if !directories.contains(directory) {
                try FileIO.makeDirectories(directory, mode: output.directoryMode)
                directories.insert(directory)
            }
            try FileIO.commit(temporary: written.temporary, to: destination, overwrite: output.overwrite)
            names.insert(name)
            summary.written += 1
            for note in written.notes { reporter.report(.warning(note), input: input) }
            var record = written.record
            record["input"] = .string(input)
            record["output"] = .string(destination)
            record["status"] = .string("written")
            audit?.append(record)
        } catch {
            unlink(written.temporary)
            fail(input, error)
        }
    }

    private func fail(_ input: String, _ error: any Error) {
        // An interrupted run removes its temporaries under the committer's feet: that is no failure of the input.
        if FileIO.temporariesAreClosed { return }
        summary.failed += 1
        let message = reporter.message(for: error)
        reporter.report(.error(message), input: input)
        audit?.append(["input": .string(input), "status": .string("failed"), "error": .string(message)])
    }

    /// `name`, or `name` with `-2`, `-3`... before its extension when an earlier input of this batch took it
    /// (two input folders holding the same relative path, with `--keep-layout`).
    private func uniqueName(_ name: String) -> String {
        guard names.contains(name) else { return name }
        let ext = (name as NSString).pathExtension
        let stem = ext.isEmpty ? name : String(name.dropLast(ext.count + 1))
        var n = nextSuffix[name] ?? 2
        while true {
            let candidate = stem + "-\(n)" + (ext.isEmpty ? "" : "." + ext)
            n += 1
            if !names.contains(candidate) {
                nextSuffix[name] = n
                return candidate
            }
        }
    }

    /// Whether two input files hold the same bytes.
    private static func sameBytes(_ a: String, _ b: String) -> Bool {
        guard let first = try? FileIO.readAll(path: a), let second = try? FileIO.readAll(path: b) else { return false }
        return first == second
    }
}
