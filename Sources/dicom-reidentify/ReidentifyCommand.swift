import ArgumentParser
import CLISupport
import CMS
import DICOMCodec
import DICOMCore
import DICOMDictionary
import Deidentification
import Diagnostics
import FileSystem
import Foundation
import Jobs

/// `dicom-reidentify`: PS3.15 E.1.2 re-identification with a recipient's private key.
@main
struct ReidentifyCommand: CheckedCommand {
    static let configuration = CommandConfiguration(
        commandName: "dicom-reidentify",
        abstract: "Restore the original attributes of de-identified DICOM files with a recipient's private key (PS3.15 E.1.2).",
        discussion: """
        Opens the newest Encrypted Attributes Sequence (0400,0500) item the key can decrypt, checks that its \
        content parses completely and that it belongs to this file (its binding names the file's SOP Instance \
        UID, and the file is as the de-identifier wrote it), puts every original attribute back, sets Patient Identity Removed to NO and \
        removes the De-identification Method attributes (unless the originals held them). The key passphrase \
        comes from --passphrase-env, --passphrase-file or a prompt, never from the command line.

        Every run appends to an audit trail: when, who, on which host, with which key, why (--reason), and for \
        each file its input and output paths and the tags restored (never values).

        A rerun into the same folder counts identical outputs already there as done; restored instances \
        sharing an original SOP Instance UID are named X, X-2, X-3...

        Exit status: 0 every file done (or already done); 1 some files failed (no output written for them), \
        or a folder could not be read; 2 usage error or the key could not be loaded.
        """,
        version: Toolkit.version)

    @OptionGroup(title: "Input and output") var io: IOOptions
    @OptionGroup(title: "Key") var keyOptions: KeyOptions

    @Flag(help: "Decrypt and check every file without writing anything: recipient, cipher, and whether the restored data set parses.")
    var verify = false

    @Flag(help: "Restore files changed after de-identification (refused otherwise, naming what changed); the audit trail records what changed. An item made for another file is refused all the same.")
    var acceptModified = false

    @Option(help: ArgumentHelp("Restore only these attributes (keywords or tags, comma-separated, e.g. PatientID,(0010,0010)); the file stays de-identified otherwise.", valueName: "list"))
    var only: String?

    @Option(help: ArgumentHelp("Why these files are re-identified; recorded in the audit log (asked for on a terminal when missing).", valueName: "text"))
    var reason: String?

    @Option(help: ArgumentHelp("JSON-lines audit trail, appended, mode 0600 (default: reidentify-audit.jsonl beside the de-identification secret; never inside the output folder).", valueName: "file"), completion: .file())
    var auditLog: String?

    static func main() { CommandRunner.main(Self.self) }

    func checkOptions() throws {
        try io.checkOptions()
        try keyOptions.checkOptions()
        if !verify, io.output == nil { throw ValidationError("--output is required (or use --verify)") }
        if verify, io.output != nil || io.overwrite || io.keepLayout {
            throw ValidationError("--verify writes nothing: it excludes --output, --overwrite and --keep-layout")
        }
        if let only { _ = try Self.parseTags(only) }
    }

    func run() throws {
        try io.checkOutputOutsideInputs()
        let why = try ReidentificationAudit.reason(reason)
        let (key, certificate) = try keyOptions.load()
        let reidentifier = Reidentifier(key: key, certificate: certificate, acceptModified: acceptModified)
        let onlyList = try only.map { try Self.parseTags($0) }
        let onlyTags = onlyList.map { Set($0) }
        let audit = try ReidentificationAudit.open(
            path: auditLog, output: verify ? nil : io.output,
            common: ReidentificationAudit.commonFields(key: key, certificate: certificate, reason: why,
                                                       only: onlyList?.map(\.description), mode: verify ? "verify" : "restore"))
        let scan = try io.scanInputs()
        let inputs = scan.files
        if inputs.isEmpty {
            Terminal.line("error: no file among the inputs; nothing \(verify ? "verified" : "written")")
            throw ExitCode(ExitStatus.someFailed)
        }
        let output = io.output
        if let output, !verify {
            // Restored files hold identity again, and their folders are named by the original UIDs.
            do { try FileIO.makeDirectories(output, mode: 0o700) } catch { throw CLIError("cannot create output folder \(output): \(error)") }
            try InterruptCleanup.removeStale(in: output)
            InterruptCleanup.install(removingTemporariesIn: output)
        }
        let outputRoot = verify ? nil : output
        let processor = BatchProcessor(
            inputs: inputs, jobs: io.jobs,
            // Restored instances sharing an original SOP Instance UID take X-2, X-3... also across reruns.
            output: outputRoot.map { OutputSettings(root: $0, overwrite: io.overwrite, directoryMode: 0o700,
                                                    whenTaken: io.layout.whenTaken(byUIDs: .nextName)) },
            audit: audit,
            reporter: TerminalReporter(verb: verify ? "verifying" : "re-identifying",
                                       showProgress: Terminal.isInteractive && !io.quiet))
        let job = ReidentifyJob(reidentifier: reidentifier, only: onlyTags, outputRoot: outputRoot, layout: io.layout)
        let summary = processor.run(job.run)
        if let outputRoot { InterruptCleanup.finish(in: outputRoot) }
        if verify {
            Terminal.line("verified \(summary.checked) of \(inputs.count) files: \(summary.failed) failed, \(summary.skipped) skipped")
        } else {
            Terminal.line("re-identified \(summary.written) of \(inputs.count) files into \(output ?? ""): \(summary.failed) failed, \(summary.skipped) skipped"
                          + (summary.alreadyDone > 0 ? ", \(summary.alreadyDone) already done" : ""))
        }
        // A file named on the command line that was not processed is a failure of the run.
        let named = Set(inputs.filter(\.isNamed).map(\.path))
        if summary.failed > 0 || scan.failedFolders > 0 || summary.skippedInputs.contains(where: named.contains) {
            throw ExitCode(ExitStatus.someFailed)
        }
    }

    /// Parses `PatientID,(0010,0010),00100020`: commas inside parentheses belong to the tag.
    static func parseTags(_ list: String) throws -> [Tag] {
        var pieces: [Substring] = []
        var depth = 0
        var start = list.startIndex
        for index in list.indices {
            switch list[index] {
            case "(": depth += 1
            case ")": depth = max(0, depth - 1)
            case "," where depth == 0:
                pieces.append(list[start..<index])
                start = list.index(after: index)
            default: break
            }
        }
        pieces.append(list[start...])
        return try pieces.filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }.reduce(into: [Tag]()) { tags, piece in
            let text = piece.trimmingCharacters(in: .whitespaces)
            if let tag = DataDictionary.tag(forKeyword: text) {
                tags.append(tag)
            } else if let tag = Tag(parsing: Substring(text)) {
                tags.append(tag)
            } else {
                throw ValidationError("--only: '\(text)' is neither a keyword nor a tag")
            }
        }
    }
}
