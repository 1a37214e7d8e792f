#if canImport(Glibc)
import Glibc
#endif
import AuditRecords
import DICOMCodec
import DICOMCore
import FileSystem
import Jobs
import Synchronization

/// De-identifies spooled instances with `dicom-deidentify`'s per-file job and batch committer, into the forward
/// folder. An instance leaves the spool only once its output is in place and flushed; a refused one
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
    /// De-identification jobs run at once.
    private let jobs: Int
    /// Instances whose output could not be placed, with the time they may be tried again.
    private let retryAfter = Mutex<[String: (at: ContinuousClock.Instant, delay: Duration)]>([:])

    package init(spool: Spool, output: OutputSettings, quarantine: String, job: DeidentifyJob, audit: AuditLog?,
                 beforeCommit: (@Sendable () throws -> Void)?, log: GatewayLog, forward: (@Sendable (String) throws -> Void)? = nil,
                 jobs: Int = 1) {
        self.jobs = max(1, jobs)
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
    /// many instances were handled (forwarded or quarantined). Instances are taken in batches
    /// (``batchSize(waiting:)``): de-identified in parallel and committed as `dicom-deidentify` commits (one flush per group
    /// of outputs), then forwarded or quarantined one by one in spool order.
    @discardableResult
    package func processPending(shouldStop: () -> Bool = { false }) -> Int {
        var handled = 0
        let now = ContinuousClock.now
        let due = spool.pending().filter { path in retryAfter.withLock { $0[path] }.map { $0.at <= now } ?? true }
        var start = 0
        while start < due.count, !shouldStop() {
            let batch = Array(due[start..<min(start + Self.batchSize(waiting: due.count - start), due.count)])
            handled += process(batch).filter { $0 != .deferred }.count
            start += batch.count
        }
        return handled
    }

    /// Instances taken at once, out of `waiting`: enough to keep every job busy and share the flushes (each batch
    /// ends with one syncfs, which waits for every writer of the file system), few enough that a stop waits for
    /// little (it is noticed between batches): 16, and up to 256 out of a backlog.
    static func batchSize(waiting: Int) -> Int { min(256, max(16, waiting / 4)) }

    /// De-identifies one spooled file and forwards or quarantines it.
    package func process(_ path: String) -> Result { process([path])[0] }

    /// De-identifies spooled files with `dicom-deidentify`'s per-file job and batch committer, then forwards or
    /// quarantines each, in the order given; returns what became of each.
    package func process(_ paths: [String]) -> [Result] {
        let inputs = paths.map { InputScanner.Input(path: $0, relativePath: Paths.lastComponent($0)) }
        let outcomes = Mutex<[String: FileOutcome]>([:])
        let reporter = CollectingReporter()
        let processor = BatchProcessor(inputs: inputs, jobs: min(jobs, inputs.count), output: output, audit: audit,
                                       reporter: reporter, beforeCommit: beforeCommit)
        _ = processor.run({ [job] input in
            let outcome = Self.withCaller(job.run(input), spooled: input.path)
            outcomes.withLock { $0[input.path] = outcome }
            return outcome
        }, policy: job.commitPolicy)
        return paths.map { path in
            finish(path, outcome: outcomes.withLock { $0[path] } ?? .skipped(reason: "not processed"), report: reporter.report(for: path))
        }
    }

    /// Forwards or quarantines one spooled file once the committer has dealt with its outcome.
    private func finish(_ path: String, outcome: FileOutcome, report: CollectingReporter.Report) -> Result {
        let name = Paths.lastComponent(path)
        let placed: Bool
        if case .written = outcome, report.reason == nil, !report.alreadyDone { placed = true } else { placed = false }
        if placed { log.write("placed", [("spool", name), ("folder", output.root)]) }
        if placed || report.alreadyDone {
            if let forward {
                do {
                    // Placed under the job's name unless the committer had to make a distinct instance (the same
                    // SOP Instance UID with other content): that output is not located here.
                    guard case .written(let written) = outcome, !report.madeDistinctInstance,
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
            log.write("forwarded", [("spool", name), ("folder", output.root)] + (report.alreadyDone ? [("note", "already there, same output")] : []))
            return .forwarded
        }
        let reason = report.reason ?? "not written"
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

    /// The output's audit record with the caller's AE title and address, which the spool file's meta holds
    /// (Source Application Entity Title (0002,0016), Source Presentation Address (0002,0026)).
    static func withCaller(_ outcome: FileOutcome, spooled path: String) -> FileOutcome {
        guard case .written(var written) = outcome else { return outcome }
        var record = written.record as? DeidentificationRecord ?? DeidentificationRecord()
        if let prefix = try? FileIO.readPrefix(path: path, count: 64 << 10),
           let header = try? Part10Reader.readHeader(bytes: prefix, through: Tag(0x0002, 0xFFFF)) {
            record.caller = header.meta[Tag(0x0002, 0x0016)]?.string()
            record.callerAddress = header.meta[Tag(0x0002, 0x0026)]?.string()
        }
        written.record = record
        return .written(written)
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

/// Keeps what the committer reports about each input of a gateway batch.
private final class CollectingReporter: BatchReporter {
    /// What was reported about one input.
    struct Report {
        /// The last error or skip reason reported (nil when the output was placed, or was already there).
        var reason: String?
        /// The output was already in place, the same (a resent instance).
        var alreadyDone = false
        /// The committer placed the output under a distinct new SOP Instance UID (not under its planned name).
        var madeDistinctInstance = false
    }

    private let reports = Mutex<[String: Report]>([:])

    func report(for input: String) -> Report { reports.withLock { $0[input] ?? Report() } }

    func report(_ event: BatchEvent, input: String) {
        reports.withLock { reports in
            var report = reports[input] ?? Report()
            switch event {
            // OutputCommitter's words for an output already in place and the same, and for a distinct new instance.
            case .skipped(let text) where text.hasPrefix("already done:"): report.alreadyDone = true
            case .error(let text), .skipped(let text): report.reason = text
            case .warning(let text): if text.contains("distinct new SOP Instance UID") { report.madeDistinctInstance = true }
            case .checked: break
            }
            reports[input] = report
        }
    }
}
