import DICOMCore

/// Rules every profile has, whatever its source (the built-in Basic Profile, a native profile with
/// `base: basic` or `base: none`, a CTP script, private dispositions): ``Profile`` adds them itself, so no
/// source can leave them out.
enum SafetyRules {
    /// Elements that do not belong in a data set at all, or that cannot be judged, ahead of every rule of the
    /// profile. The command group (0000,eeee) belongs to DIMSE messages; inside a data set its elements can
    /// carry anything (a name was found in (0000,0902) Error Comment).
    static let leading: [Rule] = [
        Rule(.group(0x0000), .fixed(.remove), origin: .builtIn("command group element inside the data set")),
        Rule(.group(0x0002), .fixed(.remove), origin: .builtIn("file meta element inside the data set")),
        Rule(.groupLengthInItem, .fixed(.remove), origin: .builtIn("group length inside an item (retired, would go stale)")),
        Rule(.undecodedSequence, .fixed(.remove),
             origin: .builtIn("sequence encoded as UN bytes: cannot be de-identified item by item")),
    ]

    /// Private attributes that no rule of the profile names are removed, even where the profile's catch-all
    /// keeps everything else: nobody has said what they hold.
    static let unnamedPrivate = Rule(.anyPrivate, .fixed(.remove),
                                     origin: .builtIn("private attribute no rule names"), note: "private attribute")

    /// `rules` with the safety rules: ``leading`` first, ``unnamedPrivate`` just before the profile's catch-all
    /// (the first `everything-else` rule) unless that removes anyway, or at the end when there is none.
    ///
    /// Rules that already hold them (those of another profile, which private dispositions extend) get them once.
    static func applied(to rules: [Rule]) -> [Rule] {
        let safety = leading + [unnamedPrivate]
        var result = leading + rules.filter { rule in
            !safety.contains { $0.matcher == rule.matcher && $0.origin == rule.origin }
        }
        guard let catchAll = result.firstIndex(where: { $0.matcher == .everythingElse }) else {
            return result + [unnamedPrivate]
        }
        if case .fixed(.remove) = result[catchAll].action { return result }
        result.insert(unnamedPrivate, at: catchAll)
        return result
    }
}
