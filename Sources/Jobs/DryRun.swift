import DICOMCodec
import DICOMCore
import Deidentification

/// `--dry-run`: the plan for one file, as lines of a table, one per attribute, sorted by tag path.
package enum DryRun {
    /// The table for `input`: a header line, then `path  VR  action  [rule]  (origin)`, with the original and new
    /// values when `showValues` (they are patient data).
    /// - Throws: ``JobError`` `.noInput` without an input, `.inputFailed` (caused by the reader's or the
    ///   profile's error) when the file cannot be read or planned.
    package static func lines(for input: InputScanner.Input?, deidentifier: Deidentifier,
                             showValues: Bool) throws(JobError) -> [String] {
        guard let input else { throw JobError(.noInput, "no input files found") }
        let file: Part10File
        let plan: Plan
        do {
            file = try Part10Reader.read(contentsOf: input.path)
            plan = try deidentifier.plan(file)
        } catch {
            throw JobError(.inputFailed, input.path, cause: error)
        }
        var lines = ["# planned actions for \(input.path) (nothing written)"]
        // The profile compared with the Basic Profile: what it keeps that the Basic Profile would not.
        if let summary = deidentifier.profile.comparison.summary {
            lines.append("# warning: the profile is \(summary)")
            for weakening in deidentifier.profile.comparison.weakenings {
                let how = weakening.byScript ? "function or script" : "kept"
                lines.append("#   \(weakening.family.rawValue): \(weakening.attribute): \(how) (\(weakening.rule.map { "\($0)" } ?? "no rule"))")
            }
        }
        for note in plan.notes { lines.append("# note: \(note)") }
        var rows: [(TagPath, String)] = []
        for edit in plan.edits {
            var text = "\(edit.vr)  \(edit.decision.action)  \(ruleText(edit.decision))"
            if showValues {
                let before = file.dataSet.element(at: edit.path).map(describe) ?? ""
                let after: String
                if let value = edit.newValue {
                    after = describe(DataElement(tag: edit.path.lastTag ?? Tag(0, 0), vr: edit.vr, value: value))
                } else {
                    after = "(removed)"
                }
                text += "  \(before) -> \(after)"
            }
            rows.append((edit.path, text))
        }
        for kept in plan.kept {
            var text = "\(kept.vr)  keep  \(ruleText(kept.decision))"
            if showValues, let element = file.dataSet.element(at: kept.path) { text += "  \(describe(element))" }
            rows.append((kept.path, text))
        }
        for element in plan.settings {
            // Group 0012 (Patient Identity Removed, the method, Clinical Trial) and (0028,0303).
            let why = element.tag.group == 0x0012 || element.tag == Tag(0x0028, 0x0303)
                ? "PS3.15 E.1.1 identity removed attributes" : "added by the profile (removed again on re-identification)"
            rows.append((TagPath(element.tag), "\(element.vr)  set  [\(why)]"))
        }
        // A sequence whose items hold nothing to decide (none, or only empty ones) has no row of its own
        // in the plan: list it, so every attribute of the file has a line.
        let planned = Set(rows.map(\.0.description))
        for element in file.dataSet.elements where element.sequence != nil {
            let path = TagPath(element.tag).description
            if !planned.contains(path), !planned.contains(where: { $0.hasPrefix(path + "[") }) {
                let count = element.sequence?.items.count ?? 0
                rows.append((TagPath(element.tag), "\(element.vr)  keep  [sequence with nothing inside to change: \(count) items]"))
            }
        }
        for (path, text) in rows.sorted(by: { $0.0.description < $1.0.description }) {
            lines.append("\(path)  \(text)")
        }
        // --clean-pixel-data: the rule and rectangles of every frame.
        lines += plan.pixelCleaning?.frameLines ?? []
        return lines
    }

    /// The decision's reason and, where known, the rule that decided: a Table E.1-1 row and column, a
    /// built-in rule, or a profile file and line.
    private static func ruleText(_ decision: Decision) -> String {
        guard let origin = decision.origin else { return "[\(decision.refinement)]" }
        if case .builtIn = origin { return "[\(decision.refinement)]  (built-in rule)" }
        return "[\(decision.refinement)]  (\(origin))"
    }

    private static func describe(_ element: DataElement) -> String {
        switch element.value {
        case .bytes(let bytes):
            if element.vr.isText { return "\"" + (element.string() ?? "") + "\"" }
            return "<\(bytes.count) bytes>"
        case .sequence(let sequence): return "<\(sequence.items.count) items>"
        case .fragments(let fragments): return "<\(fragments.items.count) fragments>"
        }
    }
}
