import CMS
import DICOMCodec
import FileSystem
import Foundation
import Jobs

/// The secret that keys UID, pseudonym and date mappings: from `--secret FILE`, or a per-user file created
/// on first use under `$XDG_CONFIG_HOME/dicom-deid/secret` (or `~/.config/dicom-deid/secret`), mode 0600.
///
/// A secret file that group or others may read is refused: anyone holding it can test guessed UIDs and
/// patient IDs against the de-identified output.
package enum SecretStore {
    /// The default location.
    package static var defaultPath: String {
        let environment = ProcessInfo.processInfo.environment
        let base = environment["XDG_CONFIG_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (environment["HOME"] ?? NSHomeDirectory()) + "/.config"
        return base + "/dicom-deid/secret"
    }

    /// Loads the secret at `path`, or creates the default one when `path` is nil and none exists.
    /// - Parameter notice: told one line when a new secret file is created.
    /// - Throws: ``CLIError`` for an unreadable, empty or world/group-readable secret file.
    package static func load(path: String?, notice: (String) -> Void) throws -> [UInt8] {
        let target = path ?? defaultPath
        if path == nil, FileIO.kind(of: target) == nil {
            try create(at: target)
            notice("created a new de-identification secret at \(target) (mode 0600); keep it to stay consistent across runs")
        }
        let secret: [UInt8]
        do {
            guard try FileIO.permissions(of: target) & 0o077 == 0 else {
                throw CLIError("secret file \(target) is readable by group or others; run: chmod 600 \(target)")
            }
            secret = try FileIO.readAll(path: target, limit: 1 << 20)
        } catch let error as SystemCallError {
            throw CLIError("cannot read secret file \(target): \(error)")
        }
        guard secret.count >= 16 else { throw CLIError("secret file \(target) holds fewer than 16 bytes") }
        return secret
    }

    private static func create(at path: String) throws {
        let directory = Paths.parent(path)
        do {
            try FileIO.makeDirectories(directory)
            chmod(directory, 0o700)
            let random = try SecureRandom.bytes(32)
            let text = Array((random.map { String(format: "%02x", $0) }.joined() + "\n").utf8)
            try FileIO.writeAtomically(text, to: path, overwrite: false, mode: 0o600, prefix: OutputNaming.temporaryPrefix)
        } catch {
            throw CLIError("cannot create secret file \(path): \(error)")
        }
    }
}
