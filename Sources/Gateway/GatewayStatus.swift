import AuditRecords
import FileSystem
import Synchronization

/// The gateway's counts since it started (received, processed, forwarded, quarantined, failed, per destination),
/// written to `<spool>/.status.json` for `dicom-gateway status`: a file rather than an HTTP endpoint, so there is
/// no socket to secure, it reads the same whether the gateway runs or not, and it holds only counts and names
/// of destinations, never a value of an instance.
package final class GatewayStatus: Sendable {
    /// The counts, as ``StatusFile`` writes them.
    package struct Counts: Sendable, Equatable {
        /// Instances acknowledged (spooled, then answered success).
        package var received = 0
        /// C-STOREs answered with a failure status (unreadable data set, spool write failed).
        package var refused = 0
        /// Instances whose de-identified output was placed in the forward folder.
        package var processed = 0
        /// Instances that left the spool: every destination took them.
        package var forwarded = 0
        package var quarantined = 0
        /// Tries that failed and left the instance in the spool for a later one (output not placed, destination down).
        package var failed = 0
        /// Per destination (`folder DIR`, `scp AE@host:port`): instances it took.
        package var deliveredTo: [String: Int] = [:]
        /// Per destination: tries it did not take (down, refused).
        package var refusedBy: [String: Int] = [:]

        package init() {}
    }

    /// Where the counts are written.
    package let path: String
    private let state = Mutex<(counts: Counts, changed: Bool, written: ContinuousClock.Instant?)>((Counts(), true, nil))
    private let started = AuditTime.now()
    private let processID: Int32

    /// The name of the forward folder among the destinations.
    private let folderName: String

    /// The status file in `spool`; `folder` is the forward folder.
    package init(spool: String, folder: String, processID: Int32) {
        path = spool + "/" + Self.fileName
        folderName = "folder " + folder
        self.processID = processID
    }

    /// The file's name in the spool (hidden: the spool's listing skips it).
    package static let fileName = ".status.json"

    /// Changes the counts.
    package func update(_ change: (inout Counts) -> Void) {
        state.withLock {
            change(&$0.counts)
            $0.changed = true
        }
    }

    /// Counts what a log event says happened (``GatewayLog``'s observer): `stored`, `store-refused`, `placed`,
    /// `forwarded`, `quarantined`, `deferred`. The forward folder is a destination: what is placed there is
    /// delivered to it.
    package func observe(_ event: String) {
        switch event {
        case "stored": update { $0.received += 1 }
        case "store-refused": update { $0.refused += 1 }
        case "placed": update { $0.processed += 1; $0.deliveredTo[folderName, default: 0] += 1 }
        case "forwarded": update { $0.forwarded += 1 }
        case "quarantined": update { $0.quarantined += 1 }
        case "deferred": update { $0.failed += 1 }
        default: break
        }
    }

    /// Counts one try of `destination`.
    package func destination(_ name: String, delivered: Bool) {
        update {
            if delivered { $0.deliveredTo[name, default: 0] += 1 } else { $0.refusedBy[name, default: 0] += 1 }
        }
    }

    package var counts: Counts { state.withLock { $0.counts } }

    /// Writes the file when the counts changed and a second passed since the last write (atomically; not flushed:
    /// it is a view, and counts restart with the gateway). `running` false is the last write, at stop: always.
    package func write(running: Bool = true) throws {
        let now = ContinuousClock.now
        let due = state.withLock { s -> Counts? in
            guard !running || (s.changed && (s.written.map { now - $0 >= .seconds(1) } ?? true)) else { return nil }
            s.changed = false
            s.written = now
            return s.counts
        }
        guard let counts = due else { return }
        let file = StatusFile(state: running ? "running" : "stopped", processID: processID, started: started,
                              updated: AuditTime.now(), counts: counts)
        try FileIO.writeAtomically(Array(file.json().utf8), to: path, overwrite: true, mode: 0o600, prefix: Spool.temporaryPrefix + "status-")
    }
}

/// The content of the status file: who wrote it, when, and the counts (flat: the JSON keys are the field names).
package struct StatusFile: Sendable, Equatable, Codable {
    package var state: String
    package var processID: Int32
    package var started: String
    package var updated: String
    package var received: Int
    package var refused: Int
    package var processed: Int
    package var forwarded: Int
    package var quarantined: Int
    package var failed: Int
    package var deliveredTo: [String: Int]
    package var refusedBy: [String: Int]

    package init(state: String, processID: Int32, started: String, updated: String, counts: GatewayStatus.Counts) {
        self.state = state
        self.processID = processID
        self.started = started
        self.updated = updated
        received = counts.received
        refused = counts.refused
        processed = counts.processed
        forwarded = counts.forwarded
        quarantined = counts.quarantined
        failed = counts.failed
        deliveredTo = counts.deliveredTo
        refusedBy = counts.refusedBy
    }

    /// One JSON object on one line, in the order of the fields.
    package func json() -> String {
        var line = JSONLine()
        line.add("state", state)
        line.add("processID", Int(processID))
        line.add("started", started)
        line.add("updated", updated)
        line.add("received", received)
        line.add("refused", refused)
        line.add("processed", processed)
        line.add("forwarded", forwarded)
        line.add("quarantined", quarantined)
        line.add("failed", failed)
        line.add("deliveredTo", deliveredTo)
        line.add("refusedBy", refusedBy)
        return line.line
    }
}
