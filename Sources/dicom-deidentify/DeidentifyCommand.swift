import ArgumentParser
import AuditRecords
import CLISupport
import CMS
import DICOMCodec
import DICOMCore
import Deidentification
import Diagnostics
import FileSystem
import Foundation
import Jobs
import MappingStore
import PixelCodecs
import PixelData

/// `dicom-deidentify`: PS3.15 E.1.1 de-identification with the originals encrypted for the recipients.
@main
struct DeidentifyCommand: CheckedCommand {
    static let configuration = CommandConfiguration(
        commandName: "dicom-deidentify",
        abstract: "De-identify DICOM files (PS3.15 Basic Application Level Confidentiality Profile), keeping the originals encrypted for the recipients.",
        discussion: """
        Each output conforms to the Basic Profile and the options chosen; every attribute removed or replaced \
        is kept in an Encrypted Attributes Sequence (0400,0500) that only the recipients' private keys open \
        (see dicom-reidentify). Outputs are named by their new UIDs: DIR/<study>/<series>/<instance>.dcm.

        A rerun into the same folder counts outputs already there and the same (apart from the Encrypted \
        Attributes) as done.

        Exit status: 0 every file done (or already done); 1 some files failed (the others were written), a \
        folder could not be read, or no input was DICOM; 2 usage error or nothing could start (bad \
        certificate, secret, lookup table).
        """,
        version: Toolkit.version)

    @OptionGroup(title: "Input and output") var io: IOOptions

    @OptionGroup(title: "Scale-out (see docs/scale-out.md)") var scale: ScaleOptions

    @OptionGroup var encryption: RecipientOptions

    @OptionGroup(title: "Profile options") var profile: ProfileOptions

    @OptionGroup(title: "Pixel data") var pixels: PixelOptions

    @Option(help: ArgumentHelp("Secret that keys the UID, pseudonym and date mappings (default: $XDG_CONFIG_HOME/dicom-deid/secret, created on first use).", valueName: "file"), completion: .file())
    var secret: String?

    @Option(help: ArgumentHelp("CSV of new patient identities: original_patient_id,new_patient_id[,new_patient_name,clinical_trial_subject_id,...].", valueName: "csv"), completion: .file(extensions: ["csv"]))
    var lookupTable: String?

    @Option(help: ArgumentHelp("JSON-lines audit log (default: <output>-audit.jsonl beside the output folder). It lists input paths: keep it on this side.", valueName: "file"), completion: .file())
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

    func checkOptions() throws {
        try scale.checkOptions()
        try io.checkOptions(inputsRequired: scale.takesInputs)
        try profile.checkOptions()
        try pixels.checkOptions()
        if noAuditLog && auditLog != nil { throw ValidationError("--no-audit-log and --audit-log exclude each other") }
        try scale.checkCombination(io: io, dryRun: dryRun, auditLog: auditLog, noAuditLog: noAuditLog)
        if case .plan? = scale.mode { return }
        if case .merge? = scale.mode { return }
        if !dryRun {
            guard io.output != nil else { throw ValidationError("--output is required") }
            guard !encryption.certificates.isEmpty else { throw ValidationError("give at least one --recipient certificate") }
        }
        if showValues && !dryRun { throw ValidationError("--show-values goes with --dry-run") }
    }

    func run() throws {
        switch scale.mode {
        case .plan(let folder, let parts)?: return try makePlan(into: folder, parts: parts)
        case .merge(let folder)?: return try mergePlan(folder)
        case .part?, nil: break
        }
        // A list on standard input is read once.
        let givenInputs = scale.plan == nil ? try io.allInputs() : []
        try io.checkOutputOutsideInputs(givenInputs)
        try profile.checkCombination()
        let certificates = try encryption.load()
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
        // Said even under --quiet: a profile that weakens the Basic Profile is the operator's to know.
        if let summary = fileProfile?.comparison.summary {
            let source = profile.profile ?? profile.ctpScript ?? profile.privateDispositions.joined(separator: ", ")
            Terminal.line("warning: \(source): \(summary)")
        }
        let lookup = try lookupTable.map { path in
            do { return try PatientLookupTable(contentsOf: path) } catch { throw CLIError("\(error)") }
        }
        // The codecs written here (RLE); JPEG, JPEG-LS and JPEG 2000 come from PixelCodecs when it is linked in.
        let settings = DeidentificationSettings(
            policy: DeidentificationPolicy(options: fileProfile?.options ?? Set(profile.options), profile: fileProfile,
                                           allowRepeat: allowRepeat,
                                           cleanPixelData: try pixels.settings(registry: PixelCodecs.registry)),
            keys: MappingKeys(secret: secretBytes, patientLookup: lookup),
            recipients: encryption.recipients(certificates))
        let deidentifier = Deidentifier(settings: settings)
        let part = try scale.mode.flatMap { mode in try openPart(mode, secret: secretBytes) }
        let scan = try part?.scan ?? io.scanInputs(givenInputs)
        let inputs = scan.files
        if dryRun {
            for line in try DryRun.lines(for: inputs.first, deidentifier: deidentifier, showValues: showValues) {
                print(line)
            }
            return
        }
        guard let output = io.output else { return }
        if inputs.isEmpty, let part {
            Terminal.line("part \(part.number): nothing left to do\(part.resumeNote)")
            return
        }
        if inputs.isEmpty {
            Terminal.line("error: no file among the inputs; nothing written")
            throw ExitCode(ExitStatus.someFailed)
        }
        try prepareOutput(output)
        try pixels.prepareQuarantine(output: output)
        let audit = try part.map { try openPartLog($0) } ?? openAuditLog(output)
        if pixels.detectText {
            // Said on every run, also under --quiet: files the fail safe would refuse are written on OCR's word.
            Terminal.line("warning: --detect-text is experimental: OCR misses some burned-in text (about 1 identifying word in 50 on the generated corpus, mostly text under 8 px); review the cleaned images before release (docs/text-detection.md)")
        }
        if io.keepLayout && !io.quiet {
            Terminal.line("warning: --keep-layout copies input folder and file names, which often carry identity")
        }
        // New @integer numbers reach the disk once per group of outputs, before the outputs carrying them.
        var beforeCommit: (@Sendable () throws -> Void)?
        if let integers { beforeCommit = { try integers.makeDurable() } }
        let processor = BatchProcessor(
            inputs: inputs, jobs: io.jobs,
            output: OutputSettings(root: output, overwrite: io.overwrite, whenTaken: io.layout.whenTaken(byUIDs: .distinctInstance),
                                   isSameOutput: DeidentifyJob.isSameOutput),
            audit: audit,
            reporter: TerminalReporter(verb: "de-identifying", showProgress: Terminal.isInteractive && !io.quiet),
            beforeCommit: beforeCommit)
        // Which inputs share a SOP Instance UID, and which content keeps the plain mapping, whatever the input order.
        let shared = part?.shared ?? SharedInstances.find(inputs, secret: secretBytes, jobs: io.jobs)
        let job = DeidentifyJob(deidentifier: deidentifier, outputRoot: output, layout: io.layout,
                                quarantine: pixels.quarantine, sharedInstances: shared)
        let summary = processor.run(job.run, policy: job.commitPolicy)
        InterruptCleanup.finish(in: output)
        var line = "de-identified \(summary.written) of \(inputs.count) files into \(output)"
        if let part { line = "part \(part.number): " + line + part.resumeNote }
        line += ": \(summary.failed) failed, \(summary.skipped) skipped"
        if summary.alreadyDone > 0 { line += ", \(summary.alreadyDone) already done" }
        Terminal.line(line)
        if let audit { Terminal.line("audit log: \(audit.path) (it names input paths: keep it on this side, do not share it)") }
        // A file named on the command line that was not processed is a failure of the run.
        if summary.foundNoDICOM { Terminal.line("error: no DICOM file among the inputs; nothing written") }
        let named = Set(inputs.filter(\.isNamed).map(\.path))
        if summary.failed > 0 || scan.failedFolders > 0 || summary.foundNoDICOM || summary.skippedInputs.contains(where: named.contains) {
            throw ExitCode(ExitStatus.someFailed)
        }
    }

    private func prepareOutput(_ output: String) throws {
        do { try FileIO.makeDirectories(output) } catch { throw CLIError("cannot create output folder \(output): \(error)") }
        try InterruptCleanup.removeStale(in: output)
        InterruptCleanup.install(removingTemporariesIn: output)
    }

    private func openAuditLog(_ output: String) throws -> AuditLog? {
        if noAuditLog { return nil }
        let outputPath = Paths.standardized(output)
        let path = auditLog ?? (outputPath.hasSuffix("/") ? String(outputPath.dropLast()) : outputPath) + "-audit.jsonl"
        if Paths.isInside(path, folder: output) {
            throw CLIError("the audit log must not be inside the output folder: it names input paths")
        }
        return try AuditLog(path: path, template: DeidentificationRecord())
    }
}
