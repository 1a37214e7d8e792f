#if canImport(Glibc)
import Glibc
#endif
import FileSystem
import Jobs
import Synchronization

/// De-identifies spooled instances one at a time with `dicom-deidentify`'s per-file job and committer, into the
/// forward folder, then sends each output to every destination. An instance leaves the spool only once its
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

    package init(spool: Spool, output: OutputSettings, quarantine: String, job: DeidentifyJob, audit: AuditLog?,
                 beforeCommit: (@Sendable () throws -> Void)?, log: GatewayLog, destinations: [Destination] = []) {
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
    /// still hold back the later instances of their study.
    @discardableResult
    package func processPending(skipping: Set<String> = [], shouldStop: () -> Bool = { false }) -> Int {
        var handled = 0
        var ordering = Ordering()
        for path in spool.pending() {
            if shouldStop() { break }
            if skipping.contains(path) {
                hold(path, &ordering)
                continue
            }
            if process(path, &ordering) != .deferred { handled += 1 }
        }
        return handled
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

    /// De-identifies one spooled file if not done yet, sends it to the destinations it has not reached, and
    /// removes it from the spool once all took it (or quarantines it).
    private func process(_ path: String, _ ordering: inout Ordering) -> Result {
        let name = Paths.lastComponent(path)
        var state = progress.withLock { $0[path] } ?? Progress()
        if let wait = state.folderRetry, wait.at > .now {
            hold(state, &ordering)
            return .deferred
        }
        if state.output == nil {
            switch deidentify(path, name: name) {
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
            if let wait = state.retries[index], wait.at > .now {
                ordering.hold(index, study)
                continue
            }
            switch destination.send(output.root + "/" + placed) {
            case .acknowledged:
                state.acknowledged.insert(index)
                state.retries[index] = nil
                log.write("sent", [("spool", name), ("output", placed), ("destination", destination.name)])
            case .retry(let reason):
                let backoff = Backoff.after(state.retries[index])
                state.retries[index] = backoff
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

    /// De-identifies one spooled file into the folder, through `dicom-deidentify`'s job and committer.
    private func deidentify(_ path: String, name: String) -> Placement {
        let input = InputScanner.Input(path: path, relativePath: name)
        let outcome = job.run(input)
        let reporter = CollectingReporter()
        let processor = BatchProcessor(inputs: [input], jobs: 1, output: output, audit: audit, reporter: reporter,
                                       beforeCommit: beforeCommit)
        let summary = processor.run({ _ in outcome }, policy: job.commitPolicy)
        if summary.written == 1 || summary.alreadyDone == 1 {
            guard case .written(let written) = outcome else { return .postponed("no output", retryable: true) }
            // Placed under the job's name unless the committer had to make a distinct instance (the same SOP
            // Instance UID with other content): that output is not located here, so it cannot be sent.
            if !destinations.isEmpty, reporter.madeDistinctInstance || !FileIO.exists(output.root + "/" + written.name) {
                let reason = "an earlier, different instance had the same SOP Instance UID: written to the folder with a distinct new UID, not sent to the destinations"
                guard let moved = moveToQuarantine(path, reason: reason) else { return .postponed(reason, retryable: false) }
                log.write("quarantined", [("spool", name), ("reason", reason), ("quarantine", moved)])
                return .quarantined(moved)
            }
            if summary.alreadyDone == 1 { log.write("placed", [("spool", name), ("output", written.name), ("note", "already there, same output")]) }
            return .placed(written.name)
        }
        let reason = reporter.reason ?? "not written"
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
