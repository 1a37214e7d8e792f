import CMS
import DICOMCodec
import DICOMCore
import DICOMDictionary

/// What ties an Encrypted Attributes item to the de-identified file that carries it, kept inside the encrypted
/// Modified Attributes item so that nobody can move or forge it: the de-identified SOP Instance UID and a digest
/// of the de-identified data set outside the Encrypted Attributes Sequence (0400,0500).
///
/// The re-identifier refuses an item whose SOP Instance UID is not the file's (an item copied from another
/// file: restoring it would put another patient on these pixels), and a file whose data set changed after
/// de-identification (it would not restore to the original), naming the attributes that differ.
///
/// Private creator `DICOM-DEID BINDING 1` in group 7FD1 of the Modified Attributes item, at the first block `bb`
/// the item leaves free (after the original pixels' block, when there is one):
/// ```
/// (7FD1,00bb) LO  DICOM-DEID BINDING 1
/// (7FD1,bb10) UI  SOP Instance UID of the de-identified file
/// (7FD1,bb11) OB  data set digest: SHA-256 of, for each element below in file order, its tag (group, element,
///                 16-bit little endian each) and its element digest (32 bytes)
/// (7FD1,bb12) OB  element index: for each element, its tag (as above) and the first 8 bytes of its element
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
    static let privateCreator = "DICOM-DEID BINDING 1"
    static let group: UInt16 = 0x7FD1

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

        public var isEmpty: Bool { changed.isEmpty && added.isEmpty && removed.isEmpty }

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
            let elementDigest = element.finish()
            var tag = tagBytes(e.tag)
            withUnsafeBytes(of: &tag) { whole.update($0) }
            elementDigest.withUnsafeBytes { whole.update($0) }
            var prefix: UInt64 = 0
            for i in 0..<8 { prefix |= UInt64(elementDigest[i]) << (8 * UInt64(7 - i)) }
            index.append(IndexEntry(tag: e.tag, digestPrefix: prefix))
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
    /// and Patient Identity Removed set to NO where the original had none.
    static func withoutPartialRestores(_ difference: Difference, of dataSet: DataSet, originals: DataSet) -> Difference {
        var difference = difference
        func restoredByPartialReidentification(_ tag: Tag) -> Bool {
            guard let current = dataSet[tag] else { return false }
            if let original = originals[tag] { return Self.elementDigest(current) == Self.elementDigest(original) }
            return tag == .patientIdentityRemoved && current.string() == "NO"
        }
        difference.changed.removeAll(where: restoredByPartialReidentification)
        difference.added.removeAll(where: restoredByPartialReidentification)
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
        return difference
    }

    // MARK: The private block

    /// The block's elements, placed in the first block of group 7FD1 that `modified` leaves free.
    func elements(avoiding modified: DataSet) -> [DataElement] {
        let block = (UInt16(0x10)...0xFF).first { !modified.contains(Tag(Self.group, $0)) } ?? 0xFF
        func tag(_ low: UInt16) -> Tag { Tag(Self.group, block << 8 | low) }
        var indexBytes: [UInt8] = []
        indexBytes.reserveCapacity(index.count * 12)
        for entry in index {
            indexBytes += [UInt8(entry.tag.group & 0xFF), UInt8(entry.tag.group >> 8),
                           UInt8(entry.tag.element & 0xFF), UInt8(entry.tag.element >> 8)]
            for i in 0..<8 { indexBytes.append(UInt8(truncatingIfNeeded: entry.digestPrefix >> (8 * UInt64(7 - i)))) }
        }
        return [
            DataElement(tag: Tag(Self.group, block), vr: .LO, string: Self.privateCreator),
            DataElement(tag: tag(0x10), vr: .UI, string: sopInstanceUID),
            DataElement(tag: tag(0x11), vr: .OB, bytes: digest),
            DataElement(tag: tag(0x12), vr: .OB, bytes: indexBytes),
        ]
    }

    /// The binding in `modified` and the tags of its block (not to be restored as attributes); nil when the
    /// item has none (made by another tool, or by a version of this one before bindings).
    static func read(_ modified: DataSet) throws(DeidentificationError) -> (binding: FileBinding, tags: Set<Tag>)? {
        guard let creator = modified.elements.first(where: {
            $0.tag.group == group && (0x10...0xFF).contains($0.tag.element) && $0.string() == privateCreator
        }) else { return nil }
        let block = creator.tag.element
        func tag(_ low: UInt16) -> Tag { Tag(group, block << 8 | low) }
        let tags = Set(modified.elements.map(\.tag).filter { $0 == creator.tag || ($0.group == group && $0.element >> 8 == block) })
        guard let uid = modified[tag(0x10)]?.string(), !uid.isEmpty,
              let digest = modified[tag(0x11)]?.bytes, digest.count == 32,
              let indexBytes = modified[tag(0x12)]?.bytes, indexBytes.count % 12 == 0 else {
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
        return (FileBinding(sopInstanceUID: uid, digest: Array(digest), index: index), tags)
    }
}
