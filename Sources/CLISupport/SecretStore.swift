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
        if path == nil, !FileManager.default.fileExists(atPath: target) {
            try create(at: target)
            notice("created a new de-identification secret at \(target) (mode 0600); keep it to stay consistent across runs")
        }
        // FileManager, not stat(2): `struct stat`'s members are attributed to whichever module (Glibc,
        // CoreFoundation, CPosix) the build met it through first, which MemberImportVisibility then demands.
        let resolved = URL(fileURLWithPath: target).resolvingSymlinksInPath().path
        let attributes = try? FileManager.default.attributesOfItem(atPath: resolved)
        guard let mode = attributes?[.posixPermissions] as? Int else {
            throw CLIError("cannot read secret file \(target)")
        }
        guard mode & 0o077 == 0 else {
            throw CLIError("secret file \(target) is readable by group or others; run: chmod 600 \(target)")
        }
        guard let data = FileManager.default.contents(atPath: target) else {
            throw CLIError("cannot read secret file \(target)")
        }
        let secret = [UInt8](data)
        guard secret.count >= 16 else { throw CLIError("secret file \(target) holds fewer than 16 bytes") }
        return secret
    }

    private static func create(at path: String) throws {
        let directory = (path as NSString).deletingLastPathComponent
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
