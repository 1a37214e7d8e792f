import ArgumentParser
import CLISupport

/// `--plan`, `--parts`, `--part`, `--merge`: one collection de-identified as a plan and separate parts (Slurm
/// array tasks, Kubernetes indexed pods), merged into one account. See docs/scale-out.md.
struct ScaleOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Scale-out plan folder: with --parts, plan the inputs into it; with --part, run one part; with --merge, merge the parts' audit logs.", valueName: "dir"), completion: .directory)
    var plan: String?

    @Option(help: ArgumentHelp("With --plan and inputs: how many parts to plan.", valueName: "n"))
    var parts: Int?

    @Option(help: ArgumentHelp("With --plan: run this part (0-based) into --output, with the usual options.", valueName: "k"))
    var part: Int?

    @Flag(help: "With --plan: merge the parts' audit logs into one (the --audit-log, or <output>-audit.jsonl) and check that every planned input has exactly one record.")
    var merge = false

    /// What the options ask for.
    enum Mode {
        case plan(folder: String, parts: Int)
        case part(folder: String, part: Int)
        case merge(folder: String)
    }

    /// The scale-out step asked for; nil for a plain run.
    var mode: Mode? {
        guard let plan else { return nil }
        if let parts { return .plan(folder: plan, parts: parts) }
        if let part { return .part(folder: plan, part: part) }
        return merge ? .merge(folder: plan) : nil
    }

    /// Whether the step takes inputs from the command line (a part and the merge take them from the plan).
    var takesInputs: Bool {
        switch mode {
        case .part?, .merge?: false
        case .plan?, nil: true
        }
    }

    /// The rules of these options with the command's others.
    func checkCombination(io: IOOptions, dryRun: Bool, auditLog: String?, noAuditLog: Bool) throws {
        switch mode {
        case nil:
            return
        case .plan?:
            if dryRun { throw ValidationError("--dry-run does not go with --plan") }
            if io.output != nil { throw ValidationError("planning writes no output: --output goes with --part or --merge") }
        case .part?:
            if !io.inputs.isEmpty || io.filesFrom != nil || io.filesFrom0 != nil {
                throw ValidationError("a part takes its inputs from the plan: give no inputs with --part")
            }
            if auditLog != nil || noAuditLog {
                throw ValidationError("a part keeps its audit log in the plan folder (its record of what is done): --audit-log and --no-audit-log do not go with --part")
            }
            if dryRun { throw ValidationError("--dry-run does not go with --part") }
        case .merge?:
            if !io.inputs.isEmpty || io.filesFrom != nil || io.filesFrom0 != nil {
                throw ValidationError("the merge takes its inputs from the plan: give no inputs with --merge")
            }
            if noAuditLog { throw ValidationError("--no-audit-log does not go with --merge") }
            if io.output == nil && auditLog == nil { throw ValidationError("--merge needs --output (the merged log goes beside it) or --audit-log") }
        }
    }

    /// The rules of these options alone.
    func checkOptions() throws {
        let chosen = [parts != nil, part != nil, merge].filter { $0 }.count
        guard let _ = plan else {
            if chosen > 0 { throw ValidationError("--parts, --part and --merge go with --plan DIR") }
            return
        }
        guard chosen == 1 else { throw ValidationError("--plan DIR takes one of --parts N, --part K or --merge") }
        if let parts, parts < 1 { throw ValidationError("--parts must be at least 1") }
        if let part, part < 0 { throw ValidationError("--part must be 0 or more") }
    }
}
