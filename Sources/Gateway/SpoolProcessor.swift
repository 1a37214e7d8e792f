#if canImport(Glibc)
import Glibc
#endif
import AuditRecords
import DICOMCodec
import DICOMCore
import FileSystem
import Jobs
import Synchronization

/// De-identifies spooled instances in parallel batches with `dicom-deidentify`'s per-file job and batch committer,
/// into the forward folder, then sends each output to every destination, in spool order. An instance leaves the spool only once its
/// output is in place and flushed and every destination acknowledged it. A refused one (bad data, a pixel
/// fail-safe refusal, a CTP `@skip`, a destination that will never take it) moves to the quarantine folder, its
/// reason in the log. One whose output could not be placed (a full disk), or that a destination did not take
/// for now, stays and is tried again later, with a backoff per destination. Per destination, the instances of
/// one study go in the order received: one waiting for a destination holds back the later ones of its study.
package final class SpoolProcessor: Sendable {
    private let spool: Spool
    private let output: OutputSettings
    private let quarantine: String
    private let job: DeidentifyJob
    private let audit: AuditLog?
    private let beforeCommit: (@Sendable () throws -> Void)?
    private let log: GatewayLog
    private let destinations: [Destination]
    /// Where each instance in the spool stands, once it was tried (this process's memory: after a restart an
    /// instance is sent again to every destination, which is safe, see ``Destination``).
    private let progress = Mutex<[String: Progress]>([:])
    /// Per destination (index), when it may be tried again after it did not take an instance for now: a down
    /// destination is tried once per backoff, not once per waiting instance (each try may cost a connect
    /// timeout). Reset when it acknowledges.
    private let destinationRetries = Mutex<[Int: Backoff]>([:])
    /// De-identification jobs run at once.
    private let jobs: Int

    package init(spool: Spool, output: OutputSettings, quarantine: String, job: DeidentifyJob, audit: AuditLog?,
                 beforeCommit: (@Sendable () throws -> Void)?, log: GatewayLog, destinations: [Destination] = [],
                 jobs: Int = 1) {
        self.jobs = max(1, jobs)
        self.spool = spool
        self.output = output
        self.quarantine = quarantine
        self.job = job
        self.audit = audit
        self.beforeCommit = beforeCommit
        self.log = log
        self.destinations = destinations
    }

    /// What became of one spooled instance.
    package enum Result: Sendable, Equatable {
        case forwarded
        case quarantined(String)
        /// Left in the spool for a later try.
        case deferred
    }

    /// One spooled instance's state between tries.
    private struct Progress: Sendable {
        /// Its de-identified output, relative to the folder (`<study>/<series>/<instance>.dcm`), once placed.
        var output: String?
        /// When the instance may be tried again after a failure of its own (its output could not be placed, or it
        /// could not be moved to quarantine).
        var folderRetry: Backoff?
        /// Whether, while it waits with no output, it holds back every later send (its study is unknown); not when
        /// it is a refused instance waiting for the quarantine, which will never be sent.
        var holdsOthers = true
        /// The destinations (indices) that acknowledged it.
        var acknowledged: Set<Int> = []
        /// When each destination that did not take it may be tried again.
        var retries: [Int: Backoff] = [:]
    }

    /// A time to try again, and the delay that led to it (doubling from 2 s to 300 s).
    private struct Backoff: Sendable {
        var at: ContinuousClock.Instant
        var delay: Duration

        static func after(_ previous: Backoff?) -> Backoff {
            let delay = min((previous?.delay ?? .seconds(1)) * 2, .seconds(300))
            return Backoff(at: .now + delay, delay: delay)
        }
    }

    /// Per-study order within one pass over the spool (oldest first): the (destination, study) pairs that must
    /// wait because an earlier instance of the study has not reached that destination yet.
    private struct Ordering {
        var waiting: Set<String> = []
        /// An earlier instance is not de-identified yet, so its study is unknown: every send waits.
        var everything = false

        func mustWait(_ destination: Int, _ study: String) -> Bool { everything || waiting.contains("\(destination) \(study)") }
        mutating func hold(_ destination: Int, _ study: String) { waiting.insert("\(destination) \(study)") }
    }

    /// Processes what the spool holds now (oldest first) until it is empty or `shouldStop` says so; returns how
    /// many instances were handled (forwarded or quarantined). Instances in `skipping` are left as they are, but
    /// still hold back the later instances of their study. Instances are taken in batches
    /// (``batchSize(waiting:)``): those not de-identified yet are de-identified in parallel and committed as `dicom-deidentify` commits (one
    /// flush per group of outputs), then each of the batch is sent or quarantined in spool order.
    @discardableResult
    package func processPending(skipping: Set<String> = [], shouldStop: () -> Bool = { false }) -> Int {
        var handled = 0
        var ordering = Ordering()
        let pending = spool.pending()
        var start = 0
        while start < pending.count, !shouldStop() {
            let batch = pending[start..<min(start + Self.batchSize(waiting: pending.count - start), pending.count)]
            start += batch.count
            let placements = deidentify(batch.filter { !skipping.contains($0) && needsPlacing($0) })
            for path in batch {
                // Sends may wait on the network: a stop is noticed between instances.
                if shouldStop() { break }
                if skipping.contains(path) {
                    hold(path, &ordering)
                    continue
                }
                if process(path, placement: placements[path], &ordering) != .deferred { handled += 1 }
            }
        }
        return handled
    }

    /// Instances taken at once, out of `waiting`: enough to keep every job busy and share the flushes (each batch
    /// ends with one syncfs, which waits for every writer of the file system), few enough that a stop waits for
    /// little (it is noticed between instances, but a batch is de-identified whole first): 16, and up to 256 out
    /// of a backlog.
    static func batchSize(waiting: Int) -> Int { min(256, max(16, waiting / 4)) }

    /// Whether `path` is to be de-identified now: its output is not placed yet and no wait for the folder is due.
    private func needsPlacing(_ path: String) -> Bool {
        guard let state = progress.withLock({ $0[path] }) else { return true }
        return state.output == nil && (state.folderRetry.map { $0.at <= .now } ?? true)
    }

    /// Makes the later instances of `path`'s study wait for every destination `path` has not reached.
    private func hold(_ path: String, _ ordering: inout Ordering) {
        guard !destinations.isEmpty else { return }
        guard let state = progress.withLock({ $0[path] }) else {
            ordering.everything = true
            return
        }
        hold(state, &ordering)
    }

    private func hold(_ state: Progress, _ ordering: inout Ordering) {
        guard let placed = state.output else {
            if state.holdsOthers { ordering.everything = true }
            return
        }
        for index in destinations.indices where !state.acknowledged.contains(index) { ordering.hold(index, Self.study(placed)) }
    }

    /// Takes what de-identification did with one spooled file (`placement`, nil when it was not tried now),
    /// sends its output to the destinations it has not reached, and removes it from the spool once all took it
    /// (or quarantines it).
    private func process(_ path: String, placement: Placement?, _ ordering: inout Ordering) -> Result {
        let name = Paths.lastComponent(path)
        var state = progress.withLock { $0[path] } ?? Progress()
        if let wait = state.folderRetry, wait.at > .now {
            hold(state, &ordering)
            return .deferred
        }
        if state.output == nil {
            guard let placement else {
                hold(state, &ordering)
                return .deferred
            }
            switch placement {
            case .placed(let placed):
                state.output = placed
                state.folderRetry = nil
            case .postponed(let reason, let retryable):
                state.folderRetry = retryable ? Backoff.after(state.folderRetry) : Backoff(at: .now + .seconds(300), delay: .seconds(300))
                state.holdsOthers = retryable
                progress.withLock { $0[path] = state }
                if retryable { log.write("deferred", [("spool", name), ("reason", reason), ("retry-in", "\(state.folderRetry?.delay ?? .zero)")]) }
                hold(state, &ordering)
                return .deferred
            case .quarantined(let moved):
                return .quarantined(moved)
            }
        }
        guard let placed = state.output else { return .deferred }
        let study = Self.study(placed)
        for (index, destination) in destinations.enumerated() where !state.acknowledged.contains(index) {
            if ordering.mustWait(index, study) { continue }
            if let wait = destinationRetries.withLock({ $0[index] }), wait.at > .now {
                ordering.hold(index, study)
                continue
            }
            if let wait = state.retries[index], wait.at > .now {
                ordering.hold(index, study)
                continue
            }
            switch destination.send(output.root + "/" + placed) {
            case .acknowledged:
                state.acknowledged.insert(index)
                state.retries[index] = nil
                destinationRetries.withLock { $0[index] = nil }
                log.write("sent", [("spool", name), ("output", placed), ("destination", destination.name)])
            case .retry(let reason):
                state.retries[index] = Backoff.after(state.retries[index])
                let backoff = destinationRetries.withLock { retries -> Backoff in
                    let next = Backoff.after(retries[index])
                    retries[index] = next
                    return next
                }
                ordering.hold(index, study)
                log.write("deferred", [("spool", name), ("destination", destination.name), ("reason", reason), ("retry-in", "\(backoff.delay)")])
            case .refused(let reason):
                let because = "\(destination.name) refused it for good: \(reason)"
                guard let moved = moveToQuarantine(path, reason: because) else {
                    state.folderRetry = Backoff(at: .now + .seconds(300), delay: .seconds(300))
                    progress.withLock { $0[path] = state }
                    ordering.hold(index, study)
                    return .deferred
                }
                progress.withLock { _ = $0.removeValue(forKey: path) }
                log.write("quarantined", [("spool", name), ("reason", because), ("quarantine", moved),
                                          ("sent-to", state.acknowledged.sorted().map { destinations[$0].name }.joined(separator: ", "))])
                return .quarantined(moved)
            }
        }
        guard state.acknowledged.count == destinations.count else {
            progress.withLock { $0[path] = state }
            return .deferred
        }
        unlink(path)
        progress.withLock { _ = $0.removeValue(forKey: path) }
        log.write("forwarded", [("spool", name), ("folder", output.root), ("destinations", String(destinations.count))])
        return .forwarded
    }

    /// What the folder step did with a spooled instance.
    private enum Placement {
        /// Its output is in the folder (written now or already there, the same), at this relative path.
        case placed(String)
        /// It stays in the spool: the output could not be placed (`retryable`), or the instance could not be
        /// moved to quarantine (tried again in 300 s).
        case postponed(String, retryable: Bool)
        case quarantined(String)
    }

    /// De-identifies spooled files into the folder, in parallel, through `dicom-deidentify`'s job and batch
    /// committer; returns what became of each.
    private func deidentify(_ paths: [String]) -> [String: Placement] {
        guard !paths.isEmpty else { return [:] }
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
        var placements: [String: Placement] = [:]
        for path in paths {
            placements[path] = placement(path, outcome: outcomes.withLock { $0[path] } ?? .skipped(reason: "not processed"),
                                         report: reporter.report(for: path))
        }
        return placements
    }

    /// What the committer's handling of one spooled file's outcome means for it.
    private func placement(_ path: String, outcome: FileOutcome, report: CollectingReporter.Report) -> Placement {
        let name = Paths.lastComponent(path)
        if case .written(let written) = outcome, report.reason == nil {
            // Placed under the job's name unless the committer had to make a distinct instance (the same SOP
            // Instance UID with other content): that output is not located here, so it cannot be sent.
            if !destinations.isEmpty, report.madeDistinctInstance || !FileIO.exists(output.root + "/" + written.name) {
                let reason = "an earlier, different instance had the same SOP Instance UID: written to the folder with a distinct new UID, not sent to the destinations"
                guard let moved = moveToQuarantine(path, reason: reason) else { return .postponed(reason, retryable: false) }
                log.write("quarantined", [("spool", name), ("reason", reason), ("quarantine", moved)])
                return .quarantined(moved)
            }
            if report.alreadyDone {
                log.write("already-placed", [("spool", name), ("output", written.name), ("note", "already there, same output")])
            } else {
                log.write("placed", [("spool", name), ("output", written.name)])
            }
            return .placed(written.name)
        }
        let reason = report.reason ?? "not written"
        if case .written = outcome {
            // The output could not be placed (disk full, permissions): keep the instance, try again later.
            return .postponed(reason, retryable: true)
        }
        guard let moved = moveToQuarantine(path, reason: reason) else { return .postponed(reason, retryable: false) }
        log.write("quarantined", [("spool", name), ("reason", reason), ("quarantine", moved)])
        return .quarantined(moved)
    }

    /// The study folder of an output path in the `.uids` layout (`<study>/<series>/<instance>.dcm`).
    private static func study(_ placed: String) -> String { String(placed.prefix { $0 != "/" }) }

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
