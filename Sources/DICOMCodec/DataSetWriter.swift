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
        for element in dataSet.elements {
            try write(element, into: &out, path: path.appending(element.tag))
        }
    }

    /// The encoding of `dataSet` as a new buffer.
    public func encode(_ dataSet: DataSet) throws(DICOMError) -> [UInt8] {
        var out: [UInt8] = []
        try write(dataSet, into: &out)
        return out
    }

    private func write<Sink: ByteSink>(_ element: DataElement, into out: inout Sink, path: TagPath) throws(DICOMError) {
        switch element.value {
        case .bytes(let bytes):
            guard bytes.count < 0xFFFF_FFFF else {
                throw DICOMError(.unencodable, path: path, reason: "value longer than 4 GiB")
            }
            let swap = sourceOrder != target.byteOrder && element.vr.wordSize > 1
            if swap, bytes.count % element.vr.wordSize != 0 {
                throw DICOMError(.unencodable, path: path,
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
                appendSwapped(bytes, wordSize: element.vr.wordSize, into: &out)
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
                var itemPath = path
                itemPath.components[itemPath.components.count - 1].item = index
                try itemWriter.write(item, into: &out, path: itemPath)
            }
            if sequence.isUndefinedLength {
                itemWriter.appendDelimiter(.sequenceDelimitationItem, into: &out)
            } else {
                try patchLength(at: lengthAt, count: out.written - bodyStart, in: &out, path: path)
            }
        case .fragments(let fragments):
            writeHeader(element.tag, vr: element.vr, form: headerForm(for: element), length: 0xFFFF_FFFF, into: &out)
            for fragment in fragments.items {
                appendTag(.item, into: &out)
                appendUInt32(UInt32(fragment.count), into: &out)
                out.write(fragment)
            }
            appendDelimiter(.sequenceDelimitationItem, into: &out)
        }
    }

    private func write<Sink: ByteSink>(_ item: Item, into out: inout Sink, path: TagPath) throws(DICOMError) {
        appendTag(.item, into: &out)
        let lengthAt = out.written
        appendUInt32(item.isUndefinedLength ? 0xFFFF_FFFF : 0, into: &out)
        let bodyStart = out.written
        try write(item.dataSet, into: &out, path: path)
        if item.isUndefinedLength {
            appendDelimiter(.itemDelimitationItem, into: &out)
        } else {
            try patchLength(at: lengthAt, count: out.written - bodyStart, in: &out, path: path)
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
        appendTag(tag, into: &out)
        switch form {
        case .implicit:
            let at = out.written
            appendUInt32(length, into: &out)
            return at
        case .explicitShort:
            out.write(vr.byte0)
            out.write(vr.byte1)
            let at = out.written
            appendUInt16(UInt16(truncatingIfNeeded: length), into: &out)
            return at
        case .explicitLong(let reserved):
            out.write(vr.byte0)
            out.write(vr.byte1)
            appendUInt16(reserved, into: &out)
            let at = out.written
            appendUInt32(length, into: &out)
            return at
        }
    }

    private func patchLength<Sink: ByteSink>(at offset: Int, count: Int, in out: inout Sink,
                                             path: TagPath) throws(DICOMError) {
        guard count < 0xFFFF_FFFF else {
            throw DICOMError(.unencodable, path: path, reason: "container longer than 4 GiB")
        }
        let value = UInt32(count)
        for i in 0..<4 {
            let shift = target.byteOrder == .littleEndian ? 8 * i : 8 * (3 - i)
            out.overwrite(UInt8(truncatingIfNeeded: value >> UInt32(shift)), at: offset + i)
        }
    }

    private func appendDelimiter<Sink: ByteSink>(_ tag: Tag, into out: inout Sink) {
        appendTag(tag, into: &out)
        appendUInt32(0, into: &out)
    }

    private func appendTag<Sink: ByteSink>(_ tag: Tag, into out: inout Sink) {
        appendUInt16(tag.group, into: &out)
        appendUInt16(tag.element, into: &out)
    }

    private func appendUInt16<Sink: ByteSink>(_ value: UInt16, into out: inout Sink) {
        if target.byteOrder == .littleEndian {
            out.write(UInt8(truncatingIfNeeded: value))
            out.write(UInt8(truncatingIfNeeded: value >> 8))
        } else {
            out.write(UInt8(truncatingIfNeeded: value >> 8))
            out.write(UInt8(truncatingIfNeeded: value))
        }
    }

    private func appendUInt32<Sink: ByteSink>(_ value: UInt32, into out: inout Sink) {
        if target.byteOrder == .littleEndian {
            for shift in stride(from: 0, through: 24, by: 8) { out.write(UInt8(truncatingIfNeeded: value >> UInt32(shift))) }
        } else {
            for shift in stride(from: 24, through: 0, by: -8) { out.write(UInt8(truncatingIfNeeded: value >> UInt32(shift))) }
        }
    }

    private func appendSwapped<Sink: ByteSink>(_ bytes: ArraySlice<UInt8>, wordSize: Int, into out: inout Sink) {
        var i = bytes.startIndex
        while i < bytes.endIndex {
            for k in stride(from: wordSize - 1, through: 0, by: -1) { out.write(bytes[i + k]) }
            i += wordSize
        }
    }
}
