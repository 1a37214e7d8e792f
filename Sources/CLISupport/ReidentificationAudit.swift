import AuditRecords
import CMS
import FileSystem
import Foundation
import Jobs
#if canImport(Glibc)
import Glibc
#endif

/// The audit trail of re-identification, the one operation that puts identity back: who, where, with which
/// key, why, and which attributes of which file, in JSON lines (tags only, never values).
package enum ReidentificationAudit {
    /// Default trail: one per user, beside the de-identification secret, outside any output folder.
    package static var defaultPath: String {
        Paths.parent(SecretStore.defaultPath) + "/reidentify-audit.jsonl"
    }

    /// The fields every record of this run carries, as the trail's template record.
    /// - Parameters:
    ///   - key: the key used; named by its certificate (subject and serial) when known, else by the SHA-256 of
    ///     its public key.
    ///   - only: `--only`, when given.
    ///   - mode: `restore` or `verify`.
    package static func commonFields(key: RecipientPrivateKey, certificate: RecipientCertificate?, reason: String,
                                    only: [String]?, mode: String) -> ReidentificationRecord {
        var fields = ReidentificationRecord()
        fields.user = userName
        fields.host = hostName
        fields.reason = reason
        fields.mode = mode
        fields.keySHA256 = key.publicKeySHA256Hex
        if let certificate = certificate ?? key.certificate {
            fields.keyCertificateSubject = certificate.subject
            fields.keyCertificateSerial = certificate.serialNumberHex
        }
        fields.only = only
        return fields
    }

    /// Opens the trail at `path` (appended, mode 0600), refusing a place inside `output`.
    /// - Throws: ``CLIError``.
    package static func open(path: String?, output: String?, common: ReidentificationRecord) throws -> AuditLog {
        let chosen = path ?? defaultPath
        if let output, Paths.isInside(chosen, folder: output) {
            throw CLIError("the audit log must not be inside the output folder")
        }
        try? FileIO.makeDirectories(Paths.parent(Paths.standardized(chosen)), mode: 0o700)
        return try AuditLog(path: chosen, template: common, stampsTime: true)
    }

    /// `--reason`, or a line typed at a prompt when standard input is a terminal.
    /// - Throws: ``CLIError`` when there is neither.
    package static func reason(_ given: String?) throws -> String {
        if let given, !given.trimmingCharacters(in: .whitespaces).isEmpty { return given }
        guard isatty(STDIN_FILENO) == 1 else {
            throw CLIError("--reason is required: say why these files are re-identified (it goes into the audit log)")
        }
        Terminal.prompt("Reason for re-identification (recorded in the audit log): ")
        guard let typed = readLine(), !typed.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw CLIError("a reason is required to re-identify")
        }
        return typed
    }

    private static var userName: String {
        if let entry = getpwuid(geteuid()), let name = entry.pointee.pw_name { return String(cString: name) }
        return "uid \(geteuid())"
    }

    private static var hostName: String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count) == 0 else { return "unknown" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
