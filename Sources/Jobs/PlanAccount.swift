import AuditRecords
import FileSystem

/// What the audit logs of a plan's parts say about its inputs: which a part has done (for resuming it) and,
/// merged, one record per planned input in plan order (for `--merge`).
///
/// A part's log is appended to by every run of the part, so an input may have several records:
/// - a failed record followed by a later one: the input was tried again (a rerun retries failures);
/// - a written record followed by "same output already written": a rerun made it again only so that its
///   identical copies are recognised (see ``remaining(of:in:)``).
/// Those earlier or repeated records are dropped; what is left must be exactly one record per input.
package enum PlanAccount {
    /// One record of a part's log: the three fields the account needs, and the line as the part wrote it (the
    /// merged log is those lines, so nothing is decoded and encoded again: at scale that was most of the merge).
    package struct LoggedRecord: Sendable, Equatable {
        package var input: String
        package var status: RecordStatus?
        package var reason: String?
        /// The JSON line, without its line feed.
        package var line: [UInt8]

        package init(input: String, status: RecordStatus?, reason: String?, line: [UInt8]) {
            self.input = input
            self.status = status
            self.reason = reason
            self.line = line
        }

        /// The records of a log's bytes, in order. A line that is not a record is left out, as
        /// ``AuditRecordReader`` leaves it out: the partial last line of a killed run, a blank line.
        package static func records(in bytes: [UInt8]) -> [LoggedRecord] {
            var records: [LoggedRecord] = []
            var start = 0
            while start < bytes.count {
                let end = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.count
                if end > start, let record = record(bytes, line: start..<end) { records.append(record) }
                start = end + 1
            }
            return records
        }

        /// The record on `bytes[line]`: the three fields read (`input` required, `status` and `reason` optional,
        /// as `JSONDecoder` would read them), the others skipped; nil when the line is not such a record.
        private static func record(_ bytes: [UInt8], line: Range<Int>) -> LoggedRecord? {
            var scanner = JSONScanner(bytes, range: line)
            var input: String?, status: RecordStatus?, reason: String?
            do throws(JSONScanner.Malformed) {
                try scanner.object { key, scanner throws(JSONScanner.Malformed) in
                    if key.isKey("input") { input = try scanner.string() }
                    else if key.isKey("status") {
                        let at = scanner.index
                        guard let raw = try scanner.optionalString() else { status = nil; return }
                        guard let known = RecordStatus(rawValue: raw) else {
                            throw JSONScanner.Malformed(offset: at, reason: "unknown status")
                        }
                        status = known
                    }
                    else if key.isKey("reason") { reason = try scanner.optionalString() }
                    else { try scanner.skipValue() }
                }
                try scanner.expectEnd()
            } catch { return nil }
            guard let input else { return nil }
            return LoggedRecord(input: input, status: status, reason: reason, line: Array(bytes[line]))
        }
    }

    /// The records of the log at `path` (none when there is no log yet).
    /// - Throws: ``JobError`` when it exists and cannot be read.
    package static func records(at path: String) throws(JobError) -> [LoggedRecord] {
        guard FileIO.exists(path) else { return [] }
        do {
            return LoggedRecord.records(in: try FileIO.readAll(path: path))
        } catch {
            throw JobError(.auditLog, "cannot read audit log \(path): \(error)")
        }
    }

    /// The inputs of a part still to run, in plan order: those without a record that counts as done (written or
    /// skipped; failures are tried again), and the done inputs whose identical copies are still to run (made
    /// again, they are found already written, and their copies are skipped as a single run skips them).
    /// - Returns: those inputs, and how many of `inputs` are done.
    package static func remaining(of inputs: [ScalePlan.PlannedInput], in records: [LoggedRecord])
        -> (inputs: [ScalePlan.PlannedInput], done: Int) {
        var done = Set<String>()
        for record in records {
            if record.status == .written || record.status == .skipped { done.insert(record.input) } else { done.remove(record.input) }
        }
        let copied = Set(inputs.filter { !done.contains($0.path) }.compactMap(\.copyOf))
        return (inputs.filter { !done.contains($0.path) || copied.contains($0.path) }, inputs.count { done.contains($0.path) })
    }

    /// The merged account of a plan.
    package struct Merged {
        /// One record per planned input that has one, in plan order.
        package var records: [LoggedRecord] = []
        /// One line per problem: a missing part log, an input with no record or two, a record of an input the
        /// plan does not give to that part.
        package var problems: [String] = []
        package var written = 0, skipped = 0, failed = 0
    }

    /// Merges the logs of every part of `plan` (`logs[k]` is part k's, nil when it has none).
    package static func merge(_ plan: ScalePlan, logs: [[LoggedRecord]?]) -> Merged {
        var merged = Merged()
        var byInput: [String: [LoggedRecord]] = [:]
        var partOf: [String: Int] = [:]
        for input in plan.inputs { partOf[input.path] = input.part }
        for (part, log) in logs.enumerated() {
            guard let log else {
                merged.problems.append("part \(part) has no audit log (not run?)")
                continue
            }
            for record in log {
                guard partOf[record.input] == part else {
                    merged.problems.append("\(record.input): recorded by part \(part), which the plan does not give it to")
                    continue
                }
                byInput[record.input, default: []].append(record)
            }
        }
        for input in plan.inputs where logs.indices.contains(input.part) && logs[input.part] != nil {
            let account = settled(byInput[input.path] ?? [])
            guard account.count == 1, let record = account.first else {
                merged.problems.append(account.isEmpty ? "\(input.path): no record (part \(input.part) did not finish it)"
                                                       : "\(input.path): recorded \(account.count) times by part \(input.part)")
                continue
            }
            merged.records.append(record)
            switch record.status {
            case .written?: merged.written += 1
            case .failed?: merged.failed += 1
            default: merged.skipped += 1
            }
        }
        return merged
    }

    /// The records of one input that stand: without failures tried again and without reruns of a written output.
    static func settled(_ records: [LoggedRecord]) -> [LoggedRecord] {
        var standing: [LoggedRecord] = []
        for record in records {
            if standing.last?.status == .failed { standing.removeLast() }
            if record.status == .skipped, record.reason == FileOutcome.alreadyDoneReason, standing.contains(where: { $0.status == .written }) {
                continue
            }
            standing.append(record)
        }
        return standing
    }
}
