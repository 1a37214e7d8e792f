import DICOMCore

/// A private attribute named as PS3.5 7.8.1 identifies it: the odd group, the private creator that reserves
/// its block, and the low byte of the element. It matches wherever the creator's block sits in the group
/// (`(0019,"SIEMENS MR HEADER",0C)` is `(0019,100C)` in one file and `(0019,110C)` in another).
public struct PrivateAttributeKey: Hashable, Sendable, CustomStringConvertible {
    public let group: UInt16
    /// The private creator, without trailing spaces.
    public let creator: String
    public let elementByte: UInt8

    public init(group: UInt16, creator: String, elementByte: UInt8) {
        self.group = group
        self.creator = creator
        self.elementByte = elementByte
    }

    /// The key of private element `tag` in a block reserved by `creator`.
    public init(tag: Tag, creator: String) {
        self.init(group: tag.group, creator: creator, elementByte: UInt8(truncatingIfNeeded: tag.element))
    }

    public var description: String {
        "(\(hex4(group)),\"\(creator)\",\(hex2(elementByte)))"
    }
}
