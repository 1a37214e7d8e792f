import Hashing
import DICOMCodec
import DICOMCore
import DICOMDictionary
import Dispatch
import FileSystem
import Synchronization

/// Which inputs of a de-identification run share a SOP Instance UID, and which of them get the plain new-UID
/// mapping, by a rule that does not depend on input order.
///
/// A pre-pass reads each input's header (the first ``headerBytes`` bytes, up to (0008,0018); the whole file
/// only when the header is longer or deflated). Among the inputs that share a UID — usually none — each is read
/// whole and keyed by the HMAC-SHA-256 of its bytes under the secret: the content with the lowest digest gets the
/// plain mapping, every other content a distinct UID; identical copies share a digest, so the job's
/// ``DuplicateInstancePolicy`` writes one of them and skips the others (the job digests what it reads again:
/// the pre-pass decides, the job's own digest is what its output is made from). The secret keys the digest,
/// so the choice reveals nothing about the bytes. Scope: one run. Across runs into one output folder, an input
/// whose plain name is taken by a different output gets a distinct UID at commit
/// (``OutputSettings/WhenTaken/distinctInstance``).
package struct SharedInstances: Sendable {
    /// How much of each file the pre-pass reads: file meta and the elements before (0008,0018) fit in it for
    /// almost every file.
    package static let headerBytes = 8192

    /// The inputs that take a distinct SOP Instance UID rather than the plain mapping (paths).
    package let distinct: Set<String>
    /// The inputs that share a SOP Instance UID with another input (paths).
    package let sharing: Set<String>

    /// What a pre-pass found; the default, nothing shared, is a run without one.
    package init(distinct: Set<String> = [], sharing: Set<String> = []) {
        self.distinct = distinct
        self.sharing = sharing
    }

    /// Finds the inputs that share a SOP Instance UID and chooses, per UID, the content that keeps the plain
    /// mapping. Inputs whose UID cannot be read are left to the job (which reports them).
    /// - Parameters:
    ///   - secret: keys the digests that order different contents.
    ///   - jobs: files read in parallel.
    package static func find(_ inputs: [InputScanner.Input], secret: [UInt8], jobs: Int) -> SharedInstances {
        let uids = Mutex([String?](repeating: nil, count: inputs.count))
        let workers = max(1, min(jobs, inputs.count))
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            var index = worker
            while index < inputs.count {
                let uid = sopInstanceUID(of: inputs[index].path)
                uids.withLock { $0[index] = uid }
                index += workers
            }
        }
        var byUID: [String: [Int]] = [:]
        for (index, uid) in uids.withLock({ $0 }).enumerated() {
            if let uid { byUID[uid, default: []].append(index) }
        }
        let groups = byUID.values.filter { $0.count > 1 }.map { $0.map { inputs[$0].path } }
        return decide(groups, secret: secret).shared
    }

    /// What the pre-pass decides for groups of inputs (paths, in input order) that share a SOP Instance UID:
    /// the one rule, used by a run's pre-pass and by a scale-out plan (``ScalePlanner``).
    /// - Returns: the shared instances, and for each identical copy the input it copies (the first in input order
    ///   of those with its digest: the one a single run writes).
    package static func decide(_ groups: [[String]], secret: [UInt8]) -> (shared: SharedInstances, copyOf: [String: String]) {
        var distinct = Set<String>()
        var sharing = Set<String>()
        var copyOf: [String: String] = [:]
        for paths in groups where paths.count > 1 {
            sharing.formUnion(paths)
            var digests: [(digest: [UInt8], path: String)] = []
            for path in paths {
                guard let bytes = try? FileIO.readAll(path: path) else { continue }
                digests.append((KeyedDigest.hmacSHA256(key: secret, message: bytes), path))
            }
            guard let lowest = digests.map(\.digest).min(by: { $0.lexicographicallyPrecedes($1) }) else { continue }
            var firstWith: [[UInt8]: String] = [:]
            for entry in digests {
                if entry.digest != lowest { distinct.insert(entry.path) }
                if let first = firstWith[entry.digest] { copyOf[entry.path] = first } else { firstWith[entry.digest] = entry.path }
            }
        }
        return (SharedInstances(distinct: distinct, sharing: sharing), copyOf)
    }

    /// The SOP Instance UID (0008,0018) of the file at `path`, from its header; nil when it cannot be read
    /// (not DICOM, damaged: the job says why).
    static func sopInstanceUID(of path: String) -> String? {
        sopInstanceUID(of: path, prefix: try? FileIO.readPrefix(path: path, count: headerBytes))
    }

    /// The same from the first ``headerBytes`` bytes of the file, read already (nil when they could not be).
    static func sopInstanceUID(of path: String, prefix: [UInt8]?) -> String? {
        let tag = Tag.sopInstanceUID
        if let prefix,
           let header = try? Part10Reader.readHeader(bytes: prefix, through: tag),
           !header.transferSyntax.isDeflated, let uid = header.dataSet[tag]?.string() {
            return uid
        }
        guard let file = try? Part10Reader.read(contentsOf: path) else { return nil }
        return file.dataSet[tag]?.string()
    }
}
