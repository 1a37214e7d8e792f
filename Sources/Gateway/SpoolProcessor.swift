#if canImport(Glibc)
import Glibc
#endif
import FileSystem
import Jobs
import Synchronization

/// De-identifies spooled instances one at a time with `dicom-deidentify`'s per-file job and committer, into the
/// forward folder. An instance leaves the spool only once its output is in place and flushed; a refused one
/// (bad data, a pixel fail-safe refusal, a CTP `@skip`) moves to the quarantine folder, its reason in the log;
/// one whose output could not be placed (a full disk) stays and is tried again later.
package final class SpoolProcessor: Sendable {
    private let spool: Spool
    private let output: OutputSettings
    private let quarantine: String
    private let job: DeidentifyJob
    private let audit: AuditLog?
    private let beforeCommit: (@Sendable () throws -> Void)?
    private let log: GatewayLog
    /// Sends a placed output (its path) to the C-STORE destination, when there is one; throws when it did not
    /// take it (the instance stays in the spool and is sent again later: its output is then already in place).
    private let forward: (@Sendable (String) throws -> Void)?
    /// Instances whose output could not be placed, with the time they may be tried again.
    private let retryAfter = Mutex<[String: (at: ContinuousClock.Instant, delay: Duration)]>([:])

    package init(spool: Spool, output: OutputSettings, quarantine: String, job: DeidentifyJob, audit: AuditLog?,
                 beforeCommit: (@Sendable () throws -> Void)?, log: GatewayLog, forward: (@Sendable (String) throws -> Void)? = nil) {
        self.spool = spool
        self.output = output
        self.quarantine = quarantine
        self.job = job
        self.audit = audit
        self.beforeCommit = beforeCommit
        self.log = log
        self.forward = forward
    }

    /// What became of one spooled instance.
    package enum Result: Sendable, Equatable {
        case forwarded
        case quarantined(String)
        /// Left in the spool for a later try.
        case deferred
    }

    /// Processes what the spool holds now (oldest first) until it is empty or `shouldStop` says so; returns how
    /// many instances were handled (forwarded or quarantined).
    @discardableResult
    package func processPending(shouldStop: () -> Bool = { false }) -> Int {
        var handled = 0
        let now = ContinuousClock.now
        for path in spool.pending() {
            if shouldStop() { break }
            if let wait = retryAfter.withLock({ $0[path] }), wait.at > now { continue }
            if process(path) != .deferred { handled += 1 }
        }
        return handled
    }

    /// De-identifies one spooled file and forwards or quarantines it.
    package func process(_ path: String) -> Result {
        let name = Paths.lastComponent(path)
        let input = InputScanner.Input(path: path, relativePath: name)
        let outcome = job.run(input)
        let reporter = CollectingReporter()
        let processor = BatchProcessor(inputs: [input], jobs: 1, output: output, audit: audit, reporter: reporter,
                                       beforeCommit: beforeCommit)
        let summary = processor.run({ _ in outcome }, policy: job.commitPolicy)
        if summary.written == 1 || summary.alreadyDone == 1 {
            if let forward {
                do {
                    // Placed under the job's name unless the committer had to make a distinct instance (the same
                    // SOP Instance UID with other content): that output is not located here.
                    guard case .written(let written) = outcome, !reporter.madeDistinctInstance,
                          FileIO.exists(output.root + "/" + written.name) else {
                        // Quarantined for review rather than retried: it would never be located.
                        let reason = "an earlier, different instance had the same SOP Instance UID: written to the folder with a distinct new UID, not sent by C-STORE"
                        guard let moved = moveToQuarantine(path, reason: reason) else { return .deferred }
                        log.write("quarantined", [("spool", name), ("reason", reason), ("quarantine", moved)])
                        return .quarantined(moved)
                    }
                    try forward(output.root + "/" + written.name)
                    log.write("sent", [("spool", name), ("output", written.name)])
                } catch {
                    return postpone(path, name: name, reason: "C-STORE to the destination failed: \(error)")
                }
            }
            unlink(path)
            retryAfter.withLock { _ = $0.removeValue(forKey: path) }
            log.write("forwarded", [("spool", name), ("folder", output.root)] + (summary.alreadyDone == 1 ? [("note", "already there, same output")] : []))
            return .forwarded
        }
        let reason = reporter.reason ?? "not written"
        if case .written = outcome {
            // The output could not be placed (disk full, permissions): keep the instance, try again later.
            return postpone(path, name: name, reason: reason)
        }
        guard let moved = moveToQuarantine(path, reason: reason) else {
            retryAfter.withLock { $0[path] = (ContinuousClock.now + .seconds(300), .seconds(300)) }
            return .deferred
        }
        log.write("quarantined", [("spool", name), ("reason", reason), ("quarantine", moved)])
        return .quarantined(moved)
    }

    /// Leaves the instance in the spool, to be tried again after a delay doubling from 2 s to 300 s.
    private func postpone(_ path: String, name: String, reason: String) -> Result {
        let delay = retryAfter.withLock { state -> Duration in
            let next = min((state[path]?.delay ?? .seconds(1)) * 2, .seconds(300))
            state[path] = (ContinuousClock.now + next, next)
            return next
        }
        log.write("deferred", [("spool", name), ("reason", reason), ("retry-in", "\(delay)")])
        return .deferred
    }

    /// Moves the spooled file into the quarantine folder (a rename when on one file system, else a durable copy
    /// then removal); returns where it went, or nil when it could not (logged; it stays in the spool).
    private func moveToQuarantine(_ path: String, reason: String) -> String? {
        let destination = quarantine + "/" + Paths.lastComponent(path)
        do {
            var copied = false
            do {
                try FileIO.commit(temporary: path, to: destination, overwrite: false)
            } catch where error.code != .exists {
                let bytes = try FileIO.readAll(path: path)
                try FileIO.writeAtomically(bytes, to: destination, overwrite: false, mode: 0o600, prefix: ".dicom-gateway-quarantine-")
                copied = true
            }
            try FileIO.syncDirectory(quarantine)
            // The spooled copy goes only once the quarantined one is on disk: a crash in between leaves two, never none.
            if copied { unlink(path) }
            return destination
        } catch {
            log.write("quarantine-failed", [("spool", Paths.lastComponent(path)), ("reason", reason),
                                            ("error", "\(error)"), ("note", "left in the spool, tried again in 300 s")])
            return nil
        }
    }
}

/// Keeps what the committer reports about the one input of a gateway batch.
private final class CollectingReporter: BatchReporter {
    private let state = Mutex<(reason: String?, distinct: Bool)>((nil, false))

    /// The last error or skip reason reported.
    var reason: String? { state.withLock { $0.reason } }
    /// Whether the committer placed the output under a distinct new SOP Instance UID (not under its planned
    /// name): what its warning says (OutputCommitter's "written with a distinct new SOP Instance UID").
    var madeDistinctInstance: Bool { state.withLock { $0.distinct } }

    func report(_ event: BatchEvent, input: String) {
        switch event {
        case .error(let text), .skipped(let text): state.withLock { $0.reason = text }
        case .warning(let text): if text.contains("distinct new SOP Instance UID") { state.withLock { $0.distinct = true } }
        case .checked: break
        }
    }
}
