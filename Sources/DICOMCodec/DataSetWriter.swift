import DICOMCore

/// Encodes data sets (PS3.5 7), re-emitting untouched values from their slices.
///
/// Headers read from a file are written back in the form read (short or long explicit header, reserved
/// bytes); defined lengths of sequences and items are recomputed from what is written, so edited containers
/// stay correct and untouched ones come out identical. When the target byte order differs from the source's,
/// binary values are swapped word by word according to their VR (PS3.5 7.3).
public struct DataSetWriter: Sendable {
    /// The encoding to write.
    public let target: ElementEncoding
    /// The byte order the element values are stored in.
    public let sourceOrder: ByteOrder

    public init(target: ElementEncoding, sourceOrder: ByteOrder) {
        self.target = target
        self.sourceOrder = sourceOrder
    }

    /// Appends the encoding of `dataSet` to `out`.
    /// - Throws: ``DICOMError`` (`.unencodable`) for a value that cannot be written in the target encoding.
    public func write<Sink: ByteSink>(_ dataSet: DataSet, into out: inout Sink,
                                      path: TagPath = TagPath()) throws(DICOMError) {
        do {
            try writeElements(of: dataSet, into: &out)
        } catch {
            throw error.inside(path)
        }
    }

    /// Appends the elements of `dataSet`. Errors carry the path relative to `dataSet`: each sequence adds its
    /// component while the error unwinds, so no path is built unless something is wrong.
    private func writeElements<Sink: ByteSink>(of dataSet: DataSet, into out: inout Sink) throws(DICOMError) {
        for element in dataSet.elements {
            try write(element, into: &out)
        }
    }

    /// The encoding of `dataSet` as a new buffer.
    public func encode(_ dataSet: DataSet) throws(DICOMError) -> [UInt8] {
        var out: [UInt8] = []
        try write(dataSet, into: &out)
        return out
    }

    /// Appends one element. Errors carry the path relative to the enclosing data set.
    private func write<Sink: ByteSink>(_ element: DataElement, into out: inout Sink) throws(DICOMError) {
        switch element.value {
        case .bytes(let bytes):
            guard bytes.count < 0xFFFF_FFFF else {
                throw DICOMError(.unencodable, path: TagPath(element.tag), reason: "value longer than 4 GiB")
            }
            let swap = sourceOrder != target.byteOrder && element.vr.wordSize > 1
            if swap, bytes.count % element.vr.wordSize != 0 {
                throw DICOMError(.unencodable, path: TagPath(element.tag),
                                 reason: "\(bytes.count) bytes is not a whole number of \(element.vr) words")
            }
            var vr = element.vr
            var form = headerForm(for: element)
            if form == .explicitShort, bytes.count > 0xFFFF {
                // Too long for a 16-bit length (only possible after an implicit VR read): write as UN.
                vr = .UN
                form = .explicitLong(reserved: 0)
            }
            writeHeader(element.tag, vr: vr, form: form, length: UInt32(bytes.count), into: &out)
            if swap {
                ValueEncoding.appendSwapped(bytes, wordSize: element.vr.wordSize, into: &out)
            } else {
                out.write(bytes)
            }
        case .sequence(let sequence):
            var element = element
            if target.isExplicitVR, sequence.itemEncoding == nil, element.vr != .SQ, element.vr != .UN {
                // Items read from implicit VR data under a tag whose dictionary VR is not SQ: only SQ and UN
                // headers can hold them (a 16-bit length cannot even say "undefined"); UN, as below.
                element.vr = .UN
            }
            let form = headerForm(for: element)
            let lengthAt = writeHeader(element.tag, vr: element.vr, form: form,
                                       length: sequence.isUndefinedLength ? 0xFFFF_FFFF : 0, into: &out)
            let bodyStart = out.written
            let itemWriter: DataSetWriter
            if let itemEncoding = sequence.itemEncoding {
                itemWriter = DataSetWriter(target: itemEncoding, sourceOrder: .littleEndian)
            } else if element.vr == .UN, target.isExplicitVR {
                // A sequence whose VR is unknown (read from an implicit VR file) is written as UN of undefined
                // length, which readers parse as Implicit VR Little Endian items (CP-246): write them so.
                itemWriter = DataSetWriter(target: .implicitLittle, sourceOrder: sourceOrder)
            } else {
                itemWriter = self
            }
            for (index, item) in sequence.items.enumerated() {
                do {
                    try itemWriter.write(item, into: &out)
                } catch {
                    throw error.inside(TagPath([TagPath.Component(tag: element.tag, item: index)]))
                }
            }
            if sequence.isUndefinedLength {
                itemWriter.appendDelimiter(.sequenceDelimitationItem, into: &out)
            } else {
                try patchLength(at: lengthAt, count: out.written - bodyStart, in: &out, path: TagPath(element.tag))
            }
        case .fragments(let fragments):
            writeHeader(element.tag, vr: element.vr, form: headerForm(for: element), length: 0xFFFF_FFFF, into: &out)
            for fragment in fragments.items {
                HeaderBytes(tag: .item, length: UInt32(fragment.count), order: target.byteOrder).write(into: &out)
                out.write(fragment)
            }
            appendDelimiter(.sequenceDelimitationItem, into: &out)
        }
    }

    /// Appends one item. Errors carry the path relative to the item (empty for the item itself); the
    /// sequence adds the component naming the item.
    private func write<Sink: ByteSink>(_ item: Item, into out: inout Sink) throws(DICOMError) {
        let header = HeaderBytes(tag: .item, length: item.isUndefinedLength ? 0xFFFF_FFFF : 0, order: target.byteOrder)
        let lengthAt = out.written + header.lengthField
        header.write(into: &out)
        let bodyStart = out.written
        try writeElements(of: item.dataSet, into: &out)
        if item.isUndefinedLength {
            appendDelimiter(.itemDelimitationItem, into: &out)
        } else {
            try patchLength(at: lengthAt, count: out.written - bodyStart, in: &out, path: TagPath())
        }
    }

    /// The header form to write: the one read when it fits the target encoding, else the standard one.
    private func headerForm(for element: DataElement) -> HeaderForm {
        guard target.isExplicitVR else { return .implicit }
        switch element.header {
        case .explicitShort? where !element.vr.usesLongLength:
            return .explicitShort
        case .explicitLong(let reserved)? where element.vr.usesLongLength:
            return .explicitLong(reserved: reserved)
        default:
            return element.vr.usesLongLength ? .explicitLong(reserved: 0) : .explicitShort
        }
    }

    /// Writes a header and returns the offset of its length field.
    @discardableResult
    private func writeHeader<Sink: ByteSink>(_ tag: Tag, vr: VR, form: HeaderForm, length: UInt32,
                                             into out: inout Sink) -> Int {
        let order = target.byteOrder
        let header: HeaderBytes
        switch form {
        case .implicit:
            header = HeaderBytes(tag: tag, length: length, order: order)
        case .explicitShort:
            header = HeaderBytes(tag: tag, vr: vr, shortLength: UInt16(truncatingIfNeeded: length), order: order)
        case .explicitLong(let reserved):
            header = HeaderBytes(tag: tag, vr: vr, reserved: reserved, length: length, order: order)
        }
        let at = out.written + header.lengthField
        header.write(into: &out)
        return at
    }

    /// - Parameter path: made only for the error (a sequence's path is an allocation per sequence written).
    private func patchLength<Sink: ByteSink>(at offset: Int, count: Int, in out: inout Sink,
                                             path: @autoclosure () -> TagPath) throws(DICOMError) {
        guard count < 0xFFFF_FFFF else {
            throw DICOMError(.unencodable, path: path(), reason: "container longer than 4 GiB")
        }
        let value = UInt32(count)
        for i in 0..<4 {
            let shift = target.byteOrder == .littleEndian ? 8 * i : 8 * (3 - i)
            out.overwrite(UInt8(truncatingIfNeeded: value >> UInt32(shift)), at: offset + i)
        }
    }

    private func appendDelimiter<Sink: ByteSink>(_ tag: Tag, into out: inout Sink) {
        HeaderBytes(tag: tag, length: 0, order: target.byteOrder).write(into: &out)
    }
}

/// An element, item or delimiter header (at most 12 bytes) assembled in two integers and written to the sink
/// in one call, rather than byte by byte.
private struct HeaderBytes {
    /// The bytes in order, as the little-endian representation of `low` then `high`.
    private let low: UInt64
    private let high: UInt32
    /// How many bytes the header has: 8, or 12 for the long explicit VR form.
    let count: Int
    /// Where the length field starts, from the start of the header.
    let lengthField: Int

    /// The 16 bits whose little-endian representation is `value` in `order`.
    @inline(__always)
    private static func field(_ value: UInt16, _ order: ByteOrder) -> UInt64 {
        UInt64(order == .littleEndian ? value : value.byteSwapped)
    }

    /// The 32 bits whose little-endian representation is `value` in `order`.
    @inline(__always)
    private static func field(_ value: UInt32, _ order: ByteOrder) -> UInt64 {
        UInt64(order == .littleEndian ? value : value.byteSwapped)
    }

    @inline(__always)
    private static func tagField(_ tag: Tag, _ order: ByteOrder) -> UInt64 {
        field(tag.group, order) | field(tag.element, order) << 16
    }

    /// Tag and 32-bit length: an implicit VR header, an item, or a delimiter.
    @inline(__always)
    init(tag: Tag, length: UInt32, order: ByteOrder) {
        low = Self.tagField(tag, order) | Self.field(length, order) << 32
        high = 0
        count = 8
        lengthField = 4
    }

    /// Tag, VR and 16-bit length (PS3.5 Table 7.1-2).
    @inline(__always)
    init(tag: Tag, vr: VR, shortLength: UInt16, order: ByteOrder) {
        low = Self.tagField(tag, order) | UInt64(vr.byte0) << 32 | UInt64(vr.byte1) << 40
            | Self.field(shortLength, order) << 48
        high = 0
        count = 8
        lengthField = 6
    }

    /// Tag, VR, reserved bytes and 32-bit length (PS3.5 Table 7.1-1).
    @inline(__always)
    init(tag: Tag, vr: VR, reserved: UInt16, length: UInt32, order: ByteOrder) {
        low = Self.tagField(tag, order) | UInt64(vr.byte0) << 32 | UInt64(vr.byte1) << 40
            | Self.field(reserved, order) << 48
        high = UInt32(truncatingIfNeeded: Self.field(length, order))
        count = 12
        lengthField = 8
    }

    @inline(__always)
    func write<Sink: ByteSink>(into out: inout Sink) {
        let words = (low.littleEndian, high.littleEndian)
        let count = count
        withUnsafeBytes(of: words) { raw in
            out.write(header: UnsafeRawBufferPointer(rebasing: raw[..<count]))
        }
    }
}
