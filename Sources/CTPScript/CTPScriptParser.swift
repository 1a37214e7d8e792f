import DICOMCore

/// Reads CTP DicomAnonymizer scripts in either of CTP's formats, chosen as CTP's `DAScript` does: a script
/// with a line starting (after blanks) with `<` is XML, anything else is the older properties format.
///
/// XML: `<script><p t="NAME">v</p><e en="T" t="00100010" n="PatientName">@empty()</e><k en="T" t="0018"/>
/// <r en="T" t="privategroups"/></script>`.
///
/// Properties, one entry a line, split at the first `=` (DAScript rules): `param.NAME=v`,
/// `set.[0010,0010]PatientName=@empty()`, `keep.group0018=name`, `keep.safeprivateelements=`,
/// `remove.privategroups=`; a leading `#` on `set.`, `keep.` and `remove.` disables the entry. Blank lines and
/// comment lines (`#`, `!`) are skipped; any other line is refused (CTP ignores it silently).
public enum CTPScriptParser {
    /// Parses a script, detecting its format.
    /// - Parameters:
    ///   - text: the script file's text (UTF-8).
    ///   - file: the name errors quote.
    /// - Throws: ``CTPScriptError``: malformed XML, a bad tag or group, a properties line of unknown kind, or an
    ///   enabled rule whose script does not parse.
    public static func parse(_ text: String, file: String) throws(CTPScriptError) -> CTPScript {
        isXML(text) ? try parseXML(text, file: file) : try parseProperties(text, file: file)
    }

    /// CTP's test: `^\s*<` in multi-line mode.
    static func isXML(_ text: String) -> Bool {
        text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
            .contains { $0.first(where: { !$0.isWhitespace }) == "<" }
    }

    /// Parses the XML format.
    /// - Throws: ``CTPScriptError``.
    public static func parseXML(_ text: String, file: String) throws(CTPScriptError) -> CTPScript {
        let entries = try CTPXMLReader.read(text, file: file)
        var script = CTPScript(file: file)
        for entry in entries {
            let enabled = entry.attributes["en"] == "T"
            let t = entry.attributes["t"] ?? ""
            switch entry.name {
            case "p":
                script.parameters.append(CTPParameter(name: t.trimmingWhitespace(), value: entry.text.trimmingWhitespace(),
                                                      line: entry.line))
            case "e":
                guard t.count == 8, UInt32(t, radix: 16) != nil else {
                    throw CTPScriptError(.badTag, file: file, line: entry.line, reason: "bad tag t=\"\(t)\" (need 8 hex digits)")
                }
                script.elements.append(try makeRule(tag: Tag(UInt32(t, radix: 16) ?? 0), enabled: enabled,
                                                    name: entry.attributes["n"] ?? "", text: entry.text,
                                                    line: entry.line, file: file))
            case "k":
                script.keeps.append(try makeKeep(t, enabled: enabled, name: entry.attributes["n"] ?? entry.text,
                                                 line: entry.line, file: file))
            case "r":
                let name = entry.attributes["n"] ?? entry.text
                script.removals.append(CTPRemoveRule(target: .init(t.trimmingWhitespace()), isEnabled: enabled,
                                                     name: name.trimmingWhitespace(), line: entry.line))
            default:
                break  // CTP ignores other elements
            }
        }
        return script
    }

    /// Parses the properties format.
    /// - Throws: ``CTPScriptError``.
    public static func parseProperties(_ text: String, file: String) throws(CTPScriptError) -> CTPScript {
        var script = CTPScript(file: file)
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" })
        for (offset, rawLine) in lines.enumerated() {
            let line = offset + 1
            let trimmed = String(rawLine).trimmingWhitespace()
            guard let equals = trimmed.firstIndex(of: "=") else {
                if trimmed.isEmpty || trimmed.hasPrefix("#") || trimmed.hasPrefix("!") { continue }
                throw CTPScriptError(.unrecognisedLine, file: file, line: line, reason: "no '=' in \"\(trimmed)\"")
            }
            var left = String(trimmed[..<equals])
            let right = String(trimmed[trimmed.index(after: equals)...])
            if left.hasPrefix("param.") {
                script.parameters.append(CTPParameter(name: String(left.dropFirst(6)).trimmingWhitespace(),
                                                      value: right.trimmingWhitespace(), line: line))
                continue
            }
            let enabled = !left.hasPrefix("#")
            if !enabled { left.removeFirst() }
            if left.hasPrefix("set.") {
                script.elements.append(try propertiesRule(left, right, enabled: enabled, line: line, file: file))
            } else if left.hasPrefix("keep.") {
                let target = left.contains("safe") ? "safeprivateelements" : String(left.dropFirst("keep.group".count))
                script.keeps.append(try makeKeep(target, enabled: enabled, name: right, line: line, file: file))
            } else if left.hasPrefix("remove.") {
                script.removals.append(CTPRemoveRule(target: .init(String(left.dropFirst(7)).trimmingWhitespace()),
                                                     isEnabled: enabled, name: right.trimmingWhitespace(), line: line))
            } else if !trimmed.hasPrefix("#"), !trimmed.hasPrefix("!") {
                throw CTPScriptError(.unrecognisedLine, file: file, line: line,
                                     reason: "unknown key \"\(left)\" (expected param., set., keep. or remove.)")
            }
        }
        return script
    }

    /// `set.[0010,0010]PatientName` = script.
    private static func propertiesRule(_ left: String, _ right: String, enabled: Bool, line: Int,
                                       file: String) throws(CTPScriptError) -> CTPElementRule {
        guard let open = left.firstIndex(of: "["), let close = left[open...].firstIndex(of: "]") else {
            throw CTPScriptError(.badTag, file: file, line: line, reason: "no [gggg,eeee] in \"\(left)\"")
        }
        let hex = left[left.index(after: open)..<close].filter(\.isHexDigit)
        guard hex.count == 8, let value = UInt32(hex, radix: 16) else {
            throw CTPScriptError(.badTag, file: file, line: line, reason: "bad tag \"\(left[open...close])\"")
        }
        let name = String(left[left.index(after: close)...]).trimmingWhitespace()
        return try makeRule(tag: Tag(value), enabled: enabled, name: name, text: right, line: line, file: file)
    }

    private static func makeRule(tag: Tag, enabled: Bool, name: String, text: String, line: Int,
                                 file: String) throws(CTPScriptError) -> CTPElementRule {
        let script = text.trimmingWhitespace()
        var rule = CTPElementRule(tag: tag, isEnabled: enabled, name: name.trimmingWhitespace(), script: script, line: line,
                                  expression: CTPExpression(segments: script.isEmpty ? [] : [.text(script)]))
        do {
            rule.expression = try CTPExpressionParser.parse(script)
        } catch {
            if enabled { throw error.located(rule, file: file) }
        }
        return rule
    }

    private static func makeKeep(_ target: String, enabled: Bool, name: String, line: Int,
                                 file: String) throws(CTPScriptError) -> CTPKeepRule {
        let t = target.trimmingWhitespace()
        if t.hasPrefix("safe") {
            return CTPKeepRule(target: .safePrivateElements, isEnabled: enabled, name: name.trimmingWhitespace(), line: line)
        }
        guard !t.isEmpty, t.count <= 4, let group = UInt16(t, radix: 16) else {
            throw CTPScriptError(.badTag, file: file, line: line, reason: "bad group \"\(t)\" in keep (need up to 4 hex digits)")
        }
        return CTPKeepRule(target: .group(group), isEnabled: enabled, name: name.trimmingWhitespace(), line: line)
    }
}
