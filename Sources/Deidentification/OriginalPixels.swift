import DICOMCodec
import DICOMCore
import PixelData

/// The original pixel bytes a `--clean-pixel-data` cleaning overwrote, kept inside the (encrypted) Modified
/// Attributes item as a private block, so that re-identification restores Pixel Data byte for byte without the
/// whole Pixel Data being copied.
///
/// Private creator `DICOM-DEID ORIGINAL PIXELS 1` in group 7FD1, at the first block `bb` wholly free in the item
/// (normally (7FD1,0010), so `bb` = 10); (0401,1006) beside the sequence names the creator's tag:
/// ```
/// (7FD1,00bb) LO  DICOM-DEID ORIGINAL PIXELS 1
/// (7FD1,bb10) SQ  Pixel Patch Sequence, one item per patch, in the order made (restored last first):
///     (7FD1,00bb) LO  the creator again (each item is a data set of its own)
///     (7FD1,bb11) UL  frame (0-based)
///     native Pixel Data:
///     (7FD1,bb12) UL  offset \ length \ stride \ count: count runs of length bytes, the first at byte offset of
///                     the Pixel Data value, each next one stride bytes further
///     (7FD1,bb13) OB  the original bytes of the runs, one after the other
///     encapsulated Pixel Data:
///     (7FD1,bb14) UL  first \ count: the fragments of the cleaned Pixel Data that replaced the frame's
///                     (0-based, the Basic Offset Table item not counted)
///     (7FD1,bb15) UL  the lengths of the frame's original fragments
///     (7FD1,bb13) OB  the original fragments, one after the other
/// (7FD1,bb20) OB  the original Basic Offset Table, when the cleaning changed it (encapsulated only)
/// ```
/// Numbers are in the byte order of the data set, as every other element of the item.
enum OriginalPixels {
    static let privateCreator = "DICOM-DEID ORIGINAL PIXELS 1"
    static let group: UInt16 = 0x7FD1

    /// The block's elements for `patches`, placed in the first block of group 7FD1 that `modified` leaves free.
    /// The creator comes first; the encrypted content names its tag (``EncryptedAttributes``), so that the input's
    /// own group 7FD1 elements in the item are never taken for it.
    /// - Throws: ``DeidentificationError`` when the item leaves no block of group 7FD1 free.
    static func elements(patches: [PixelPatch], originalOffsetTable: [UInt8]?, avoiding modified: DataSet,
                         order: ByteOrder) throws(DeidentificationError) -> [DataElement] {
        // A block is free when neither its creator slot nor any of its 256 elements is taken.
        let taken = Set(modified.elements.lazy.filter { $0.tag.group == group }
            .map { $0.tag.element < 0x100 ? $0.tag.element : $0.tag.element >> 8 })
        guard let block = (UInt16(0x10)...0xFF).first(where: { !taken.contains($0) }) else {
            throw DeidentificationError(.encodingFailed, "no private block of group 7FD1 is free for the original pixels")
        }
        let creator = DataElement(tag: Tag(group, block), vr: .LO, string: privateCreator)
        func tag(_ low: UInt16) -> Tag { Tag(group, block << 8 | low) }
        func ul(_ values: [Int]) -> [UInt8] {
            values.flatMap { ValueEncoding.ul(UInt32(truncatingIfNeeded: $0), order: order) }
        }
        let items = patches.map { patch -> Item in
            var elements = [creator, DataElement(tag: tag(0x11), vr: .UL, bytes: ul([patch.frame]))]
            switch patch.content {
            case .native(let offset, let length, let stride, let count, let bytes):
                elements.append(DataElement(tag: tag(0x12), vr: .UL, bytes: ul([offset, length, stride, count])))
                elements.append(DataElement(tag: tag(0x13), vr: .OB, bytes: ValuePadding.padded(bytes, for: .OB)))
            case .encapsulated(let fragments, let output):
                elements.append(DataElement(tag: tag(0x13), vr: .OB, bytes: ValuePadding.padded(fragments.flatMap { $0 }, for: .OB)))
                elements.append(DataElement(tag: tag(0x14), vr: .UL, bytes: ul([output.lowerBound, output.count])))
                elements.append(DataElement(tag: tag(0x15), vr: .UL, bytes: ul(fragments.map(\.count))))
            }
            return Item(dataSet: DataSet(elements.sorted { $0.tag < $1.tag }))
        }
        var blockElements = [creator, DataElement(tag: tag(0x10), vr: .SQ, value: .sequence(SequenceOfItems(items: items)))]
        if let originalOffsetTable {
            blockElements.append(DataElement(tag: tag(0x20), vr: .OB, bytes: originalOffsetTable))
        }
        return blockElements
    }

    /// The saved patches and offset table of `modified` (little endian, as the re-identifier holds it), and the
    /// tags of the block (not to be restored as attributes); nil when the item has no such block.
    /// - Parameter creator: the block's creator tag as the encrypted content names it; nil for items made before
    ///   it was named (then the first block with this creator is taken).
    static func read(_ modified: DataSet, creator named: Tag?) throws(DeidentificationError) -> (patches: [PixelPatch], offsetTable: [UInt8]?, tags: Set<Tag>)? {
        let found: DataElement?
        if let named {
            guard let element = modified[named], named.group == group, element.string() == privateCreator else {
                throw DeidentificationError(.invalidModifiedAttributes, "saved original pixels: their block is not where the content says")
            }
            found = element
        } else {
            found = modified.elements.first(where: {
                $0.tag.group == group && (0x10...0xFF).contains($0.tag.element) && $0.string() == privateCreator
            })
        }
        guard let creator = found else { return nil }
        let block = creator.tag.element
        func tag(_ low: UInt16) -> Tag { Tag(group, block << 8 | low) }
        let tags = Set(modified.elements.map(\.tag).filter { $0 == creator.tag || ($0.group == group && $0.element >> 8 == block) })
        func invalid(_ why: String) -> DeidentificationError {
            DeidentificationError(.invalidModifiedAttributes, "saved original pixels: \(why)")
        }
        func uls(_ item: DataSet, _ low: UInt16) -> [Int] {
            guard let bytes = item[tag(low)]?.bytes else { return [] }
            return stride(from: bytes.startIndex, to: bytes.endIndex - 3, by: 4).map { i in
                Int(bytes[i]) | Int(bytes[i + 1]) << 8 | Int(bytes[i + 2]) << 16 | Int(bytes[i + 3]) << 24
            }
        }
        var patches: [PixelPatch] = []
        for (index, item) in (modified[tag(0x10)]?.sequence?.items ?? []).enumerated() {
            let ds = item.dataSet
            guard let frame = uls(ds, 0x11).first, let bytes = ds[tag(0x13)]?.bytes.map(Array.init) else {
                throw invalid("patch \(index + 1) lacks its frame or bytes")
            }
            let run = uls(ds, 0x12), output = uls(ds, 0x14), lengths = uls(ds, 0x15)
            if run.count == 4 {
                let (used, overflow) = run[1].multipliedReportingOverflow(by: run[3])
                guard !overflow, used <= bytes.count else { throw invalid("patch \(index + 1) has \(bytes.count) bytes for \(used)") }
                patches.append(PixelPatch(frame: frame, content: .native(offset: run[0], length: run[1], stride: run[2],
                                                                         count: run[3], bytes: Array(bytes.prefix(used)))))
            } else if output.count == 2, lengths.allSatisfy({ $0 >= 0 }), (bytes.count - 1...bytes.count).contains(lengths.reduce(0, +)) {
                var fragments: [[UInt8]] = []
                var start = 0
                for length in lengths {
                    fragments.append(Array(bytes[start..<start + length]))
                    start += length
                }
                patches.append(PixelPatch(frame: frame, content: .encapsulated(originalFragments: fragments,
                                                                               outputFragments: output[0]..<output[0] + output[1])))
            } else {
                throw invalid("patch \(index + 1) is neither native runs nor fragments")
            }
        }
        return (patches, modified[tag(0x20)]?.bytes.map(Array.init), tags)
    }

    /// Puts the original pixels back into the Pixel Data element of `dataSet`.
    static func restore(_ dataSet: inout DataSet, patches: [PixelPatch], offsetTable: [UInt8]?) throws(DeidentificationError) {
        guard var element = dataSet[.pixelData] else {
            throw DeidentificationError(.invalidModifiedAttributes, "saved original pixels but no Pixel Data (7FE0,0010)")
        }
        switch element.value {
        case .bytes(let value):
            var bytes = Array(value)
            do {
                try NativeRedaction.restore(&bytes, patches: patches)
            } catch {
                throw DeidentificationError(.invalidModifiedAttributes, "saved original pixels do not fit", cause: error)
            }
            element.value = .bytes(bytes[...])
        case .fragments(let fragments):
            guard let table = fragments.items.first else {
                throw DeidentificationError(.invalidModifiedAttributes, "Pixel Data has no Basic Offset Table item")
            }
            let current = Array(fragments.items.dropFirst())
            var replacements: [Int: (end: Int, originals: [[UInt8]])] = [:]
            for patch in patches {
                guard case .encapsulated(let originals, let range) = patch.content, range.lowerBound >= 0,
                      range.upperBound <= current.count else {
                    throw DeidentificationError(.invalidModifiedAttributes,
                                                "saved fragments of frame \(patch.frame + 1) do not fit the Pixel Data")
                }
                replacements[range.lowerBound] = (range.upperBound, originals)
            }
            var restored: [ArraySlice<UInt8>] = [offsetTable.map { $0[...] } ?? table]
            var index = 0
            while index < current.count {
                if let replacement = replacements[index] {
                    restored += replacement.originals.map { $0[...] }
                    index = max(replacement.end, index + 1)
                } else {
                    restored.append(current[index])
                    index += 1
                }
            }
            element.value = .fragments(Fragments(items: restored))
        case .sequence:
            throw DeidentificationError(.invalidModifiedAttributes, "Pixel Data (7FE0,0010) is a sequence")
        }
        dataSet.set(element)
    }
}
