import Jobs
import ArgumentParser
import CLISupport
import Deidentification
import Foundation
import PixelCodecs
import Review
import Synchronization

/// `dicom-review inventory`: every attribute of a collection, what the profile does with it, and what to look at.
struct InventoryCommand: CheckedCommand {
    static let configuration = CommandConfiguration(
        commandName: "inventory",
        abstract: "Inventory the attributes of a collection before de-identification.",
        discussion: """
        Writes DIR/inventory.json, DIR/inventory.csv and DIR/inventory.html (a self-contained page): one row per attribute key (standard tag, or private \
        group + creator + element byte) and sequence path, with its VRs, files, occurrences, distinct values \
        (exact up to 1000, then estimated), value lengths and the action and rule of the chosen profile, and \
        flags for what a curator should look at (free text kept, private attributes kept, unknown private \
        creators, attributes not in the dictionary, files likely to carry burned-in text). With --private-tag-kb, \
        each private attribute's disposition in that knowledge base is shown beside the profile's action, as \
        TCIA's Tag Sniffer shows its Private Tag Knowledge Base. Values appear only with --show-values. Nothing is de-identified and no mapping database is written.

        With --ocr every image's pixels are read (Tesseract, every frame): the file flags then count the words \
        read, the identifiers of the file's own header read and the lines that look identifying, and flag the \
        files a person must look at (identifyingTextInPixels, pixelsNotRead). Counts only: no word read and no \
        crop of the pixels goes into the report. OCR costs about a second per colour frame.

        Exit status: 0 every file read; 1 some files could not be read (the others are in the inventory); \
        2 usage error.
        """)

    @Argument(help: ArgumentHelp("DICOM files or folders (searched recursively).", valueName: "input"), completion: .file())
    var inputs: [String] = []

    @Option(help: ArgumentHelp("Folder for inventory.json, inventory.csv and inventory.html (created if missing).", valueName: "dir"), completion: .directory)
    var report: String

    @Flag(help: "Include up to 5 example values per row. They are patient data: keep the report on this side.")
    var showValues = false

    @Option(name: .shortAndLong, help: "Files read in parallel (default: all cores).")
    var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

    @Flag(help: "Read the pixels (OCR, every frame): count the text in each file and flag identifying text for review.")
    var ocr = false

    @Flag(name: .shortAndLong, help: "Print only errors and the summary.")
    var quiet = false

    @Option(help: ArgumentHelp("A private tag knowledge base in the --private-dispositions format (e.g. Profiles/private/tcia-private-tag-kb-2024-02-01.csv): its disposition of each private attribute is shown beside the profile's action.",
                               valueName: "file"), completion: .file(extensions: ["csv"]))
    var privateTagKB: String?

    @OptionGroup(title: "Profile options") var profile: ProfileOptions

    func checkOptions() throws {
        try profile.checkOptions()
        guard !inputs.isEmpty else { throw ValidationError("give at least one input file or folder") }
        guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1") }
    }

    func run() throws {
        try profile.checkCombination()
        let pixelText = try ocr ? PixelTextReader(detection: CheckCommand.startOCR(), registry: PixelCodecs.registry) : nil
        let knowledgeBase: PrivateTagKnowledgeBase?
        do { knowledgeBase = try privateTagKB.map { try PrivateTagKnowledgeBase.load(path: $0) } } catch {
            throw CLIError("\(error)")
        }
        // The plan needs a secret only to compute replacement values, which the inventory never shows:
        // a random one, and a mapping database looked up read-only (dry run), nothing written.
        var generator = SystemRandomNumberGenerator()
        let secret = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let secretPath = NSTemporaryDirectory() + "dicom-review-no-secret/secret"
        let loaded = try profile.makeProfile(secret: secret, secretPath: secretPath, dryRun: true)
        let settings = DeidentificationSettings(
            policy: DeidentificationPolicy(options: loaded.profile?.options ?? Set(profile.options), profile: loaded.profile,
                                           allowRepeat: true),
            keys: MappingKeys(secret: secret), recipients: Recipients([]))
        let deidentifier = Deidentifier(settings: settings)
        let quiet = self.quiet
        var unreadableFolders = 0
        let files = try InputScanner.files(inputs, skippedLink: { link in
            if !quiet { Terminal.line("skipped: \(link): symbolic link inside a folder, not followed") }
        }, unreadableFolder: { folder, error in
            Terminal.line("error: \(folder): \(error)")
            unreadableFolders += 1
        })
        let scanner = InventoryScanner(deidentifier: deidentifier,
                                       options: InventoryOptions(showValues: showValues, jobs: jobs), pixelText: pixelText)
        let reporter = TerminalReporter(verb: "inventory", showProgress: Terminal.isInteractive && !quiet)
        let total = files.count
        // Workers report from their threads: one line at a time, never inside the progress line.
        let outputLock = Mutex(())
        var inventory = scanner.scan(files, profile: profileName(loaded.profile), progress: { done in
            outputLock.withLock { _ in reporter.progress(done: done, total: total, failed: 0) }
        }, failure: { label, message, skipped in
            if skipped && quiet { return }
            outputLock.withLock { _ in reporter.report(skipped ? .skipped(message) : .error(message), input: label) }
        })
        reporter.finished()
        if let knowledgeBase { inventory.annotate(with: knowledgeBase) }
        let written: [String]
        do { written = try InventoryWriter.write(inventory, to: report) } catch {
            throw CLIError("cannot write the inventory into \(report): \(error)")
        }
        var line = "inventoried \(inventory.files - inventory.failedFiles) of \(inventory.files) files: "
        line += "\(inventory.rows.count) rows, \(inventory.failedFiles) failed, \(inventory.skippedFiles) skipped (not DICOM); "
        line += "wrote \(written.joined(separator: ", "))"
        Terminal.line(line)
        if showValues { Terminal.line("warning: the report holds example values (patient data): keep it on this side") }
        if inventory.failedFiles > 0 || unreadableFolders > 0 { throw ExitCode(ExitStatus.someFailed) }
    }

    /// "Basic Profile" with its options, or the profile or script file's name.
    private func profileName(_ loaded: Profile?) -> String {
        if let file = profile.profile ?? profile.ctpScript { return (file as NSString).lastPathComponent }
        let options = profile.options.map(\.codeMeaning)
        return options.isEmpty ? "Basic Profile" : "Basic Profile + " + options.joined(separator: " + ")
    }
}
