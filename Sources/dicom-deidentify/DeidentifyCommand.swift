import ArgumentParser
import CLISupport
import CMS
import DICOMCodec
import DICOMCore
import Deidentification
import Foundation
import MappingStore

/// `dicom-deidentify`: PS3.15 E.1.1 de-identification with the originals encrypted for the recipients.
@main
struct DeidentifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dicom-deidentify",
        abstract: "De-identify DICOM files (PS3.15 Basic Application Level Confidentiality Profile), keeping the originals encrypted for the recipients.",
        discussion: """
        Each output conforms to the Basic Profile and the options chosen; every attribute removed or replaced \
        is kept in an Encrypted Attributes Sequence (0400,0500) that only the recipients' private keys open \
        (see dicom-reidentify). Outputs are named by their new UIDs: DIR/<study>/<series>/<instance>.dcm.

        Exit status: 0 every file done; 1 some files failed (the others were written); 2 usage error or \
        nothing could start (bad certificate, secret, lookup table).
        """)

    @OptionGroup(title: "Input and output") var io: IOOptions

    @Option(name: .customLong("recipient"),
            help: ArgumentHelp("Recipient X.509 certificate (PEM or DER, RSA); repeat for several recipients.", valueName: "cert"))
    var recipients: [String] = []

    @Option(help: "Content encryption of the Encrypted Attributes (3des is legacy).")
    var cipher: CipherArgument = .aes256

    @Option(help: "RSA key transport: PKCS#1 v1.5 (what DICOM names; every peer reads it) or RSAES-OAEP with SHA-256.")
    var keyTransport: KeyTransportArgument = .pkcs1v15

    @Flag(help: "Accept recipient RSA keys shorter than 2048 bits.")
    var allowWeakKeys = false

    @OptionGroup(title: "Profile options") var profile: ProfileOptions

    @Option(help: ArgumentHelp("Secret that keys the UID, pseudonym and date mappings (default: $XDG_CONFIG_HOME/dicom-deid/secret, created on first use).", valueName: "file"))
    var secret: String?

    @Option(help: ArgumentHelp("CSV of new patient identities: original_patient_id,new_patient_id[,new_patient_name,clinical_trial_subject_id,...].", valueName: "csv"))
    var lookupTable: String?

    @Option(help: ArgumentHelp("JSON-lines audit log (default: <output>-audit.jsonl beside the output folder). It lists input paths: keep it on this side.", valueName: "file"))
    var auditLog: String?

    @Flag(help: "Write no audit log.")
    var noAuditLog = false

    @Flag(help: "Accept input that is already de-identified; a second Encrypted Attributes item is added.")
    var allowRepeat = false

    @Flag(help: "Print the action planned for every attribute of the first input file; write nothing.")
    var dryRun = false

    @Flag(help: "With --dry-run, also print original values (they are patient data).")
    var showValues = false

    static func main() { CommandRunner.main(Self.self) }

    func validate() throws {
        if !dryRun {
            guard io.output != nil else { throw ValidationError("--output is required") }
            guard !recipients.isEmpty else { throw ValidationError("give at least one --recipient certificate") }
        }
        if showValues && !dryRun { throw ValidationError("--show-values goes with --dry-run") }
    }

    func run() throws {
        try io.checkOutputOutsideInputs()
        try profile.checkCombination()
        let certificates = try loadRecipients()
        // The profile is read and checked before anything is touched (the secret only first when it keys
        // the CTP hashes).
        let secretPath = secret ?? SecretStore.defaultPath
        let secretBytes: [UInt8]
        let loaded: (profile: Profile?, integers: (any IntegerStore)?)
        if profile.keyedHashes {
            secretBytes = try SecretStore.load(path: secret) { Terminal.line("note: \($0)") }
            loaded = try profile.makeProfile(secret: secretBytes, secretPath: secretPath, dryRun: dryRun)
        } else {
            loaded = try profile.makeProfile(secret: [], secretPath: secretPath, dryRun: dryRun)
            secretBytes = try SecretStore.load(path: secret) { Terminal.line("note: \($0)") }
        }
        let fileProfile = loaded.profile
        let integers = loaded.integers
        let lookup = try lookupTable.map { path in
            do { return try PatientLookupTable(contentsOf: path) } catch { throw CLIError("\(error)") }
        }
        let settings = DeidentificationSettings(
            options: fileProfile?.options ?? Set(profile.options), secret: secretBytes, recipients: certificates,
            cipher: cipher.cipher, keyTransport: keyTransport.keyTransport, patientLookup: lookup, allowRepeat: allowRepeat,
            profile: fileProfile, allowWeakKeys: allowWeakKeys)
        let deidentifier = Deidentifier(settings: settings)
        let inputs = try InputScanner.files(io.inputs) { link in
            if !io.quiet { Terminal.line("skipped: \(link): symbolic link inside a folder, not followed") }
        }
        if dryRun {
            try DryRun.print(inputs.first, deidentifier: deidentifier, showValues: showValues)
            return
        }
        guard let output = io.output else { return }
        try prepareOutput(output)
        let audit = try openAuditLog(output)
        if io.keepLayout && !io.quiet {
            Terminal.line("warning: --keep-layout copies input folder and file names, which often carry identity")
        }
        // New @integer numbers reach the disk once per group of outputs, before the outputs carrying them.
        var beforeCommit: (@Sendable () throws -> Void)?
        if let integers { beforeCommit = { try integers.makeDurable() } }
        let processor = BatchProcessor(files: inputs.map(\.path), jobs: io.jobs, outputRoot: output,
                                       overwrite: io.overwrite, audit: audit,
                                       showProgress: Terminal.isInteractive && !io.quiet, verb: "de-identifying",
                                       beforeCommit: beforeCommit)
        let relative = Dictionary(inputs.map { ($0.path, $0.relativePath) }, uniquingKeysWith: { a, _ in a })
        let keepLayout = io.keepLayout
        let summary = processor.run { path in
            DeidentifyJob.run(path: path, relativePath: relative[path] ?? path, deidentifier: deidentifier,
                              outputRoot: output, keepLayout: keepLayout)
        }
        var line = "de-identified \(summary.written) of \(inputs.count) files into \(output)"
        line += ": \(summary.failed) failed, \(summary.skipped) skipped"
        Terminal.line(line)
        if let audit { Terminal.line("audit log: \(audit.path) (it names input paths: keep it on this side, do not share it)") }
        // A file named on the command line that was not processed is a failure of the run.
        let named = Set(inputs.filter(\.isNamed).map(\.path))
        if summary.failed > 0 || summary.skippedInputs.contains(where: named.contains) { throw ExitCode(ExitStatus.someFailed) }
    }

    private func loadRecipients() throws -> [RecipientCertificate] {
        var certificates: [RecipientCertificate] = []
        for path in recipients {
            do {
                let certificate = try RecipientCertificate(contentsOf: path)
                for warning in try certificate.check(allowWeakKeys: allowWeakKeys) {
                    Terminal.line("warning: \(path): \(warning)")
                }
                certificates.append(certificate)
            } catch {
                throw CLIError("recipient \(path): \(error)")
            }
        }
        return certificates
    }

    private func prepareOutput(_ output: String) throws {
        do { try FileIO.makeDirectories(output) } catch { throw CLIError("cannot create output folder \(output): \(error)") }
        InterruptCleanup.removeStale(in: output)
        InterruptCleanup.install(removingTemporariesIn: output)
    }

    private func openAuditLog(_ output: String) throws -> AuditLog? {
        if noAuditLog { return nil }
        let outputPath = URL(fileURLWithPath: output).standardizedFileURL.path
        let path = auditLog ?? (outputPath.hasSuffix("/") ? String(outputPath.dropLast()) : outputPath) + "-audit.jsonl"
        let standardized = URL(fileURLWithPath: path).standardizedFileURL.path
        if standardized.hasPrefix(outputPath + "/") {
            throw CLIError("the audit log must not be inside the output folder: it names input paths")
        }
        return try AuditLog(path: path)
    }
}

/// The work for one input file.
enum DeidentifyJob {
    static func run(path: String, relativePath: String, deidentifier: Deidentifier, outputRoot: String,
                    keepLayout: Bool) -> FileOutcome {
        do {
            let file = try Part10Reader.read(contentsOf: path)
            if file.meta[Tag(0x0002, 0x0002)]?.string() == "1.2.840.10008.1.3.10" {
                return .skipped(reason: "DICOMDIR not copied: its records list patient names and IDs; make a new one from the output")
            }
            var notes: [String] = []
            if file.layout == .rawDataSet { notes.append("not a Part 10 file (no file meta); written as Part 10") }
            if file.layout == .metaWithoutPreamble { notes.append("file had no preamble; written as Part 10") }
            let result = try deidentifier.deidentify(file)
            notes += result.plan.notes
            let chunks = try Part10Writer.encodeChunks(result.file)
            let name = keepLayout ? relativePath
                : OutputNaming.uidPath(study: result.studyInstanceUID, series: result.seriesInstanceUID,
                                       instance: result.sopInstanceUID)
            let temporary = try FileIO.writeTemporary(chunks: chunks.slices, inDirectory: outputRoot, sync: false)
            var record: [String: AuditValue] = ["sopInstanceUID": .string(result.sopInstanceUID),
                                                "actions": .object(result.plan.actionCounts)]
            if !result.plan.removedPrivateByCreator.isEmpty {
                // Creators name vendors' blocks, not patients: a curator reviews what was dropped.
                record["privateRemovedByCreator"] = .object(result.plan.removedPrivateByCreator)
            }
            if let study = result.studyInstanceUID { record["studyInstanceUID"] = .string(study) }
            if let series = result.seriesInstanceUID { record["seriesInstanceUID"] = .string(series) }
            return .written(temporary: temporary, relativePath: name, record: record, notes: notes)
        } catch let error as DICOMError where error.code == .notDICOM {
            return .skipped(reason: "not a DICOM file")
        } catch let error as DICOMError {
            return .failed(message: "\(error.withoutFile)")    // the report names the file already
        } catch let error as DeidentificationError where error.code == .alreadyDeidentified {
            return .failed(message: "\(error); use --allow-repeat to add a layer")
        } catch {
            return .failed(message: "\(error)")
        }
    }
}

/// `--dry-run`: the plan for one file, as a table on standard output.
enum DryRun {
    static func print(_ input: InputScanner.Input?, deidentifier: Deidentifier, showValues: Bool) throws {
        guard let input else { throw CLIError("no input files found") }
        let file: Part10File
        let plan: Plan
        do {
            file = try Part10Reader.read(contentsOf: input.path)
            plan = try deidentifier.plan(file)
        } catch {
            throw CLIError("\(input.path): \(error)")
        }
        Swift.print("# planned actions for \(input.path) (nothing written)")
        var rows: [(TagPath, String)] = []
        for edit in plan.edits {
            var text = "\(edit.vr)  \(edit.decision.action)  \(ruleText(edit.decision))"
            if showValues {
                let before = file.dataSet.element(at: edit.path).map(describe) ?? ""
                let after: String
                if let value = edit.newValue {
                    after = describe(DataElement(tag: edit.path.lastTag ?? Tag(0, 0), vr: edit.vr, value: value))
                } else {
                    after = "(removed)"
                }
                text += "  \(before) -> \(after)"
            }
            rows.append((edit.path, text))
        }
        for kept in plan.kept {
            var text = "\(kept.vr)  keep  \(ruleText(kept.decision))"
            if showValues, let element = file.dataSet.element(at: kept.path) { text += "  \(describe(element))" }
            rows.append((kept.path, text))
        }
        for element in plan.settings {
            // Group 0012 (Patient Identity Removed, the method, Clinical Trial) and (0028,0303).
            let why = element.tag.group == 0x0012 || element.tag == Tag(0x0028, 0x0303)
                ? "PS3.15 E.1.1 identity removed attributes" : "added by the profile (removed again on re-identification)"
            rows.append((TagPath(element.tag), "\(element.vr)  set  [\(why)]"))
        }
        // A sequence whose items hold nothing to decide (none, or only empty ones) has no row of its own
        // in the plan: list it, so every attribute of the file has a line.
        let planned = Set(rows.map(\.0.description))
        for element in file.dataSet.elements where element.sequence != nil {
            let path = TagPath(element.tag).description
            if !planned.contains(path), !planned.contains(where: { $0.hasPrefix(path + "[") }) {
                let count = element.sequence?.items.count ?? 0
                rows.append((TagPath(element.tag), "\(element.vr)  keep  [sequence with nothing inside to change: \(count) items]"))
            }
        }
        for (path, text) in rows.sorted(by: { $0.0.description < $1.0.description }) {
            Swift.print("\(path)  \(text)")
        }
    }

    /// The decision's reason and, where known, the rule that decided: a Table E.1-1 row and column, a
    /// built-in rule, or a profile file and line.
    private static func ruleText(_ decision: Decision) -> String {
        guard let origin = decision.origin else { return "[\(decision.rule)]" }
        if case .builtIn = origin { return "[\(decision.rule)]  (built-in rule)" }
        return "[\(decision.rule)]  (\(origin))"
    }

    private static func describe(_ element: DataElement) -> String {
        switch element.value {
        case .bytes(let bytes):
            if element.vr.isText { return "\"" + (element.string() ?? "") + "\"" }
            return "<\(bytes.count) bytes>"
        case .sequence(let sequence): return "<\(sequence.items.count) items>"
        case .fragments(let fragments): return "<\(fragments.items.count) fragments>"
        }
    }
}
