import Hashing
import DICOMCodec
import DICOMCore
import DICOMDictionary

/// What ties an Encrypted Attributes item to the de-identified file that carries it, kept inside the encryption
/// so that nobody can move or forge it without the key: the de-identified SOP Instance UID and a digest of the
/// de-identified data set outside the Encrypted Attributes Sequence (0400,0500).
///
/// The re-identifier refuses an item whose SOP Instance UID is not the file's (an item copied from another
/// file: restoring it would put another patient on these pixels), and a file whose data set changed after
/// de-identification (it would not restore to the original), naming the attributes that differ.
///
/// In the encrypted content, beside the Modified Attributes Sequence (not in its item, which also holds the
/// input's own private elements), in the private block `DICOM-DEID 1.0` of ``EncryptedAttributes``:
/// ```
/// (0401,1003) UI  SOP Instance UID of the de-identified file
/// (0401,1004) OB  data set digest: SHA-256 of, for each element below in file order, its tag (group, element,
///                 16-bit little endian each) and its element digest (32 bytes)
/// (0401,1005) OB  element index: for each element, its tag (as above) and the first 8 bytes of its element
///                 digest, 12 bytes each (to name what changed)
/// ```
/// The elements are the top-level elements of the de-identified data set except (0400,0500) and group lengths
/// (gggg,0000). An element digest is SHA-256 of the element's tag and value, VR left out: bytes as stored
/// (`B`, 64-bit length, bytes), a sequence (`S`, item count, then per item `I`, element count and each element
/// the same way), encapsulated fragments (`F`, count, then per fragment its 64-bit length and bytes); numbers
/// little endian. So a file rewritten with explicit instead of implicit VR, or with other item lengths, still
/// matches; any changed value, or an element added or removed, does not. Values are hashed in the byte order
/// of the file: a file transcoded to big endian does not match.
public struct FileBinding: Sendable, Equatable {
    static let uidTag = Tag(0x0401, 0x1003)
    static let digestTag = Tag(0x0401, 0x1004)
    static let indexTag = Tag(0x0401, 0x1005)

    /// SOP Instance UID of the de-identified file.
    public var sopInstanceUID: String
    /// The data set digest (32 bytes).
    public var digest: [UInt8]
    /// Per element, its tag and the first 8 bytes of its digest.
    public var index: [IndexEntry]

    public struct IndexEntry: Sendable, Equatable {
        public var tag: Tag
        public var digestPrefix: UInt64
    }

    /// How a file differs from the one the item was made for.
    public struct Difference: Sendable, Equatable, CustomStringConvertible {
        public var changed: [Tag] = []
        public var added: [Tag] = []
        public var removed: [Tag] = []
        /// The data set digest differs but no index entry names a change (a change the 8-byte prefixes miss).
        var unnamed = false

        /// Nothing differs, or only what a partial restore put back.
        public var isEmpty: Bool { changed.isEmpty && added.isEmpty && removed.isEmpty && !unnamed }

        /// "(0008,0060) changed, (0010,1010) removed", the first few of each kind (tags only, never values).
        public var description: String {
            var parts: [String] = []
            func list(_ tags: [Tag], _ verb: String) {
                guard !tags.isEmpty else { return }
                let shown = tags.prefix(6).map(\.description).joined(separator: " ")
                parts.append("\(verb) \(shown)" + (tags.count > 6 ? " and \(tags.count - 6) more" : ""))
            }
            list(changed, "changed")
            list(removed, "removed")
            list(added, "added")
            return parts.isEmpty ? "the data set digest differs" : parts.joined(separator: "; ")
        }

        /// Every tag named, for audit records.
        public var tags: [Tag] { changed + removed + added }
    }

    /// The binding of `dataSet`, the de-identified data set as it will be written.
    public init(dataSet: DataSet, sopInstanceUID: String) {
        self.sopInstanceUID = sopInstanceUID
        (digest, index) = Self.digests(of: dataSet)
    }

    init(sopInstanceUID: String, digest: [UInt8], index: [IndexEntry]) {
        self.sopInstanceUID = sopInstanceUID
        self.digest = digest
        self.index = index
    }

    /// Whether `tag` is left out of the binding.
    static func isExcluded(_ tag: Tag) -> Bool {
        tag == .encryptedAttributesSequence || tag.element == 0x0000
    }

    /// The data set digest and element index of `dataSet`.
    static func digests(of dataSet: DataSet) -> (digest: [UInt8], index: [IndexEntry]) {
        var element = StreamingDigest()
        var whole = StreamingDigest()
        var index: [IndexEntry] = []
        index.reserveCapacity(dataSet.count)
        for e in dataSet.elements where !isExcluded(e.tag) {
            hash(e, into: &element)
            let elementDigest = element.finishInline()   // no array per element
            var tag = tagBytes(e.tag)
            withUnsafeBytes(of: &tag) { whole.update($0) }
            elementDigest.withUnsafeBytes { whole.update($0) }
            index.append(IndexEntry(tag: e.tag, digestPrefix: elementDigest.leadingUInt64))
        }
        return (whole.finish(), index)
    }

    /// The tag as 4 little-endian bytes (group, element).
    private static func tagBytes(_ tag: Tag) -> UInt32 {
        (UInt32(tag.element) << 16 | UInt32(tag.group)).littleEndian
    }

    /// Adds the element's tag (when given), a marker byte and a 64-bit little-endian count, in one update.
    private static func header(_ tag: Tag?, _ marker: UInt8, _ count: Int, into digest: inout StreamingDigest) {
        var buffer: (UInt64, UInt64) = (0, 0)
        withUnsafeMutableBytes(of: &buffer) { out in
            var n = 0
            if let tag {
                out.storeBytes(of: tagBytes(tag), toByteOffset: 0, as: UInt32.self)
                n = 4
            }
            out[n] = marker
            out.storeBytes(of: UInt64(count).littleEndian, toByteOffset: n + 1, as: UInt64.self)
            digest.update(UnsafeRawBufferPointer(rebasing: out[0..<(n + 9)]))
        }
    }

    private static func hash(_ element: DataElement, into digest: inout StreamingDigest) {
        switch element.value {
        case .bytes(let bytes):
            header(element.tag, UInt8(ascii: "B"), bytes.count, into: &digest)
            digest.update(bytes)
        case .sequence(let sequence):
            header(element.tag, UInt8(ascii: "S"), sequence.items.count, into: &digest)
            for item in sequence.items {
                header(nil, UInt8(ascii: "I"), item.dataSet.count, into: &digest)
                for nested in item.dataSet.elements { hash(nested, into: &digest) }
            }
        case .fragments(let fragments):
            header(element.tag, UInt8(ascii: "F"), fragments.items.count, into: &digest)
            for fragment in fragments.items {
                var length = UInt64(fragment.count).littleEndian
                withUnsafeBytes(of: &length) { digest.update($0) }
                digest.update(fragment)
            }
        }
    }

    /// `difference` of `dataSet` without the changes a partial re-identification (`--only`) makes: an attribute
    /// whose value is now the original the item holds (`originals`, Modified Attributes in the file's byte order),
    /// and Patient Identity Removed NO where the original had none or a name or ID of the patient came back
    /// (`originalsHoldIdentityRemoved`: the original had one, as a second de-identification's does).
    static func withoutPartialRestores(_ difference: Difference, of dataSet: DataSet, originals: DataSet,
                                       originalsHoldIdentityRemoved: Bool) -> Difference {
        var difference = difference
        func sameAsOriginal(_ tag: Tag) -> Bool {
            guard let current = dataSet[tag], let original = originals[tag] else { return false }
            return Self.elementDigest(current) == Self.elementDigest(original)
        }
        func restoredByPartialReidentification(_ tag: Tag) -> Bool {
            if tag == .patientIdentityRemoved, dataSet[tag]?.string() == "NO" {
                if sameAsOriginal(tag) || !originalsHoldIdentityRemoved { return true }
                return (difference.changed + difference.added).contains {
                    PatientIdentifyingAttributes.tags.contains($0) && sameAsOriginal($0)
                }
            }
            return sameAsOriginal(tag)
        }
        let changed = difference.changed.filter { !restoredByPartialReidentification($0) }
        let added = difference.added.filter { !restoredByPartialReidentification($0) }
        difference.changed = changed
        difference.added = added
        return difference
    }

    /// The digest of one element, as the index takes it.
    static func elementDigest(_ element: DataElement) -> [UInt8] {
        var digest = StreamingDigest()
        hash(element, into: &digest)
        return digest.finish()
    }

    /// How `dataSet` differs from the data set this binding was made from; empty when it is the same.
    public func difference(from dataSet: DataSet) -> Difference {
        let current = Self.digests(of: dataSet)
        guard current.digest != digest else { return Difference() }
        var difference = Difference()
        let old = Dictionary(index.map { ($0.tag, $0.digestPrefix) }, uniquingKeysWith: { first, _ in first })
        let new = Dictionary(current.index.map { ($0.tag, $0.digestPrefix) }, uniquingKeysWith: { first, _ in first })
        for entry in current.index {
            if let before = old[entry.tag] {
                if before != entry.digestPrefix { difference.changed.append(entry.tag) }
            } else {
                difference.added.append(entry.tag)
            }
        }
        difference.removed = index.map(\.tag).filter { new[$0] == nil }
        // The index only names what changed; a digest that differs while no entry does is a change all the same.
        difference.unnamed = difference.changed.isEmpty && difference.added.isEmpty && difference.removed.isEmpty
        return difference
    }

    // MARK: In the encrypted content

    /// The elements beside the Modified Attributes Sequence (the block's creator is written with them).
    public func elements() -> [DataElement] {
        var indexBytes: [UInt8] = []
        indexBytes.reserveCapacity(index.count * 12)
        for entry in index {
            indexBytes += [UInt8(entry.tag.group & 0xFF), UInt8(entry.tag.group >> 8),
                           UInt8(entry.tag.element & 0xFF), UInt8(entry.tag.element >> 8)]
            for i in 0..<8 { indexBytes.append(UInt8(truncatingIfNeeded: entry.digestPrefix >> (8 * UInt64(7 - i)))) }
        }
        return [
            DataElement(tag: Self.uidTag, vr: .UI, string: sopInstanceUID),
            DataElement(tag: Self.digestTag, vr: .OB, bytes: digest),
            DataElement(tag: Self.indexTag, vr: .OB, bytes: indexBytes),
        ]
    }

    /// The binding in the decrypted `content` (the data set holding the Modified Attributes Sequence); nil when
    /// it has none (made by another tool, or by a version of this one before bindings).
    static func read(_ content: DataSet) throws(DeidentificationError) -> FileBinding? {
        guard content.privateCreator(of: uidTag) == EncryptedAttributes.privateCreator,
              content.contains(uidTag) || content.contains(digestTag) || content.contains(indexTag) else { return nil }
        guard let uid = content[uidTag]?.string(), !uid.isEmpty,
              let digest = content[digestTag]?.bytes, digest.count == 32,
              let indexBytes = content[indexTag]?.bytes, indexBytes.count % 12 == 0 else {
            throw DeidentificationError(.invalidModifiedAttributes, "the binding to the de-identified file is incomplete")
        }
        var index: [IndexEntry] = []
        index.reserveCapacity(indexBytes.count / 12)
        var i = indexBytes.startIndex
        while i < indexBytes.endIndex {
            let group = UInt16(indexBytes[i]) | UInt16(indexBytes[i + 1]) << 8
            let element = UInt16(indexBytes[i + 2]) | UInt16(indexBytes[i + 3]) << 8
            var prefix: UInt64 = 0
            for k in 0..<8 { prefix |= UInt64(indexBytes[i + 4 + k]) << (8 * UInt64(7 - k)) }
            index.append(IndexEntry(tag: Tag(group, element), digestPrefix: prefix))
            i += 12
        }
        return FileBinding(sopInstanceUID: uid, digest: Array(digest), index: index)
    }
}
