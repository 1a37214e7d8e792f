import Jobs
import ArgumentParser
import CLISupport
import Deidentification
import DICOMCodec
import FileSystem
import Foundation
import PixelCodecs
import Review

/// `dicom-review check`: looks for identifiers of the originals left in de-identified files.
struct CheckCommand: CheckedCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check de-identified files for leftover identity.",
        discussion: """
        For each de-identified file, collects the identifying values of its original — from the Encrypted \
        Attributes it carries (opened with --key) or from the original file named in the de-identification audit \
        log (--originals with --audit-log) — and searches every value outside the Encrypted Attributes Sequence, \
        at every nesting level, private attributes included. Also checks Patient Identity Removed is YES, De-identification \
        Method or its Code Sequence is present, and there is exactly one Encrypted Attributes item \
        (which the key opens).

        With --ocr the pixels are read too (Tesseract, every frame, decoded by the codec of the transfer syntax): \
        every identifier of the original read there is a finding, with its frame and box. OCR misses text too \
        small, rotated or handwritten: a clean result lowers the review work, it does not replace it. A file \
        whose pixels cannot be read (PALETTE COLOR, a corrupt frame) is reported as not checked.

        Opening the Encrypted Attributes with --key is a re-identification: every file checked with the key \
        gets a record in the re-identification audit trail, as with dicom-reidentify (who, host, key, reason \
        "check", the file's path and the tags decrypted, never values).

        Findings go to standard output, one line each: file, attribute path, what was found, the value masked \
        (first character and ***) unless --show-values. Files that cannot be read are reported on standard \
        error, one line each, and the batch goes on.

        Exit status: 0 nothing found; 1 something found, or some files could not be checked; 2 usage error, or \
        the key, the audit log or the re-identification trail could not be loaded or opened.
        """)

    @Argument(help: ArgumentHelp("De-identified files or folders (searched recursively).", valueName: "output"), completion: .file())
    var inputs: [String] = []

    @Option(help: ArgumentHelp("Recipient private key that opens the Encrypted Attributes (PEM, DER or PKCS#12).", valueName: "file"), completion: .file())
    var key: String?

    @OptionGroup var keyMaterial: KeyMaterialOptions

    @Option(help: ArgumentHelp("Folder of the original files (with --audit-log), instead of --key.", valueName: "dir"), completion: .directory)
    var originals: String?

    @Option(help: ArgumentHelp("The dicom-deidentify audit log that maps each output to its input (with --originals).", valueName: "file"), completion: .file())
    var auditLog: String?

    @Option(help: ArgumentHelp("With --key: the re-identification audit trail, JSON lines appended, mode 0600 (default: reidentify-audit.jsonl beside the de-identification secret, as for dicom-reidentify).", valueName: "file"), completion: .file())
    var reidentifyAuditLog: String?

    @Flag(help: "Also read the pixels (OCR, every frame) for the original's identifiers: burned-in text left after de-identification.")
    var ocr = false

    @Flag(help: "Print matched identifiers and values in full (they are PHI); masked otherwise.")
    var showValues = false

    @Option(name: .shortAndLong, help: "Files checked in parallel.")
    var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

    @Flag(name: .shortAndLong, help: "No summary line.")
    var quiet = false

    func checkOptions() throws {
        try keyMaterial.checkOptions()
        if inputs.isEmpty { throw ValidationError("give at least one de-identified file or folder") }
        if (key == nil) == (originals == nil) { throw ValidationError("give --key, or --originals with --audit-log (one of them)") }
        if originals != nil, auditLog == nil { throw ValidationError("--originals needs --audit-log") }
        if key != nil, auditLog != nil {
            throw ValidationError("--audit-log (the de-identification log) goes with --originals; the trail of --key is --reidentify-audit-log")
        }
        if key == nil, reidentifyAuditLog != nil { throw ValidationError("--reidentify-audit-log goes with --key") }
        if key == nil, keyMaterial.isGiven {
            throw ValidationError("--certificate and the passphrase options go with --key")
        }
        if jobs < 1 { throw ValidationError("--jobs must be at least 1") }
    }

    func run() throws {
        let pixelText = try ocr ? PixelTextReader(detection: Self.startOCR(), registry: PixelCodecs.registry) : nil
        var reidentifier: Reidentifier?
        var audit: AuditLog?
        if let key {
            let (privateKey, cert) = try keyMaterial.load(key: key)
            reidentifier = Reidentifier(key: privateKey, certificate: cert)
            try checkTrailOutsideInputs(reidentifyAuditLog ?? ReidentificationAudit.defaultPath)
            // Opened before anything is decrypted: no trail, no re-identification.
            audit = try ReidentificationAudit.open(
                path: reidentifyAuditLog, output: nil,
                common: ReidentificationAudit.commonFields(key: privateKey, certificate: cert, reason: "check",
                                                           only: nil, mode: "check"))
        }
        let index: OriginalsIndex?
        if let originals, let auditLog {
            do { index = try OriginalsIndex(auditLog: auditLog, originalsFolder: originals) } catch { throw CLIError("\(error)") }
        } else {
            index = nil
        }
        var unreadableFolders = 0
        let files = try InputScanner.files(inputs, skippedLink: { link in
            if !quiet { Terminal.line("skipped: \(link): symbolic link inside a folder, not followed") }
        }, unreadableFolder: { folder, error in
            Terminal.line("error: \(folder): \(error)")
            unreadableFolders += 1
        })
        let job = CheckJob(check: LeftoverCheck(reidentifier: reidentifier, pixelText: pixelText), index: index)
        let reporter = TerminalReporter(verb: "checking", showProgress: Terminal.isInteractive && !quiet)
        let throttle = ProgressThrottle(total: files.count)
        var tally = Tally()
        BatchEngine(inputs: files, jobs: jobs).ordered(job.run) { group in
            reporter.finished()  // findings go to standard output: not inside the progress line
            for (index, outcome) in group {
                let path = files[index].path
                audit?.append(CheckJob.record(input: path, outcome))
                switch outcome {
                case .checked(let result):
                    if result.unreadablePixels == nil { tally.checked += 1 }
                    if !result.findings.isEmpty { tally.withFindings += 1 }
                    tally.findings += result.findings.count
                    for finding in result.findings { print("\(path): \(finding.line(showValues: showValues))") }
                    if let unreadable = result.unreadablePixels {
                        tally.failed += 1
                        reporter.report(.error("\(unreadable)"), input: path)
                    }
                case .skipped:
                    tally.skipped += 1
                case .failed(let message):
                    tally.failed += 1
                    reporter.report(.error(message), input: path)
                }
            }
            if let audit {
                do { try audit.sync() } catch {
                    Terminal.line("error: \(error)")
                    tally.failed += 1
                }
            }
            let done = (group.last?.index ?? 0) + 1
            if throttle.shouldReport(done: done), done < files.count {
                reporter.progress(done: done, total: files.count, failed: tally.failed)
            }
        }
        reporter.finished()
        if !quiet {
            Terminal.line("checked \(tally.checked) files: \(tally.withFindings) with findings (\(tally.findings) in all), \(tally.failed) could not be checked, \(tally.skipped) skipped")
        }
        if tally.findings > 0 || tally.failed > 0 || unreadableFolders > 0 { throw ExitCode(ExitStatus.someFailed) }
    }
}

extension CheckCommand {
    /// What a check run counted.
    struct Tally {
        var checked = 0, withFindings = 0, findings = 0, failed = 0, skipped = 0
    }

    /// Tesseract started before any file is read (and before the key is used): missing language data is one
    /// line and exit status 2.
    /// - Throws: ``CLIError``.
    static func startOCR() throws -> TextDetectionSettings {
        do { return try TextDetectionSettings() } catch { throw CLIError("--ocr: \(error)") }
    }

    /// The checked folders are what gets released: the re-identification trail (who, which key) stays out.
    /// - Throws: ``CLIError`` naming the folder.
    func checkTrailOutsideInputs(_ trail: String) throws {
        for input in inputs where FileIO.isDirectory(input) && Paths.isInside(trail, folder: input) {
            throw CLIError("the re-identification trail \(trail) must not be inside a checked folder (\(input))")
        }
    }
}
