import FileSystem
import Foundation

/// Finds the original of a de-identified file through the audit log `dicom-deidentify` wrote: JSON lines whose
/// `"input"` and `"output"` fields name the original and the output written from it.
///
/// An output is matched by its resolved absolute path, then by its last three path components (the study,
/// series and instance names `dicom-deidentify` gives outputs), then by its file name. The original is the
/// logged input when it exists as written; otherwise the same path under the originals folder, then the
/// file name under it (the originals moved since).
public struct OriginalsIndex: Sendable {
    let originalsFolder: String
    let byPath: [String: String]
    let bySuffix: [String: String]
    let byName: [String: String]

    /// Reads the audit log.
    /// - Parameters:
    ///   - auditLog: the de-identification audit log.
    ///   - originalsFolder: where the originals are.
    /// - Throws: ``LeftoverCheckError`` when the log cannot be read.
    public init(auditLog: String, originalsFolder: String) throws(LeftoverCheckError) {
        guard let data = try? FileIO.readAll(path: auditLog) else {
            throw LeftoverCheckError(.unreadableAuditLog, "cannot read audit log \(auditLog)")
        }
        var byPath: [String: String] = [:], bySuffix: [String: String] = [:], byName: [String: String] = [:]
        for line in data.split(separator: UInt8(ascii: "\n")) where !line.isEmpty {
            guard let object = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any],
                  let input = object["input"] as? String, let output = object["output"] as? String else { continue }
            byPath[Self.resolved(output)] = input
            // A name that several outputs share identifies none of them: marked empty.
            let tail = Self.suffix(output, 3), name = Self.suffix(output, 1)
            bySuffix[tail] = bySuffix[tail] == nil ? input : ""
            byName[name] = byName[name] == nil ? input : ""
        }
        self.originalsFolder = originalsFolder
        self.byPath = byPath
        self.bySuffix = bySuffix
        self.byName = byName
    }

    /// The path of the original of `output`, or nil when the log does not name it or it cannot be found.
    public func original(of output: String) -> String? {
        let unique = { (found: String?) in found.flatMap { $0.isEmpty ? nil : $0 } }
        guard let input = byPath[Self.resolved(output)] ?? unique(bySuffix[Self.suffix(output, 3)])
                ?? unique(byName[Self.suffix(output, 1)]) else { return nil }
        let name = (input as NSString).lastPathComponent
        for candidate in [input, originalsFolder + "/" + input, originalsFolder + "/" + name]
        where FileIO.kind(of: candidate) != nil {
            return candidate
        }
        return nil
    }

    static func resolved(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
    }

    static func suffix(_ path: String, _ count: Int) -> String {
        path.split(separator: "/").suffix(count).joined(separator: "/")
    }
}
