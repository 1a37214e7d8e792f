import DICOMCore

/// How an element's header was written, so an untouched element is written back the same way (PS3.5 7.1).
public enum HeaderForm: Hashable, Sendable {
    /// Tag and 32-bit length (PS3.5 7.1.3).
    case implicit
    /// Tag, VR and 16-bit length (PS3.5 Table 7.1-2).
    case explicitShort
    /// Tag, VR, two reserved bytes (kept as read) and 32-bit length (PS3.5 Table 7.1-1).
    case explicitLong(reserved: UInt16)
}

/// One data element: tag, VR, length as read, and its value (PS3.5 7.1).
///
/// `vr` is the VR as written (explicit transfer syntaxes) or as resolved from the dictionary (implicit).
/// `header` records the form read, or nil for an element made by the program (the writer derives it).
public struct DataElement: Sendable {
    public var tag: Tag
    public var vr: VR
    public var value: Value
    public var header: HeaderForm?

    public init(tag: Tag, vr: VR, value: Value, header: HeaderForm? = nil) {
        self.tag = tag
        self.vr = vr
        self.value = value
        self.header = header
    }

    /// An element holding raw value bytes.
    public init(tag: Tag, vr: VR, bytes: [UInt8]) {
        self.init(tag: tag, vr: vr, value: .bytes(bytes[...]))
    }

    /// An element holding a text value, padded to even length with the VR's padding byte (PS3.5 6.2).
    public init(tag: Tag, vr: VR, string: String) {
        self.init(tag: tag, vr: vr, bytes: ValuePadding.padded(Array(string.utf8), for: vr))
    }

    /// The value bytes, for elements that are not sequences or fragments.
    public var bytes: ArraySlice<UInt8>? {
        if case .bytes(let b) = value { return b }
        return nil
    }

    /// The items, for a sequence.
    public var sequence: SequenceOfItems? {
        if case .sequence(let s) = value { return s }
        return nil
    }
}

/// The value of a data element.
public enum Value: Sendable {
    /// Value bytes exactly as stored (a slice of the input buffer when read from a file).
    case bytes(ArraySlice<UInt8>)
    /// A sequence of items (VR SQ, or UN of undefined length read per CP-246).
    case sequence(SequenceOfItems)
    /// Encapsulated pixel data: offset table and fragments (PS3.5 A.4).
    case fragments(Fragments)
}

/// The items of a sequence and how its length was written (PS3.5 7.5).
public struct SequenceOfItems: Sendable {
    public var items: [Item]
    /// Defined or undefined; a defined length is recomputed from the items when written.
    public var isUndefinedLength: Bool
    /// The encoding of the items when it differs from the enclosing data set: Implicit VR Little Endian for
    /// a UN element of undefined length (PS3.5 6.2.2 note, CP-246).
    public var itemEncoding: ElementEncoding?

    public init(items: [Item], isUndefinedLength: Bool = true, itemEncoding: ElementEncoding? = nil) {
        self.items = items
        self.isUndefinedLength = isUndefinedLength
        self.itemEncoding = itemEncoding
    }
}

/// One item of a sequence: a nested data set (PS3.5 7.5.1).
public struct Item: Sendable {
    public var dataSet: DataSet
    /// Written with an Item Delimitation Item (undefined length) rather than a defined length.
    public var isUndefinedLength: Bool

    public init(dataSet: DataSet, isUndefinedLength: Bool = true) {
        self.dataSet = dataSet
        self.isUndefinedLength = isUndefinedLength
    }
}

/// Encapsulated pixel data: the Basic Offset Table item and the fragment items, untouched (PS3.5 A.4).
public struct Fragments: Sendable {
    /// Every item in order, the Basic Offset Table first (possibly empty).
    public var items: [ArraySlice<UInt8>]

    public init(items: [ArraySlice<UInt8>]) { self.items = items }
}
