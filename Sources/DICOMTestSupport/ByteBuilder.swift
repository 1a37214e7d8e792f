import DICOMCore

/// Builds DICOM byte sequences for tests, element by element, in one encoding.
///
/// ```swift
/// var b = ByteBuilder(.explicitLittle)
/// b.element(Tag(0x0008, 0x1115), "SQ", undefinedLength: true)
/// b.item(undefinedLength: true)
/// b.element(Tag(0x0020, 0x000E), "UI", "1.2.3\0")
/// b.itemEnd()
/// b.sequenceEnd()
/// ```
/// (Each call mutates the builder; the returned copy exists only for `@discardableResult` convenience.)
public struct ByteBuilder: Sendable {
    public private(set) var bytes: [UInt8] = []
    public let encoding: ElementEncoding

    public init(_ encoding: ElementEncoding) { self.encoding = encoding }

    /// An element with a value given as raw bytes.
    @discardableResult
    public mutating func element(_ tag: Tag, _ vr: String, bytes value: [UInt8]) -> ByteBuilder {
        header(tag, vr, length: UInt32(value.count))
        bytes += value
        return self
    }

    /// An element with a text value (not padded: pass an even-length string for a valid value).
    @discardableResult
    public mutating func element(_ tag: Tag, _ vr: String, _ text: String) -> ByteBuilder {
        element(tag, vr, bytes: Array(text.utf8))
    }

    /// The header of a sequence or encapsulated element of undefined (or the given) length.
    @discardableResult
    public mutating func element(_ tag: Tag, _ vr: String, undefinedLength: Bool, length: UInt32 = 0) -> ByteBuilder {
        header(tag, vr, length: undefinedLength ? 0xFFFF_FFFF : length)
        return self
    }

    /// An item header (FFFE,E000).
    @discardableResult
    public mutating func item(undefinedLength: Bool = true, length: UInt32 = 0) -> ByteBuilder {
        tag(.item)
        u32(undefinedLength ? 0xFFFF_FFFF : length)
        return self
    }

    /// An Item Delimitation Item.
    @discardableResult
    public mutating func itemEnd() -> ByteBuilder {
        tag(.itemDelimitationItem)
        u32(0)
        return self
    }

    /// A Sequence Delimitation Item.
    @discardableResult
    public mutating func sequenceEnd() -> ByteBuilder {
        tag(.sequenceDelimitationItem)
        u32(0)
        return self
    }

    /// Raw bytes, as they are.
    @discardableResult
    public mutating func raw(_ value: [UInt8]) -> ByteBuilder {
        bytes += value
        return self
    }

    /// A Part 10 prefix: 128-byte preamble, DICM and a minimal meta group for `transferSyntaxUID`.
    public static func part10Prefix(transferSyntaxUID: String, preambleByte: UInt8 = 0) -> [UInt8] {
        var meta = ByteBuilder(.explicitLittle)
        var ts = Array(transferSyntaxUID.utf8)
        if ts.count % 2 == 1 { ts.append(0) }
        meta.element(Tag(0x0002, 0x0001), "OB", bytes: [0, 1])
        meta.element(Tag(0x0002, 0x0002), "UI", "1.2.840.10008.5.1.4.1.1.7\0")
        meta.element(Tag(0x0002, 0x0003), "UI", "1.2.3.4")
        meta.element(Tag(0x0002, 0x0010), "UI", bytes: ts)
        var out = [UInt8](repeating: preambleByte, count: 128) + Array("DICM".utf8)
        var group = ByteBuilder(.explicitLittle)
        group.element(Tag(0x0002, 0x0000), "UL", bytes: le32(UInt32(meta.bytes.count)))
        out += group.bytes + meta.bytes
        return out
    }

    private mutating func header(_ tag: Tag, _ vr: String, length: UInt32) {
        self.tag(tag)
        if encoding.isExplicitVR {
            let code = VR(byte0: Array(vr.utf8)[0], byte1: Array(vr.utf8)[1])
            bytes += Array(vr.utf8)
            if code.usesLongLength {
                u16(0)
                u32(length)
            } else {
                u16(UInt16(truncatingIfNeeded: length))
            }
        } else {
            u32(length)
        }
    }

    private mutating func tag(_ tag: Tag) {
        u16(tag.group)
        u16(tag.element)
    }

    private mutating func u16(_ v: UInt16) {
        bytes += encoding.byteOrder == .littleEndian ? [UInt8(v & 0xFF), UInt8(v >> 8)] : [UInt8(v >> 8), UInt8(v & 0xFF)]
    }

    private mutating func u32(_ v: UInt32) {
        let le = ByteBuilder.le32(v)
        bytes += encoding.byteOrder == .littleEndian ? le : le.reversed()
    }

    static func le32(_ v: UInt32) -> [UInt8] {
        [UInt8(v & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v >> 16 & 0xFF), UInt8(v >> 24)]
    }
}

/// The first offset where two byte arrays differ, or nil when they are equal.
public func firstDifference(_ a: [UInt8], _ b: [UInt8]) -> Int? {
    let n = min(a.count, b.count)
    for i in 0..<n where a[i] != b[i] { return i }
    return a.count == b.count ? nil : n
}
