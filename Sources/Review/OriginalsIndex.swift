import AuditRecords
import FileSystem
import Foundation
import Jobs

/// Finds the original of a de-identified file through the audit log `dicom-deidentify` wrote
/// (``DeidentificationRecord``: the input, and the output written from it).
///
/// An output is matched by its resolved absolute path, then by the UIDs its name gives (``OutputNaming/parse(_:)``:
/// the study, series and instance names `dicom-deidentify` gives outputs, under any folder), then by its file
/// name. The original is the logged input when it exists as written; otherwise the same path under the
/// originals folder, then the file name under it (the originals moved since).
public struct OriginalsIndex: Sendable {
    let originalsFolder: String
    let byPath: [String: String]
    /// Inputs by the UIDs of their outputs' names; empty where several outputs share them.
    let byUIDs: [OutputNaming.UIDPath: String]
    /// Inputs by the last three components of their outputs' paths (`--keep-layout` names, which carry no UIDs);
    /// empty where several inputs share them.
    let byTail: [String: String]
    let byName: [String: String]

    /// Reads the audit log.
    /// - Parameters:
    ///   - auditLog: the de-identification audit log.
    ///   - originalsFolder: where the originals are.
    /// - Throws: ``LeftoverCheckError`` when the log cannot be read.
    public init(auditLog: String, originalsFolder: String) throws(LeftoverCheckError) {
        let bytes: [UInt8]
        do { bytes = try FileIO.readAll(path: auditLog) } catch {
            throw LeftoverCheckError(.unreadableAuditLog, "cannot read audit log \(auditLog)", cause: error)
        }
        var byPath: [String: String] = [:], byUIDs: [OutputNaming.UIDPath: String] = [:]
        var byTail: [String: String] = [:], byName: [String: String] = [:]
        /// A key that several inputs share identifies none of them: marked empty. The same input logged twice
        /// (written, then "already done" by a resumed run) is still one.
        func claim<Key: Hashable>(_ key: Key, _ input: String, in table: inout [Key: String]) {
            table[key] = table[key] == nil || table[key] == input ? input : ""
        }
        for record in AuditRecordReader.records(DeidentificationRecord.self, in: bytes) {
            guard let output = record.output else { continue }
            byPath[Self.resolved(output)] = record.input
            if let uids = OutputNaming.parse(output) { claim(uids, record.input, in: &byUIDs) }
            claim(Self.tail(output), record.input, in: &byTail)
            claim(Self.fileName(output), record.input, in: &byName)
        }
        self.originalsFolder = originalsFolder
        self.byPath = byPath
        self.byUIDs = byUIDs
        self.byTail = byTail
        self.byName = byName
    }

    /// The path of the original of `output`, or nil when the log does not name it or it cannot be found.
    public func original(of output: String) -> String? {
        let unique = { (found: String?) in found.flatMap { $0.isEmpty ? nil : $0 } }
        guard let input = byPath[Self.resolved(output)] ?? unique(OutputNaming.parse(output).flatMap { byUIDs[$0] })
                ?? unique(byTail[Self.tail(output)]) ?? unique(byName[Self.fileName(output)]) else { return nil }
        let name = Self.fileName(input)
        for candidate in [input, originalsFolder + "/" + input, originalsFolder + "/" + name] where FileIO.exists(candidate) {
            return candidate
        }
        return nil
    }

    static func resolved(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
    }

    /// The last three components of `path` (a `--keep-layout` output moved with its folders).
    static func tail(_ path: String) -> String {
        path.split(separator: "/").suffix(3).joined(separator: "/")
    }

    static func fileName(_ path: String) -> String {
        path.split(separator: "/").last.map(String.init) ?? path
    }
}
