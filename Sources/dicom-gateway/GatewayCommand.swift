import ArgumentParser
import CLISupport
import CMS
import DICOMCodec
import DICOMCore
import DICOMDictionary
import DICOMNetwork
import DICOMNetworkTransport
import DICOMWeb
import Deidentification
import Diagnostics
import Dispatch
import FileSystem
import Foundation
import Gateway
import Jobs
import MappingStore
import PixelCodecs
import PixelData
import Synchronization

/// `dicom-gateway`: a storage SCP that spools what it receives durably, de-identifies it as `dicom-deidentify`
/// does, and forwards the outputs to a folder.
@main
struct GatewayCommand: CheckedCommand {
    static let configuration = CommandConfiguration(
        commandName: "dicom-gateway",
        abstract: "Receive DICOM instances by C-STORE, de-identify them reversibly, forward them to a folder.",
        discussion: """
        A storage SCP (C-ECHO, C-STORE; PS3.7, PS3.8). Only the calling AE titles given by --allow may \
        associate; others are rejected (A-ASSOCIATE-RJ). Each instance is written to the spool folder and \
        flushed to disk before its C-STORE response says success; an instance cut off by an abort is dropped, \
        never acknowledged. The spool is then de-identified with the same engine and options as \
        dicom-deidentify into the --forward-to-folder folder (named by the new UIDs); an instance leaves the \
        spool once its output is in place and flushed. Refused instances go to the quarantine folder, the \
        reason in the log. Logs are JSON lines on standard error and never hold a value of an instance. \
        SIGTERM or SIGINT stops it gracefully: no new association, those open get a few seconds, then the \
        instance being processed finishes and the gateway exits; the spool keeps the rest for the next start. \
        --config FILE reads these options from a YAML file. 'dicom-gateway status --spool DIR' shows the \
        counts (received, processed, forwarded, quarantined, failed, per destination). See docs/gateway.md.

        Exit status: 0 stopped by a signal; 2 usage error or it could not start (port in use, bad certificate, \
        secret, folders).
        """,
        version: Toolkit.version)

    @Option(help: ArgumentHelp("YAML file saying what the options say (listen, allow, limits, spool, quarantine, secret, audit-log, deidentify, destinations; see docs/gateway.md); options given after it add to or replace its values.", valueName: "file"), completion: .file())
    var config: String?

    @Option(help: "TCP port to listen on (0: one the system chooses, named in the \"listening\" log line).")
    var port: Int

    @Option(help: ArgumentHelp("Address to listen on (default: every address).", valueName: "address"))
    var host = "0.0.0.0"

    @Option(name: .customLong("ae-title"), help: ArgumentHelp("This node's AE title: associations calling another are rejected.", valueName: "AE"))
    var aeTitle: String

    @Option(name: .customLong("allow"), help: ArgumentHelp("A calling AE title allowed to send, optionally with the only address it may come from (AE@address); repeat for several.", valueName: "AE[@address]"))
    var allowed: [String] = []

    @Option(help: ArgumentHelp("Folder where received instances wait, flushed to disk, until forwarded (created, mode 0700). It holds identified data.", valueName: "dir"), completion: .directory)
    var spool: String

    @Option(name: .customLong("forward-to-folder"), help: ArgumentHelp("Folder receiving the de-identified instances (DIR/<study>/<series>/<instance>.dcm).", valueName: "dir"), completion: .directory)
    var forwardFolder: String

    @Option(name: .customLong("forward-to-scp"), help: ArgumentHelp("Also send each de-identified instance by C-STORE to this SCP, in its own transfer syntax; repeat for several. An instance leaves the spool only once every destination took it (retried with backoff otherwise).", valueName: "AE@host:port"))
    var forwardSCP: [String] = []

    @Option(name: .customLong("forward-to-stow"), help: ArgumentHelp("Also send each de-identified instance by DICOMweb STOW-RS to this service (POST <url>/studies, e.g. http://host:8042/dicom-web); repeat for several. Plain HTTP only.", valueName: "url"))
    var forwardSTOW: [String] = []

    @OptionGroup var encryption: RecipientOptions

    @OptionGroup(title: "Profile options") var profile: ProfileOptions

    @OptionGroup(title: "Pixel data (--quarantine also takes every refused instance, default <spool>-quarantine)") var pixels: PixelOptions

    @Option(help: ArgumentHelp("Secret that keys the UID, pseudonym and date mappings (default: $XDG_CONFIG_HOME/dicom-deid/secret, created on first use).", valueName: "file"), completion: .file())
    var secret: String?

    @Option(help: ArgumentHelp("JSON-lines audit log, as dicom-deidentify's (default: <forward folder>-audit.jsonl). Its inputs are spool file names; the gateway log's \"stored\" lines tie each to its caller and address.", valueName: "file"), completion: .file())
    var auditLog: String?

    @Flag(help: "Write no audit log.")
    var noAuditLog = false

    @Option(help: "Maximum PDU length announced and taken, in bytes; a longer PDU aborts the association.")
    var maxPduLength: UInt32 = 65536

    @Option(help: ArgumentHelp("Largest instance taken, in MiB; a larger one aborts its association.", valueName: "MiB"))
    var maxInstanceSize = 1024

    @Option(help: "Associations at once; more are rejected (transient).")
    var maxAssociations = 32

    @Option(help: ArgumentHelp("Seconds an association may stay silent before it is aborted.", valueName: "seconds"))
    var idleTimeout = 120

    @Option(help: ArgumentHelp("ARTIM: seconds a connection may wait for its association request.", valueName: "seconds"))
    var artimTimeout = 30

    static func main() {
        let arguments = Array(CommandLine.arguments.dropFirst())
        if arguments.first == "status" { CommandRunner.main(GatewayStatusCommand.self, arguments: Array(arguments.dropFirst())) }
        CommandRunner.main(Self.self, arguments: expandingConfig(arguments))
    }

    /// The arguments with `--config FILE` replaced by what the file says, the other arguments after it (a list
    /// option adds to the file's, a single value replaces it). An error in the file, or an option of the file
    /// the command refuses, is one line naming the file and its key (exit 2).
    static func expandingConfig(_ arguments: [String]) -> [String] {
        guard let index = arguments.firstIndex(where: { $0 == "--config" || $0.hasPrefix("--config=") }) else { return arguments }
        let path: String
        var rest = arguments
        if arguments[index] == "--config" {
            guard index + 1 < arguments.count else { return arguments }   // ArgumentParser says the value is missing
            path = arguments[index + 1]
            rest.removeSubrange(index...(index + 1))
        } else {
            path = String(arguments[index].dropFirst("--config=".count))
            rest.remove(at: index)
        }
        let expansion: GatewayConfigFile.Expansion
        do { expansion = try GatewayConfigFile.load(path: path) } catch {
            Terminal.line("dicom-gateway: \(error)")
            Glibc.exit(ExitStatus.usage)
        }
        let expanded = expansion.arguments + rest
        // Parsed and checked here first, so that what the command refuses is said in the file's terms.
        do {
            let command = try Self.parseAsRoot(expanded)
            try (command as? any CheckedCommand)?.checkOptions()
        } catch {
            let message = (error as? ValidationError)?.message ?? Self.message(for: error)
            if let key = expansion.key(mentionedIn: message) {
                let line = message.split(separator: "\n").first.map(String.init) ?? message
                Terminal.line("dicom-gateway: \(path): key \(key): \(line)")
                Glibc.exit(ExitStatus.usage)
            }
        }
        return expanded
    }

    func checkOptions() throws {
        var pixelRules = pixels
        pixelRules.quarantine = nil   // the gateway's quarantine takes every refusal, with or without --clean-pixel-data
        try pixelRules.checkOptions()
        try profile.checkOptions()
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535") }
        guard !aeTitle.isEmpty, aeTitle.utf8.count <= 16 else { throw ValidationError("--ae-title must be 1 to 16 characters") }
        guard !allowed.isEmpty else { throw ValidationError("give at least one --allow calling AE title: unknown callers are rejected") }
        guard !encryption.certificates.isEmpty else { throw ValidationError("give at least one --recipient certificate") }
        if noAuditLog && auditLog != nil { throw ValidationError("--no-audit-log and --audit-log exclude each other") }
        guard maxPduLength >= 4096 else { throw ValidationError("--max-pdu-length must be at least 4096") }
        guard maxInstanceSize >= 1, maxAssociations >= 1, idleTimeout >= 1, artimTimeout >= 1 else {
            throw ValidationError("--max-instance-size, --max-associations, --idle-timeout and --artim-timeout must be at least 1")
        }
        for text in forwardSCP where ForwardingDestinations.storeDestination(text, callingAETitle: aeTitle) == nil {
            throw ValidationError("--forward-to-scp \(text): expected AE@host:port")
        }
        for text in forwardSTOW {
            do { _ = try HTTPEndpoint(text) } catch { throw ValidationError("--forward-to-stow \(error.reason)") }
        }
        for folder in [spool, quarantineFolder] where Paths.isInside(folder, folder: forwardFolder) || Paths.isInside(forwardFolder, folder: folder) {
            throw ValidationError("\(folder) and the forward folder must not be inside one another")
        }
    }

    private var quarantineFolder: String { pixels.quarantine ?? Self.trimmed(spool) + "-quarantine" }

    private static func trimmed(_ path: String) -> String {
        let standard = Paths.standardized(path)
        return standard.hasSuffix("/") && standard.count > 1 ? String(standard.dropLast()) : standard
    }

    func run() throws {
        try profile.checkCombination()
        let status = GatewayStatus(spool: Self.trimmed(spool), folder: Self.trimmed(forwardFolder), processID: getpid())
        let log = GatewayLog(observer: { status.observe($0) })
        let engine = try makeDeidentifier()
        let output = Self.trimmed(forwardFolder)
        do {
            try FileIO.makeDirectories(output)
            try FileIO.makeDirectories(quarantineFolder, mode: 0o700)
        } catch {
            throw CLIError("cannot create folder: \(error)")
        }
        try InterruptCleanup.removeStale(in: output)
        let audit = try openAuditLog(output)
        let wake = DispatchSemaphore(value: 0)
        let spoolFolder: Spool
        do { spoolFolder = try Spool(folder: Self.trimmed(spool), onStore: { wake.signal() }) } catch {
            throw CLIError("cannot create spool folder \(spool): \(error)")
        }
        let job = DeidentifyJob(deidentifier: engine.deidentifier, outputRoot: output, layout: .uids)
        let processor = SpoolProcessor(
            spool: spoolFolder,
            output: OutputSettings(root: output, whenTaken: .distinctInstance, isSameOutput: DeidentifyJob.isSameOutput),
            quarantine: quarantineFolder, job: job, audit: audit, beforeCommit: engine.beforeCommit, log: log,
            destinations: try destinations().map { Self.counting($0, in: status) },
            jobs: ProcessInfo.processInfo.activeProcessorCount)

        var service = SpoolService(spool: spoolFolder, log: log, implementation: .dicomDeid)
        var callers = Set<String>()
        for entry in allowed {
            let parts = entry.split(separator: "@", maxSplits: 1).map(String.init)
            callers.insert(parts[0])
            if parts.count == 2 { service.allowedAddresses[parts[0], default: []].insert(parts[1]) }
        }
        var acceptor = AcceptorConfiguration(aeTitle: aeTitle, implementation: .dicomDeid,
                                             transferSyntaxes: Self.acceptedTransferSyntaxes,
                                             acceptsSOPClass: Self.isStorageSOPClass)
        acceptor.allowedCallers = callers
        acceptor.maxPDULength = maxPduLength
        acceptor.maxInstanceSize = maxInstanceSize << 20
        acceptor.maxAssociations = maxAssociations
        acceptor.idleTimeout = .seconds(idleTimeout)
        acceptor.artimTimeout = .seconds(artimTimeout)

        let server = try Self.wait { [host, port, service, acceptor] in
            try await StorageServer.start(host: host, port: port, configuration: acceptor, service: service)
        }
        let stopping = Atomic<Bool>(false)
        let signals = Self.onTermination {
            stopping.store(true, ordering: .sequentiallyConsistent)
            wake.signal()
        }
        log.write("listening", [("ae-title", aeTitle), ("address", "\(host):\(server.port)"), ("spool", spoolFolder.folder),
                                ("forward-to-folder", output), ("quarantine", quarantineFolder), ("version", Toolkit.version)])
        // Instances left by an earlier run go first; then whatever arrives.
        while !stopping.load(ordering: .sequentiallyConsistent) {
            // The status file follows between batches (at most once a second), also through a long backlog.
            processor.processPending {
                writeStatus(status, log: log)
                return stopping.load(ordering: .sequentiallyConsistent)
            }
            _ = wake.wait(timeout: .now() + 1)
            writeStatus(status, log: log)
        }
        log.write("stopping", [("open-associations", String(server.openAssociations))])
        let waiting = Set(spoolFolder.pending())
        try? Self.wait { await server.stop(grace: .seconds(5)) }
        // Instances acknowledged during the grace period are processed now; those waiting before the stop (a
        // backlog of any size) stay in the spool for the next start, so that stopping stays prompt.
        let handled = processor.processPending(skipping: waiting)
        writeStatus(status, log: log, running: false)
        FileIO.closeTemporaries()
        InterruptCleanup.finish(in: output)
        if let audit { try? audit.sync() }
        log.write("stopped", [("processed-at-stop", String(handled)), ("left-in-spool", String(spoolFolder.pending().count))])
        withExtendedLifetime(signals) {}
    }

    /// Writes the status file when the counts changed (at most once a second: the loop's pace); a failure is
    /// logged, never fatal.
    private func writeStatus(_ status: GatewayStatus, log: GatewayLog, running: Bool = true) {
        do { try status.write(running: running) } catch {
            log.write("status-not-written", [("file", status.path), ("error", "\(error)")])
        }
    }

    /// `destination`, counting each try in `status` under its name.
    static func counting(_ destination: Destination, in status: GatewayStatus) -> Destination {
        Destination(name: destination.name) { path in
            let delivery = destination.send(path)
            status.destination(destination.name, delivered: delivery == .acknowledged)
            return delivery
        }
    }

    /// The C-STORE and STOW-RS destinations, in the order given (C-STORE first).
    private func destinations() throws -> [Destination] {
        let stores = forwardSCP.compactMap { ForwardingDestinations.storeDestination($0, callingAETitle: aeTitle) }.map(ForwardingDestinations.cStore)
        let services = try forwardSTOW.map { text in
            do { return ForwardingDestinations.stow(try HTTPEndpoint(text)) } catch { throw CLIError("--forward-to-stow \(error)") }
        }
        return stores + services
    }

    /// The transfer syntaxes taken: the native ones this toolkit's codec reads and writes, and the
    /// encapsulated ones its frame codecs decode (so that --clean-pixel-data can clean them).
    static let acceptedTransferSyntaxes: Set<String> =
        Set(TransferSyntax.native.map(\.uid)).union(PixelCodecs.registry.transferSyntaxUIDs)

    /// Storage SOP classes: registered UIDs under 1.2.840.10008.5.1.4.1.1 (PS3.4 B.5).
    static let isStorageSOPClass: @Sendable (String) -> Bool = { uid in
        uid.hasPrefix("1.2.840.10008.5.1.4.1.1.") && UIDRegistry.name(for: uid) != nil
    }

    /// The de-identifier as dicom-deidentify makes it from the same options, and what to make durable before
    /// each commit (new @integer numbers).
    private func makeDeidentifier() throws -> (deidentifier: Deidentifier, beforeCommit: (@Sendable () throws -> Void)?) {
        let certificates = try encryption.load()
        let secretPath = secret ?? SecretStore.defaultPath
        let secretBytes = try SecretStore.load(path: secret) { Terminal.line("note: \($0)") }
        let loaded = try profile.makeProfile(secret: profile.keyedHashes ? secretBytes : [], secretPath: secretPath)
        if let summary = loaded.profile?.comparison.summary {
            let source = profile.profile ?? profile.ctpScript ?? profile.privateDispositions.joined(separator: ", ")
            Terminal.line("warning: \(source): \(summary)")
        }
        let settings = DeidentificationSettings(
            policy: DeidentificationPolicy(options: loaded.profile?.options ?? Set(profile.options), profile: loaded.profile,
                                           allowRepeat: false,
                                           cleanPixelData: try pixels.settings(registry: PixelCodecs.registry)),
            keys: MappingKeys(secret: secretBytes, patientLookup: nil),
            recipients: encryption.recipients(certificates))
        var beforeCommit: (@Sendable () throws -> Void)?
        if let integers = loaded.integers { beforeCommit = { try integers.makeDurable() } }
        return (Deidentifier(settings: settings), beforeCommit)
    }

    private func openAuditLog(_ output: String) throws -> AuditLog? {
        if noAuditLog { return nil }
        let path = auditLog ?? output + "-audit.jsonl"
        if Paths.isInside(path, folder: output) {
            throw CLIError("the audit log must not be inside the forward folder: it names spool files")
        }
        return try AuditLog(path: path, template: DeidentificationRecord())
    }

    /// Runs async work from this synchronous command and waits for it; its error as a ``CLIError``.
    private static func wait<T: Sendable>(_ work: @escaping @Sendable () async throws -> T) throws -> T {
        do { return try ForwardingDestinations.wait(work) } catch { throw CLIError("\(error)") }
    }

    /// Calls `handler` on SIGTERM and SIGINT (once each); returns the sources, to be kept alive.
    private static func onTermination(_ handler: @escaping @Sendable () -> Void) -> [any DispatchSourceSignal] {
        [SIGTERM, SIGINT].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler(handler: handler)
            source.resume()
            return source
        }
    }
}
