import JavaProperties
import DICOMCore

/// Reads CTP DicomAnonymizer scripts in either of CTP's formats, chosen as CTP's `DAScript` does: a script
/// with a line starting (after blanks) with `<` is XML, anything else is the older properties format.
///
/// XML: `<script><p t="NAME">v</p><e en="T" t="00100010" n="PatientName">@empty()</e><k en="T" t="0018"/>
/// <r en="T" t="privategroups"/></script>`.
///
/// Properties, read as `java.util.Properties` (escapes, continuation lines, `=`/`:`/blank separators), as CTP
/// reads them: `param.NAME=v`, `set.[0010,0010]PatientName=@empty()`, `keep.group0018=name`,
/// `keep.safeprivateelements=`, `remove.privategroups=`; a leading `#` (a comment) disables an entry. Keys of
/// any other kind are refused (CTP ignores them silently).
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

    /// Parses the properties format, read as `java.util.Properties` reads it (CTP's `DAScript.toProperties`):
    /// see ``JavaProperties``. Comment lines holding `#set.`, `#keep.` or `#remove.` entries become
    /// disabled rules.
    /// - Throws: ``CTPScriptError``.
    public static func parseProperties(_ text: String, file: String) throws(CTPScriptError) -> CTPScript {
        var script = CTPScript(file: file)
        let (entries, comments) = JavaProperties.read(text)
        var disabled: [JavaProperties.Entry] = []
        for comment in comments where comment.text.hasPrefix("#set.") || comment.text.hasPrefix("#keep.")
            || comment.text.hasPrefix("#remove.") {
            if let entry = JavaProperties.read(String(comment.text.dropFirst())).entries.first {
                disabled.append(JavaProperties.Entry(key: entry.key, value: entry.value, line: comment.line))
            }
        }
        let all = (entries.map { ($0, true) } + disabled.map { ($0, false) }).sorted { $0.0.line < $1.0.line }
        for (entry, enabled) in all {
            do {
                try add(entry, enabled: enabled, to: &script, file: file)
            } catch {
                if enabled { throw error }
            }
        }
        return script
    }

    private static func add(_ entry: JavaProperties.Entry, enabled: Bool, to script: inout CTPScript,
                            file: String) throws(CTPScriptError) {
        let key = entry.key, value = entry.value, line = entry.line
        if key.hasPrefix("param.") {
            script.parameters.append(CTPParameter(name: String(key.dropFirst(6)).trimmingWhitespace(),
                                                  value: value.trimmingWhitespace(), line: line))
        } else if key.hasPrefix("set.") {
            script.elements.append(try propertiesRule(key, value, enabled: enabled, line: line, file: file))
        } else if key.hasPrefix("keep.") {
            let target = key.contains("safe") ? "safeprivateelements" : String(key.dropFirst("keep.group".count))
            script.keeps.append(try makeKeep(target, enabled: enabled, name: value, line: line, file: file))
        } else if key.hasPrefix("remove.") {
            script.removals.append(CTPRemoveRule(target: .init(String(key.dropFirst(7)).trimmingWhitespace()),
                                                 isEnabled: enabled, name: value.trimmingWhitespace(), line: line))
        } else {
            throw CTPScriptError(.unrecognisedLine, file: file, line: line,
                                 reason: "unknown key \"\(key)\" (expected param., set., keep. or remove.)")
        }
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
