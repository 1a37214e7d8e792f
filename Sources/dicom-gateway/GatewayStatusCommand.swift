import ArgumentParser
import CLISupport
import FileSystem
import Foundation
import Gateway

/// `dicom-gateway status --spool DIR`: what a gateway using that spool has done since it started (the status
/// file it keeps there) and what waits now, in the spool and in quarantine. Counts and names, never a value.
struct GatewayStatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show a gateway's counts: received, processed, forwarded, quarantined, failed, per destination.",
        discussion: """
        Reads <spool>/.status.json, which the gateway rewrites at most once a second while the counts change, \
        and counts the instances waiting in the spool and in the quarantine folder. The counts start at 0 \
        when the gateway starts. --json prints the status file as it is, with "waiting" and "inQuarantine" \
        added.

        Exit status: 0 shown; 2 no status file (no gateway ran with this spool) or a bad option.
        """)

    @Option(help: ArgumentHelp("The gateway's spool folder.", valueName: "dir"), completion: .directory)
    var spool: String

    @Option(help: ArgumentHelp("Its quarantine folder (default: <spool>-quarantine).", valueName: "dir"), completion: .directory)
    var quarantine: String?

    @Flag(help: "One JSON object instead of the table.")
    var json = false

    func run() throws {
        let folder = spool.count > 1 && spool.hasSuffix("/") ? String(spool.dropLast()) : spool
        let path = folder + "/" + GatewayStatus.fileName
        guard let bytes = try? FileIO.readAll(path: path, limit: 1 << 20) else {
            throw CLIError("\(path): no status file (has a gateway run with --spool \(spool)?)")
        }
        let file: StatusFile
        do { file = try JSONDecoder().decode(StatusFile.self, from: Data(bytes)) } catch {
            throw CLIError("\(path): not a status file")
        }
        let waiting = Self.instances(in: folder)
        let inQuarantine = Self.instances(in: quarantine ?? folder + "-quarantine")
        // A gateway killed without its last write still says "running": say whether its process is there.
        let state = file.state == "running" && kill(file.processID, 0) != 0 && errno == ESRCH ? "gone (killed?)" : file.state
        if json {
            var text = String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            text.removeLast()
            print(text + ",\"waiting\":\(waiting),\"inQuarantine\":\(inQuarantine)}")
            return
        }
        print("state        \(state) (process \(file.processID), started \(file.started), updated \(file.updated))")
        print("received     \(file.received)")
        print("refused      \(file.refused)")
        print("processed    \(file.processed)")
        print("forwarded    \(file.forwarded)")
        print("quarantined  \(file.quarantined)")
        print("failed       \(file.failed)")
        print("waiting      \(waiting) in the spool, \(inQuarantine) in quarantine")
        let names = Set(file.deliveredTo.keys).union(file.refusedBy.keys).sorted()
        if !names.isEmpty {
            print("destinations")
            for name in names {
                print("  \(name): \(file.deliveredTo[name] ?? 0) delivered, \(file.refusedBy[name] ?? 0) refused")
            }
        }
    }

    /// The instances (`.dcm` files) directly in `folder`; 0 when it does not exist.
    static func instances(in folder: String) -> Int {
        DirectoryWalker(root: folder).files.filter { !$0.contains("/") && $0.hasSuffix(".dcm") }.count
    }
}
