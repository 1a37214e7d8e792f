import FileSystem
import Yams

/// `dicom-gateway --config FILE`: the YAML file read as the command-line arguments it stands for, so that the
/// file and the flags cannot say different things (the command parses and checks both the same way).
///
/// ```yaml
/// listen: {host: 0.0.0.0, port: 11112, ae-title: GATEWAY}
/// allow:                       # calling AE titles, optionally with the one address each may come from
///   - MODALITY
///   - {ae-title: PACS, address: 10.0.0.7}
/// limits: {max-pdu-length: 65536, max-instance-size: 1024, max-associations: 32,
///          idle-timeout: 120, artim-timeout: 30}
/// spool: /var/lib/dicom-gateway/spool
/// quarantine: /var/lib/dicom-gateway/quarantine
/// secret: /etc/dicom-gateway/secret
/// audit-log: /var/lib/dicom-gateway/audit.jsonl      # or false: no audit log
/// deidentify:                  # dicom-deidentify's options, named as on its command line without the dashes
///   recipient: [/etc/dicom-gateway/site.crt]
///   retain-longitudinal-temporal-information-with-modified-dates: true
/// destinations:
///   - {kind: folder, path: /srv/deidentified}
///   - {kind: scp, ae-title: ARCHIVE, host: archive.example.org, port: 104}
///   - {kind: stow, url: http://pacs.example.org:8042/dicom-web}
/// ```
package enum GatewayConfigFile {
    /// The arguments and, for each flag they hold, the key of the file it came from (to name it in errors).
    package struct Expansion: Sendable, Equatable {
        package var arguments: [String] = []
        package var keys: [String: String] = [:]

        mutating func add(_ flag: String, _ value: String? = nil, key: String) {
            arguments.append(flag)
            if let value { arguments.append(value) }
            keys[flag] = key
        }

        /// The file's key behind the flag an error message names (the longest flag it mentions), if any.
        package func key(mentionedIn message: String) -> String? {
            // A flag named whole: not the start of a longer one (--allow in --allow-weak-keys).
            let named = keys.keys.filter { flag in
                message.ranges(of: flag).contains { range in
                    message[range.upperBound...].first.map { !($0.isLetter || $0.isNumber || $0 == "-") } ?? true
                }
            }
            return named.max { $0.count < $1.count }.flatMap { keys[$0] }
        }
    }

    /// The flag of each scalar key of the gateway's own sections ("section.key", or "key" at the top).
    static let flags: [String: String] = [
        "listen.host": "--host", "listen.port": "--port", "listen.ae-title": "--ae-title",
        "limits.max-pdu-length": "--max-pdu-length", "limits.max-instance-size": "--max-instance-size",
        "limits.max-associations": "--max-associations",
        "limits.idle-timeout": "--idle-timeout", "limits.artim-timeout": "--artim-timeout",
        "spool": "--spool", "quarantine": "--quarantine", "secret": "--secret",
    ]
    /// Top-level keys and what they hold (for the unknown-key message).
    static let topLevelKeys = ["listen", "allow", "limits", "spool", "quarantine", "secret", "audit-log", "deidentify", "destinations"]
    /// Flags written only by the gateway's sections, never under `deidentify:`.
    static let gatewayFlags: Set<String> = Set(flags.values).union(["--allow", "--audit-log", "--no-audit-log", "--config",
                                                                    "--forward-to-folder", "--forward-to-scp"])
    /// A configuration file is written by hand: larger is a mistake.
    static let maximumSize = 1 << 20

    /// Reads `path` and returns the arguments it stands for.
    /// - Throws: ``GatewayConfigError`` naming the file and the key.
    package static func load(path: String) throws(GatewayConfigError) -> Expansion {
        let bytes: [UInt8]
        do { bytes = try FileIO.readAll(path: path) } catch {
            throw GatewayConfigError(file: path, key: nil, "cannot read: \(error)")
        }
        guard bytes.count <= maximumSize else { throw GatewayConfigError(file: path, key: nil, "larger than 1 MiB") }
        return try parse(String(decoding: bytes, as: UTF8.self), file: path)
    }

    /// Parses the text of a configuration file; `file` names it in errors.
    /// - Throws: ``GatewayConfigError`` naming the file and the key.
    package static func parse(_ text: String, file: String) throws(GatewayConfigError) -> Expansion {
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: text) else { throw GatewayConfigError(file: file, key: nil, "empty") }
            root = node
        } catch let error as GatewayConfigError {
            throw error
        } catch let error as YamlError {
            throw GatewayConfigError(file: file, key: nil, "malformed YAML: \(String(describing: error).split(separator: "\n").first ?? "")")
        } catch {
            throw GatewayConfigError(file: file, key: nil, "malformed YAML")
        }
        guard let top = root.mapping else { throw GatewayConfigError(file: file, key: nil, "must be a mapping (listen:, allow:, ...)") }
        var expansion = Expansion()
        for (keyNode, value) in top {
            let key = keyNode.string ?? ""
            switch key {
            case "listen", "limits":
                guard let section = value.mapping else { throw GatewayConfigError(file: file, key: key, "must be a mapping") }
                for (nameNode, item) in section {
                    let path = key + "." + (nameNode.string ?? "")
                    guard let flag = flags[path] else {
                        let known = flags.keys.filter { $0.hasPrefix(key + ".") }.map { String($0.dropFirst(key.count + 1)) }.sorted()
                        throw GatewayConfigError(file: file, key: path, "unknown key (\(known.joined(separator: ", ")))")
                    }
                    expansion.add(flag, try scalar(item, key: path, file: file), key: path)
                }
            case "spool", "quarantine", "secret":
                expansion.add(flags[key] ?? "", try scalar(value, key: key, file: file), key: key)
            case "audit-log":
                if value.scalar != nil, value.bool == false {
                    expansion.add("--no-audit-log", key: key)
                } else {
                    expansion.add("--audit-log", try scalar(value, key: key, file: file), key: key)
                }
            case "allow":
                for (index, item) in try list(value, key: key, file: file).enumerated() {
                    expansion.add("--allow", try caller(item, key: "\(key)[\(index)]", file: file), key: "\(key)[\(index)]")
                }
            case "deidentify":
                try deidentify(value, into: &expansion, file: file)
            case "destinations":
                var folders = 0
                for (index, item) in try list(value, key: key, file: file).enumerated() {
                    let itemKey = "\(key)[\(index)]"
                    let (flag, argument) = try destination(item, key: itemKey, file: file)
                    if flag == "--forward-to-folder" { folders += 1 }
                    guard folders <= 1 else {
                        throw GatewayConfigError(file: file, key: itemKey, "a second folder (one folder; scp and stow destinations may be several)")
                    }
                    expansion.add(flag, argument, key: itemKey)
                }
            default:
                throw GatewayConfigError(file: file, key: key, "unknown key (\(topLevelKeys.joined(separator: ", ")))")
            }
        }
        return expansion
    }

    /// One destination as the flag and value that say it: `{kind: folder, path: DIR}`,
    /// `{kind: scp, ae-title: AE, host: HOST, port: PORT}` or `{kind: stow, url: URL}`.
    static func destination(_ node: Node, key: String, file: String) throws(GatewayConfigError) -> (flag: String, value: String) {
        guard let fields = node.mapping else { throw GatewayConfigError(file: file, key: key, "must be a mapping with kind:") }
        var values: [String: String] = [:]
        for (nameNode, value) in fields {
            let name = nameNode.string ?? ""
            values[name] = try scalar(value, key: key + "." + name, file: file)
        }
        func take(_ names: [String]) throws(GatewayConfigError) -> [String] {
            for name in values.keys where name != "kind" && !names.contains(name) {
                throw GatewayConfigError(file: file, key: key + "." + name, "unknown key (kind, \(names.joined(separator: ", ")))")
            }
            var taken: [String] = []
            for name in names {
                guard let value = values[name] else { throw GatewayConfigError(file: file, key: key, "missing \(name):") }
                taken.append(value)
            }
            return taken
        }
        switch values["kind"] {
        case "folder":
            return ("--forward-to-folder", try take(["path"])[0])
        case "scp":
            let parts = try take(["ae-title", "host", "port"])
            return ("--forward-to-scp", "\(parts[0])@\(parts[1]):\(parts[2])")
        case "stow":
            return ("--forward-to-stow", try take(["url"])[0])
        case let kind:
            throw GatewayConfigError(file: file, key: key + ".kind", kind == nil ? "missing (folder, scp or stow)" : "unknown kind '\(kind ?? "")' (folder, scp or stow)")
        }
    }

    /// `deidentify:`: each key is a flag of `dicom-deidentify` without its dashes; `true` gives the flag alone,
    /// `false` nothing, a list repeats it.
    private static func deidentify(_ node: Node, into expansion: inout Expansion, file: String) throws(GatewayConfigError) {
        guard let options = node.mapping else { throw GatewayConfigError(file: file, key: "deidentify", "must be a mapping of option: value") }
        for (nameNode, value) in options {
            let name = nameNode.string ?? ""
            let key = "deidentify." + name
            let flag = "--" + name
            guard !name.isEmpty, !name.hasPrefix("-"), !gatewayFlags.contains(flag) else {
                throw GatewayConfigError(file: file, key: key, "not a de-identification option (the gateway's own keys are listen, allow, limits, spool, quarantine, secret, audit-log, destinations)")
            }
            if value.scalar != nil, let bool = value.bool, !(value.string.map { Int($0) != nil } ?? false) {
                if bool { expansion.add(flag, key: key) }
            } else if let items = value.sequence {
                for (index, item) in items.enumerated() {
                    expansion.add(flag, try scalar(item, key: "\(key)[\(index)]", file: file), key: key)
                }
            } else {
                expansion.add(flag, try scalar(value, key: key, file: file), key: key)
            }
        }
    }

    /// An allowed caller: `AE`, `AE@address`, or `{ae-title: AE, address: IP}`.
    private static func caller(_ node: Node, key: String, file: String) throws(GatewayConfigError) -> String {
        guard let fields = node.mapping else { return try scalar(node, key: key, file: file) }
        var title: String?, address: String?
        for (nameNode, value) in fields {
            switch nameNode.string {
            case "ae-title": title = try scalar(value, key: key + ".ae-title", file: file)
            case "address": address = try scalar(value, key: key + ".address", file: file)
            default: throw GatewayConfigError(file: file, key: key + "." + (nameNode.string ?? ""), "unknown key (ae-title, address)")
            }
        }
        guard let title else { throw GatewayConfigError(file: file, key: key, "missing ae-title:") }
        return address.map { "\(title)@\($0)" } ?? title
    }

    /// The text of a scalar (numbers as written: Yams' own number reading takes YAML 1.1 base-60 forms).
    private static func scalar(_ node: Node, key: String, file: String) throws(GatewayConfigError) -> String {
        guard let text = node.scalar?.string, !text.isEmpty else {
            throw GatewayConfigError(file: file, key: key, "must be a single value")
        }
        return text
    }

    private static func list(_ node: Node, key: String, file: String) throws(GatewayConfigError) -> [Node] {
        guard let items = node.sequence else { throw GatewayConfigError(file: file, key: key, "must be a list") }
        return Array(items)
    }
}

/// A configuration file that cannot be used: one line naming the file and the key.
package struct GatewayConfigError: Error, CustomStringConvertible, Equatable {
    package let file: String
    package let key: String?
    package let reason: String

    package init(file: String, key: String?, _ reason: String) {
        self.file = file
        self.key = key
        self.reason = reason
    }

    package var description: String { "\(file): " + (key.map { "key \($0): " } ?? "") + reason }
}
