import ArgumentParser
import AuditRecords
import CLISupport
import FileSystem
import Jobs

/// The scale-out steps of `dicom-deidentify`: plan, run one part, merge (docs/scale-out.md).
extension DeidentifyCommand {
    /// A part of a plan, ready to run: its inputs still to do, the plan's decisions about them, its log.
    struct PlanPart {
        let folder: String
        let number: Int
        let scan: InputScan
        let shared: SharedInstances
        /// How many of the part's inputs an earlier run of it finished.
        let done: Int
        let total: Int

        /// ", N of M inputs done by an earlier run" after a resume; empty otherwise.
        var resumeNote: String { done > 0 ? " (\(done) of \(total) inputs of the part done by an earlier run)" : "" }
    }

    /// `INPUT... --plan DIR --parts N`: reads every header once, decides, writes the plan; writes no output.
    func makePlan(into folder: String, parts: Int) throws {
        let secretBytes = try SecretStore.load(path: secret) { Terminal.line("note: \($0)") }
        let scan = try io.scanInputs()
        if scan.failedFolders > 0 { throw CLIError("a folder could not be read; nothing planned") }
        if scan.files.isEmpty { throw CLIError("no file among the inputs; nothing planned") }
        let plan = try ScalePlanner.plan(scan.files, parts: parts, secret: secretBytes, jobs: io.jobs)
        try plan.write(to: folder)
        let sizes = (0..<parts).map { part in plan.inputs.count(where: { $0.part == part }) }
        let copies = plan.inputs.count { $0.copyOf != nil }
        let distinct = plan.inputs.count { $0.distinct == true }
        Terminal.line("planned \(plan.inputs.count) files in \(parts) parts into \(folder): \(sizes.map(String.init).joined(separator: ", ")) files; \(distinct) take a distinct SOP Instance UID, \(copies) identical copies")
        if sizes.contains(0) { Terminal.line("note: some parts have no file (fewer studies than parts)") }
    }

    /// `--plan DIR --part K`: the part's inputs (those an earlier run of it did not finish), after checking the
    /// plan's secret and that none of them changed since planning. Nil for other steps.
    func openPart(_ mode: ScaleOptions.Mode, secret secretBytes: [UInt8]) throws -> PlanPart? {
        guard case .part(let folder, let number) = mode else { return nil }
        let plan = try ScalePlan.read(from: folder)
        try plan.check(secret: secretBytes, folder: folder)
        guard number < plan.parts else { throw CLIError("the plan in \(folder) has parts 0 to \(plan.parts - 1), not \(number)") }
        try plan.checkUnchanged(part: number)
        let all = plan.inputs(ofPart: number)
        let (remaining, done) = PlanAccount.remaining(of: all, in: try PlanAccount.records(at: ScalePlan.auditLogPath(folder, part: number)))
        var scan = InputScan()
        scan.files = remaining.map { InputScanner.Input(path: $0.path, relativePath: $0.relativePath, isNamed: $0.named) }
        let shared = SharedInstances(distinct: Set(remaining.filter { $0.distinct == true }.map(\.path)),
                                     sharing: Set(remaining.filter { $0.sharing == true }.map(\.path)))
        return PlanPart(folder: folder, number: number, scan: scan, shared: shared, done: done, total: all.count)
    }

    /// The part's audit log, in the plan folder: appended to by every run of the part.
    func openPartLog(_ part: PlanPart) throws -> AuditLog {
        try AuditLog(path: ScalePlan.auditLogPath(part.folder, part: part.number), template: DeidentificationRecord())
    }

    /// `--plan DIR --merge`: one audit log for the whole plan, in plan order, written only when every planned
    /// input has exactly one record; a summary line either way.
    func mergePlan(_ folder: String) throws {
        let plan = try ScalePlan.read(from: folder)
        var logs: [[PlanAccount.LoggedRecord]?] = []
        for part in 0..<plan.parts {
            let path = ScalePlan.auditLogPath(folder, part: part)
            let hasInputs = plan.inputs.contains { $0.part == part }
            logs.append(FileIO.exists(path) || !hasInputs ? try PlanAccount.records(at: path) : nil)
        }
        let merged = PlanAccount.merge(plan, logs: logs)
        for problem in merged.problems { Terminal.line("error: \(problem)") }
        let counts = "\(merged.written) written, \(merged.skipped) skipped, \(merged.failed) failed"
        guard merged.problems.isEmpty else {
            Terminal.line("merge of \(folder): \(merged.problems.count) problems (\(merged.records.count) of \(plan.inputs.count) inputs accounted for: \(counts)); nothing written")
            throw ExitCode(ExitStatus.someFailed)
        }
        let path = mergedLogPath()
        do {
            var bytes: [UInt8] = []
            bytes.reserveCapacity(merged.records.reduce(0) { $0 + $1.line.count + 1 })
            for record in merged.records {
                bytes += record.line
                bytes.append(UInt8(ascii: "\n"))
            }
            try FileIO.writeAtomically(bytes, to: path, overwrite: true, mode: 0o600, prefix: ".audit-tmp-")
        } catch {
            throw CLIError("cannot write the merged audit log \(path): \(error)")
        }
        Terminal.line("merged the audit logs of \(plan.parts) parts: \(plan.inputs.count) inputs, \(counts)")
        Terminal.line("audit log: \(path) (it names input paths: keep it on this side, do not share it)")
        if merged.failed > 0 { throw ExitCode(ExitStatus.someFailed) }
    }

    /// Where the merged log goes: `--audit-log`, else beside the output folder as a single run's.
    private func mergedLogPath() -> String {
        if let auditLog { return auditLog }
        let output = Paths.standardized(io.output ?? ".")
        return (output.hasSuffix("/") ? String(output.dropLast()) : output) + "-audit.jsonl"
    }
}
