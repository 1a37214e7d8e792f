import FileSystem
import Hashing

/// A scale-out plan: one collection split into parts that separate processes (Slurm array tasks, Kubernetes
/// indexed pods) de-identify on their own, with the decisions a single run makes by input order taken up front
/// for the whole collection (see docs/scale-out.md). Written by ``ScalePlanner``, read by every part and by
/// the merge.
///
/// The plan folder holds `plan.json` (this manifest), `part-K.list` (each part's inputs, one per line, for
/// people and scripts; the manifest is what parts read) and, once parts run, `part-K-audit.jsonl` (each part's
/// audit log). It names input paths: keep it on this side, like an audit log.
package struct ScalePlan: Codable, Sendable, Equatable {
    /// The manifest's format; a reader refuses another.
    package static let formatName = "dicom-deid scale-out plan 1"

    package var format = ScalePlan.formatName
    /// HMAC-SHA-256 under the secret of a fixed label (``fingerprint(of:)``): tells whether a part runs with the
    /// secret the plan was made with, and reveals nothing about the secret.
    package var secretFingerprint: String
    /// How many parts.
    package var parts: Int
    /// Every input, in the order a single run would take them (its input order).
    package var inputs: [PlannedInput]

    package init(secretFingerprint: String, parts: Int, inputs: [PlannedInput]) {
        self.secretFingerprint = secretFingerprint
        self.parts = parts
        self.inputs = inputs
    }

    /// One input and what the plan decided for it.
    package struct PlannedInput: Codable, Sendable, Equatable {
        /// The path as the run names it (reports, audit log).
        package var path: String
        /// Its path relative to its input folder (what `--keep-layout` mirrors).
        package var relativePath: String
        /// Named on the command line or in a list, not found in a folder.
        package var named: Bool
        /// Size and modification time (nanoseconds) when planned: a part refuses a file that changed since.
        package var size: Int64
        package var modified: Int64
        /// The part that runs it (0-based).
        package var part: Int
        /// Shares its SOP Instance UID with other inputs: the part digests it as it reads it.
        package var sharing: Bool?
        /// Takes a distinct new SOP Instance UID (another content with its UID has the lowest keyed digest).
        package var distinct: Bool?
        /// A byte-identical copy of this earlier input: not written, its record says so (decided by the part's
        /// commit policy; both are in one part, in this order).
        package var copyOf: String?

        package init(path: String, relativePath: String, named: Bool, size: Int64, modified: Int64, part: Int,
                     sharing: Bool? = nil, distinct: Bool? = nil, copyOf: String? = nil) {
            self.path = path
            self.relativePath = relativePath
            self.named = named
            self.size = size
            self.modified = modified
            self.part = part
            self.sharing = sharing
            self.distinct = distinct
            self.copyOf = copyOf
        }
    }

    /// The manifest's file name in the plan folder.
    package static let manifestName = "plan.json"

    /// The fingerprint of `secret`: hex HMAC-SHA-256 of a fixed label.
    package static func fingerprint(of secret: [UInt8]) -> String {
        KeyedDigest.hmacSHA256(key: secret, message: Array("dicom-deid scale-out plan: secret fingerprint".utf8))
            .map { String($0, radix: 16).leftPadded(to: 2) }.joined()
    }

    /// The list of part `part` in the plan folder `folder`.
    package static func listPath(_ folder: String, part: Int) -> String { folder + "/part-\(part).list" }

    /// The audit log of part `part` in the plan folder `folder`.
    package static func auditLogPath(_ folder: String, part: Int) -> String { folder + "/part-\(part)-audit.jsonl" }

    /// The inputs of part `part`, in plan order.
    package func inputs(ofPart part: Int) -> [PlannedInput] { inputs.filter { $0.part == part } }

    /// The manifest as written: JSON, keys sorted, one input per line (diffable, the same bytes for the same plan).
    /// Built by hand in one byte buffer, the bytes `JSONEncoder` writes for this `Codable` form with sorted keys
    /// and unescaped slashes (tested): at 5,000 inputs the encoder was a tenth of planning, and at a million
    /// inputs the manifest is hundreds of MB.
    package func encoded() -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(128 + inputs.count * 160)
        bytes += "{\"format\":".utf8
        ScalePlanJSON.appendString(format, to: &bytes)
        bytes += ",\"parts\":\(parts),\"secretFingerprint\":".utf8
        ScalePlanJSON.appendString(secretFingerprint, to: &bytes)
        bytes += ",\"inputs\":[\n".utf8
        for (index, input) in inputs.enumerated() {
            ScalePlanJSON.append(input, to: &bytes)
            if index < inputs.count - 1 { bytes.append(UInt8(ascii: ",")) }
            bytes.append(UInt8(ascii: "\n"))
        }
        bytes += "]}\n".utf8
        return bytes
    }

    /// Writes the plan into `folder` (made, mode 0700: it names input paths): every part list, then the manifest
    /// last, each atomically, so a folder with a manifest holds a whole plan.
    /// - Throws: ``JobError`` when the folder holds a plan already or a file cannot be written.
    package func write(to folder: String) throws(JobError) {
        let manifest = folder + "/" + Self.manifestName
        if FileIO.exists(manifest) {
            throw JobError(.plan, "\(folder) holds a plan already; choose an empty folder (nothing written)")
        }
        do {
            try FileIO.makeDirectories(folder, mode: 0o700)
            var lists = [[UInt8]](repeating: [], count: parts)
            for input in inputs {
                lists[input.part] += input.path.utf8
                lists[input.part].append(UInt8(ascii: "\n"))
            }
            for part in 0..<parts {
                try FileIO.writeAtomically(lists[part], to: Self.listPath(folder, part: part), overwrite: true,
                                           mode: 0o600, prefix: Self.temporaryPrefix)
            }
            lists = []
            try FileIO.writeAtomically(encoded(), to: manifest, overwrite: false, mode: 0o600, prefix: Self.temporaryPrefix)
        } catch {
            throw JobError(.plan, "cannot write the plan into \(folder): \(error)")
        }
    }

    /// Reads the plan in `folder`.
    /// - Throws: ``JobError`` when there is none or it is not a plan of this format.
    package static func read(from folder: String) throws(JobError) -> ScalePlan {
        let path = folder + "/" + manifestName
        let bytes: [UInt8]
        do { bytes = try FileIO.readAll(path: path) } catch {
            throw JobError(.plan, "no plan in \(folder): \(error)")
        }
        guard let plan = try? ScalePlanJSON.plan(bytes), plan.format == formatName,
              plan.parts >= 1, plan.inputs.allSatisfy({ (0..<plan.parts).contains($0.part) }) else {
            throw JobError(.plan, "\(path) is not a plan of this version (\(formatName))")
        }
        try plan.checkClaims(path)
        return plan
    }

    /// Refuses a plan in which two parts claim the same output: an input named by two parts (both would write
    /// it), or an identical copy in another part than its original (both parts would write the content). A plan
    /// as ``ScalePlanner`` writes it has neither; an edited or concatenated one may.
    /// - Throws: ``JobError`` naming the first such input, one line.
    func checkClaims(_ path: String) throws(JobError) {
        var partOf: [String: Int] = [:]
        partOf.reserveCapacity(inputs.count)
        for input in inputs {
            if let other = partOf.updateValue(input.part, forKey: input.path), other != input.part {
                throw JobError(.plan, "\(path): \(input.path) is planned in parts \(min(other, input.part)) and \(max(other, input.part)), which would both write its output; plan again (nothing written)")
            }
            if let original = input.copyOf, partOf[original] != input.part {
                throw JobError(.plan, "\(path): \(input.path) is planned in part \(input.part) as a copy of \(original), which is \(partOf[original].map { "in part \($0)" } ?? "not planned before it"): the two parts would both write the content; plan again (nothing written)")
            }
        }
    }

    /// Refuses a secret other than the plan's.
    /// - Throws: ``JobError``, one line.
    package func check(secret: [UInt8], folder: String) throws(JobError) {
        guard Self.fingerprint(of: secret) == secretFingerprint else {
            throw JobError(.plan, "the plan in \(folder) was made with another secret; use the plan's secret or plan again (nothing written)")
        }
    }

    /// Refuses inputs of part `part` that changed since planning (size or modification time) or are gone: the
    /// plan's decisions about them may no longer hold.
    /// - Throws: ``JobError`` naming the first such file.
    package func checkUnchanged(part: Int) throws(JobError) {
        for input in inputs where input.part == part {
            guard let stamp = FileIO.stamp(of: input.path) else {
                throw JobError(.plan, "\(input.path): planned input is gone; plan again (nothing written)")
            }
            guard stamp == FileStamp(size: input.size, modified: input.modified) else {
                throw JobError(.plan, "\(input.path): changed since planning (size or modification time); plan again (nothing written)")
            }
        }
    }

    /// The temporaries of the plan's atomic writes.
    static let temporaryPrefix = ".plan-tmp-"
}

extension String {
    /// The string with `0`s in front up to `width` characters.
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
