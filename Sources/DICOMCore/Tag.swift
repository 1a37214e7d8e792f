/// A DICOM attribute tag: group and element number (PS3.5 7.1).
///
/// Printed as `(gggg,eeee)` in upper-case hexadecimal. Ordering is the order PS3.5 7.1 requires
/// of elements in a data set: by group, then by element.
public struct Tag: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let group: UInt16
    public let element: UInt16

    /// Creates a tag from its group and element numbers.
    @inlinable
    public init(_ group: UInt16, _ element: UInt16) {
        self.group = group
        self.element = element
    }

    /// Creates a tag from the 32-bit value `gggg_eeee`.
    @inlinable
    public init(_ combined: UInt32) {
        self.group = UInt16(truncatingIfNeeded: combined >> 16)
        self.element = UInt16(truncatingIfNeeded: combined)
    }

    /// The tag as `gggg_eeee`.
    @inlinable
    public var combined: UInt32 { UInt32(group) << 16 | UInt32(element) }

    /// Odd groups hold private data elements (PS3.5 7.8.1). Groups 0001, 0003, 0005 and 0007 are not private.
    @inlinable
    public var isPrivate: Bool { group & 1 == 1 && group > 0x0007 }

    /// A private creator element `(gggg,0010)`..`(gggg,00FF)` reserving a block (PS3.5 7.8.1).
    @inlinable
    public var isPrivateCreator: Bool { isPrivate && (0x0010...0x00FF).contains(element) }

    /// For a private data element `(gggg,xxee)` with `xx` >= 0x10: the creator element that reserves its block.
    @inlinable
    public var privateCreatorTag: Tag? {
        guard isPrivate, element >= 0x1000 else { return nil }
        return Tag(group, element >> 8)
    }

    /// A group length element `(gggg,0000)`.
    @inlinable
    public var isGroupLength: Bool { element == 0x0000 }

    /// Item, item delimitation and sequence delimitation tags of group FFFE (PS3.5 7.5).
    @inlinable
    public var isDelimiter: Bool { group == 0xFFFE }

    @inlinable
    public static func < (lhs: Tag, rhs: Tag) -> Bool { lhs.combined < rhs.combined }

    /// "(0010,0010)", written in one buffer (audit records list many tags per file).
    public var description: String {
        String(unsafeUninitializedCapacity: 11) { buffer in
            func digit(_ value: UInt16, _ shift: UInt16) -> UInt8 {
                let nibble = UInt8(truncatingIfNeeded: value >> shift) & 0xF
                return nibble < 10 ? 0x30 + nibble : 0x37 + nibble  // '0'...'9', 'A'...'F'
            }
            buffer[0] = UInt8(ascii: "(")
            for i in 0..<4 {
                buffer[1 + i] = digit(group, UInt16(12 - 4 * i))
                buffer[6 + i] = digit(element, UInt16(12 - 4 * i))
            }
            buffer[5] = UInt8(ascii: ",")
            buffer[10] = UInt8(ascii: ")")
            return 11
        }
    }
}

extension Tag {
    // Computed and inlinable rather than stored, like the VR constants: compared on every element read.
    @inlinable public static var item: Tag { Tag(0xFFFE, 0xE000) }
    @inlinable public static var itemDelimitationItem: Tag { Tag(0xFFFE, 0xE00D) }
    @inlinable public static var sequenceDelimitationItem: Tag { Tag(0xFFFE, 0xE0DD) }
    @inlinable public static var pixelData: Tag { Tag(0x7FE0, 0x0010) }
    @inlinable public static var dataSetTrailingPadding: Tag { Tag(0xFFFC, 0xFFFC) }
}

extension Tag {
    /// Parses `(gggg,eeee)`, `gggg,eeee` or `ggggeeee` (hexadecimal).
    public init?(parsing text: Substring) {
        var hex = text.filter { $0 != "(" && $0 != ")" && $0 != "," && $0 != " " }
        guard hex.count == 8 else { return nil }
        hex = hex.uppercased()
        guard let value = UInt32(hex, radix: 16) else { return nil }
        self.init(value)
    }
}
