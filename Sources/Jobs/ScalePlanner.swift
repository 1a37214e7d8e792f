import DICOMCodec
import DICOMCore
import DICOMDictionary
import FileSystem
import Synchronization

/// Makes a ``ScalePlan``: reads each input's header once — the first ``SharedInstances/headerBytes`` bytes, up
/// to the Study Instance UID, more only for a longer header or a deflated file; never the pixel data — and
/// decides for the whole collection what a single run decides by input order:
/// - inputs sharing a SOP Instance UID: which content keeps the plain mapping and which are identical copies
///   (``SharedInstances/decide(_:secret:)``, the rule of a single run);
/// - parts: the instances of one study in one part, and every input sharing a SOP Instance UID in one part (so
///   the part's commit policy sees the copies in the order a single run does); whole groups are given, largest
///   first, to the part with the fewest files so far (ties to the lowest part).
/// The plan depends only on the inputs (their order, headers, sizes and times), the secret and the number of
/// parts.
package enum ScalePlanner {
    /// A header bigger than ``SharedInstances/headerBytes`` is read up to this many bytes before the whole file.
    static let longHeaderBytes = 1 << 20

    /// The plan for `inputs` (in the order a single run takes them) in `parts` parts.
    /// - Parameters:
    ///   - secret: keys the digests that order different contents sharing a UID; its fingerprint goes in the plan.
    ///   - jobs: headers read in parallel.
    /// - Throws: ``JobError`` when an input cannot be looked at, or a path holds a line break (the part lists
    ///   are line-separated).
    package static func plan(_ inputs: [InputScanner.Input], parts: Int, secret: [UInt8], jobs: Int) throws(JobError) -> ScalePlan {
        let headers = Mutex([Header?](repeating: nil, count: inputs.count))
        let workers = max(1, min(jobs, inputs.count))
        WorkerThreads.run(workers) { worker in
            var index = worker
            while index < inputs.count {
                let header = Header.read(inputs[index].path)
                headers.withLock { $0[index] = header }
                index += workers
            }
        }
        let read = headers.withLock { $0 }
        var planned: [ScalePlan.PlannedInput] = []
        planned.reserveCapacity(inputs.count)
        for (index, input) in inputs.enumerated() {
            // Bytes, not characters: a "\r\n" pair is one Character, which contains("\n") does not match.
            guard !input.path.utf8.contains(UInt8(ascii: "\n")) else {
                throw JobError(.plan, "\(input.path.debugDescription): a path with a line break cannot be planned")
            }
            guard let header = read[index], let stamp = header.stamp else {
                throw JobError(.plan, "\(input.path): cannot be looked at (gone or unreadable); nothing written")
            }
            planned.append(ScalePlan.PlannedInput(path: input.path, relativePath: input.relativePath, named: input.isNamed,
                                                  size: stamp.size, modified: stamp.modified, part: 0))
        }

        // Inputs sharing a SOP Instance UID: one decision for the collection.
        var bySOP: [String: [Int]] = [:]
        for (index, header) in read.enumerated() {
            if let uid = header?.sopInstanceUID { bySOP[uid, default: []].append(index) }
        }
        let sharingGroups = bySOP.values.filter { $0.count > 1 }.sorted { $0[0] < $1[0] }
        let decided = SharedInstances.decide(sharingGroups.map { $0.map { inputs[$0].path } }, secret: secret)
        for index in planned.indices {
            let path = planned[index].path
            if decided.shared.sharing.contains(path) { planned[index].sharing = true }
            if decided.shared.distinct.contains(path) { planned[index].distinct = true }
            planned[index].copyOf = decided.copyOf[path]
        }

        // Groups: one study, joined with any group holding an input of the same SOP Instance UID.
        var groups = UnionFind(count: inputs.count)
        var firstOfStudy: [String: Int] = [:]
        for (index, header) in read.enumerated() {
            guard let study = header?.studyInstanceUID else { continue }
            if let first = firstOfStudy[study] { groups.join(first, index) } else { firstOfStudy[study] = index }
        }
        for indices in sharingGroups { for index in indices.dropFirst() { groups.join(indices[0], index) } }
        var members: [Int: [Int]] = [:]
        for index in 0..<inputs.count { members[groups.root(index), default: []].append(index) }
        let ordered = members.values.sorted { $0.count != $1.count ? $0.count > $1.count : $0[0] < $1[0] }
        var load = [Int](repeating: 0, count: parts)
        for group in ordered {
            let part = load.indices.min { load[$0] != load[$1] ? load[$0] < load[$1] : $0 < $1 } ?? 0
            load[part] += group.count
            for index in group { planned[index].part = part }
        }
        return ScalePlan(secretFingerprint: ScalePlan.fingerprint(of: secret), parts: parts, inputs: planned)
    }

    /// What planning reads of one input.
    struct Header: Sendable {
        var stamp: FileStamp?
        var sopInstanceUID: String?
        var studyInstanceUID: String?

        /// Reads the header of `path`: the SOP Instance UID exactly as a single run's pre-pass does
        /// (``SharedInstances/sopInstanceUID(of:prefix:)``), the Study Instance UID from the same bytes, else
        /// from a longer prefix, else from the whole file (deflated).
        static func read(_ path: String) -> Header {
            // The stamp from the open file (one path lookup for both); from the path when it cannot be read,
            // so that an unreadable input is planned (and fails in its part) as a single run would take it.
            var header = Header()
            let prefix: [UInt8]?
            if let read = try? FileIO.readPrefixAndStamp(path: path, count: SharedInstances.headerBytes) {
                header.stamp = read.stamp
                prefix = read.bytes
            } else {
                header.stamp = FileIO.stamp(of: path)
                prefix = nil
            }
            // The usual case in one parse: the SOP Instance UID (0008,0018) comes before the Study Instance UID
            // (0020,000D), so a parse through the latter holds both, as the pre-pass's parse would read them.
            if let prefix, let parsed = try? Part10Reader.readHeader(bytes: prefix, through: .studyInstanceUID),
               !parsed.transferSyntax.isDeflated, let sop = parsed.dataSet[.sopInstanceUID]?.string(),
               let study = parsed.dataSet[.studyInstanceUID]?.string() {
                header.sopInstanceUID = sop
                header.studyInstanceUID = study
                return header
            }
            header.sopInstanceUID = SharedInstances.sopInstanceUID(of: path, prefix: prefix)
            header.studyInstanceUID = studyInstanceUID(prefix)
            if header.studyInstanceUID == nil, let prefix, prefix.count == SharedInstances.headerBytes {
                header.studyInstanceUID = studyInstanceUID(try? FileIO.readPrefix(path: path, count: longHeaderBytes))
                if header.studyInstanceUID == nil, header.sopInstanceUID != nil,
                   let file = try? Part10Reader.read(contentsOf: path) {
                    header.studyInstanceUID = file.dataSet[.studyInstanceUID]?.string()
                }
            }
            return header
        }

        private static func studyInstanceUID(_ prefix: [UInt8]?) -> String? {
            guard let prefix, let header = try? Part10Reader.readHeader(bytes: prefix, through: .studyInstanceUID),
                  !header.transferSyntax.isDeflated else { return nil }
            return header.dataSet[.studyInstanceUID]?.string()
        }
    }
}

/// Disjoint sets of indices (union by size, path halving): the planner's groups.
struct UnionFind {
    private var parent: [Int]
    private var size: [Int]

    init(count: Int) {
        parent = Array(0..<count)
        size = [Int](repeating: 1, count: count)
    }

    mutating func root(_ index: Int) -> Int {
        var index = index
        while parent[index] != index {
            parent[index] = parent[parent[index]]
            index = parent[index]
        }
        return index
    }

    mutating func join(_ a: Int, _ b: Int) {
        var a = root(a), b = root(b)
        guard a != b else { return }
        if size[a] < size[b] { swap(&a, &b) }
        parent[b] = a
        size[a] += size[b]
    }
}
