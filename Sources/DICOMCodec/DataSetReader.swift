import DICOMCore

/// Parses data elements from a byte buffer in one encoding (PS3.5 7), keeping values as slices of the buffer.
struct DataSetReader {
    let options: ReadOptions
    let resolver = VRResolver()

    /// Where a data set ends.
    enum Termination: Equatable {
        /// At the end of the bytes given.
        case endOfBytes
        /// At an Item Delimitation Item (item of undefined length).
        case itemDelimiter
        /// Before the first element whose group is not 0002 (file meta information).
        case endOfGroup2
        /// Before the first element whose tag is above this one, or at the end of the bytes given (a header
        /// read from the start of a file).
        case after(Tag)
    }

    /// Context inherited by nested data sets.
    struct Context {
        /// The path of the data set being read: empty at the top level, else the sequence's path with the
        /// item's index. An element's path is built from it only when an error needs it.
        var path: TagPath
        var depth: Int
        var pixelRepresentation: UInt16?
    }

    /// Reads elements until `termination`.
    func readDataSet(_ reader: inout ByteReader, encoding: ElementEncoding, until termination: Termination,
                     context: Context) throws(DICOMError) -> DataSet {
        var elements: [DataElement] = []
        // Element headers are at least 8 bytes and most values are short: reserving for one element per 32
        // bytes saves most regrowth. Bounded, and more tightly for an item of undefined length, which sees the
        // rest of the file rather than its own bytes.
        elements.reserveCapacity(Swift.min(reader.remaining / 32, termination == .itemDelimiter ? 16 : 256))
        var previous: Tag?
        // While tags ascend, a tag above the last one cannot be a duplicate. From the first tag out of order on,
        // every tag is checked against the set of all tags seen (a set, so descending input stays linear).
        var seen: Set<Tag>?
        // Private creators, kept only where they are used: resolving implicit VRs.
        let needsCreators = !encoding.isExplicitVR
        var creators: [(Tag, String)] = []
        var pixelRepresentation = context.pixelRepresentation
        while true {
            if reader.isAtEnd {
                if termination == .itemDelimiter {
                    throw DICOMError(.truncated, offset: reader.offset, path: context.path,
                                     reason: "item of undefined length has no Item Delimitation Item")
                }
                break
            }
            // Every element header is at least 8 bytes (tag and 32-bit length, or tag, VR and 16-bit length).
            guard reader.remaining >= (termination == .endOfBytes ? 8 : 4) else {
                throw DICOMError(termination == .endOfBytes ? .trailingGarbage : .truncated,
                                 offset: reader.offset, path: context.path,
                                 reason: "\(reader.remaining) bytes left, too few for an element (file truncated, or garbage after the data set)")
            }
            let startOffset = reader.offset
            let group = reader.peekUInt16() ?? 0
            if termination == .endOfGroup2, group != 0x0002 { break }
            let tag = Tag(group, reader.peekUInt16(at: 2) ?? 0)
            if case .after(let last) = termination, tag > last { break }
            if tag.isDelimiter {
                guard tag == .itemDelimitationItem else {
                    throw DICOMError(.unexpectedDelimiter, offset: startOffset, path: context.path,
                                     reason: "\(tag) where a data element should be")
                }
                guard termination == .itemDelimiter else {
                    throw DICOMError(.unexpectedDelimiter, offset: startOffset, path: context.path,
                                     reason: "Item Delimitation Item outside an item of undefined length")
                }
                _ = try reader.readTag()
                let length = try reader.readUInt32()
                guard length == 0 else {
                    throw DICOMError(.unexpectedDelimiter, offset: startOffset, path: context.path,
                                     reason: "Item Delimitation Item with length \(length), not 0")
                }
                break
            }
            if let previous, tag <= previous || seen != nil {
                var tags = seen.take() ?? Set(elements.map(\.tag))
                guard tags.insert(tag).inserted else {
                    throw DICOMError(.duplicateTag, offset: startOffset, path: context.path.appending(tag),
                                     reason: "tag appears twice")
                }
                seen = tags
            }
            let creator = needsCreators
                ? tag.privateCreatorTag.flatMap { t in creators.last(where: { $0.0 == t })?.1 } : nil
            let inner = Context(path: context.path, depth: context.depth, pixelRepresentation: pixelRepresentation)
            let element: DataElement
            do {
                element = try readElement(&reader, encoding: encoding, creator: creator, context: inner)
            } catch {
                // Errors of this element's own header and value come without a path: it is added here, so the
                // path is built only when something is wrong.
                throw error.placed(at: startOffset, in: context.path.appending(tag))
            }
            if needsCreators, tag.isPrivateCreator, let bytes = element.bytes {
                creators.append((tag, TextDecoding.trimmedASCII(bytes)))
            }
            if tag == Tag(0x0028, 0x0103), let bytes = element.bytes, bytes.count >= 2 {
                pixelRepresentation = ValueEncoding.uint16(bytes, at: bytes.startIndex, order: encoding.byteOrder)
            }
            elements.append(element)
            previous = tag
        }
        // `seen` is nil exactly when every tag was greater than the one before.
        return DataSet(elements: elements, isAscending: seen == nil)
    }

    /// Reads one element header and value.
    ///
    /// `context.path` is the path of the enclosing data set; errors thrown here carry no path, and
    /// ``readDataSet(_:encoding:until:context:)`` gives them the element's.
    private func readElement(_ reader: inout ByteReader, encoding: ElementEncoding, creator: String?,
                             context: Context) throws(DICOMError) -> DataElement {
        let tag = try reader.readTag()
        let vr: VR
        let header: HeaderForm
        let rawLength: UInt32
        if encoding.isExplicitVR {
            let (b0, b1) = try reader.readPair()
            vr = VR(byte0: b0, byte1: b1)
            guard vr.isWellFormed else {
                throw DICOMError(.invalidVR, offset: reader.offset - 2,
                                 reason: "VR bytes 0x\(hex2(b0))\(hex2(b1)) are not a value representation")
            }
            if vr.usesLongLength {
                let reserved = try reader.readUInt16()
                header = .explicitLong(reserved: reserved)
                rawLength = try reader.readUInt32()
            } else {
                header = .explicitShort
                rawLength = UInt32(try reader.readUInt16())
            }
        } else {
            rawLength = try reader.readUInt32()
            header = .implicit
            vr = resolver.resolve(tag, creator: creator, pixelRepresentation: context.pixelRepresentation)
        }
        let length = ElementLength(rawValue: rawLength)
        let valueOffset = reader.offset

        // A sequence: SQ, a UN of undefined length (CP-246), or any implicit element of undefined length.
        // Implicit VR elements of undefined length are sequences, except Pixel Data and other OB/OW elements,
        // which hold fragments (seen in files whose data set is implicit VR but whose pixel data is encapsulated).
        let isSequence = vr == .SQ
            || (length.isUndefined && (vr == .UN || (!encoding.isExplicitVR && vr != .OB && vr != .OW)))
        if isSequence {
            let itemEncoding: ElementEncoding? = (encoding.isExplicitVR && vr != .SQ) ? .implicitLittle : nil
            let sequence = try readSequence(&reader, tag: tag, length: length, encoding: itemEncoding ?? encoding,
                                            itemEncoding: itemEncoding, context: context)
            return DataElement(tag: tag, vr: vr, value: .sequence(sequence), header: header)
        }
        if length.isUndefined {
            guard vr == .OB || vr == .OW else {
                throw DICOMError(.unexpectedDelimiter, offset: valueOffset,
                                 reason: "undefined length on a \(vr) element")
            }
            let fragments = try readFragments(&reader)
            return DataElement(tag: tag, vr: vr, value: .fragments(fragments), header: header)
        }
        let value = try reader.readSlice(count: Int(rawLength))
        return DataElement(tag: tag, vr: vr, value: .bytes(value), header: header)
    }

    /// Reads the items of sequence `tag` (PS3.5 7.5.2). As in ``readElement(_:encoding:creator:context:)``,
    /// `context.path` is the enclosing data set's, and errors about the sequence itself carry no path.
    private func readSequence(_ reader: inout ByteReader, tag: Tag, length: ElementLength, encoding: ElementEncoding,
                              itemEncoding: ElementEncoding?, context: Context) throws(DICOMError) -> SequenceOfItems {
        let depth = context.depth + 1
        guard depth <= options.maxNestingDepth else {
            throw DICOMError(.nestingTooDeep, offset: reader.offset,
                             reason: "sequences nested more than \(options.maxNestingDepth) deep")
        }
        // Items are read from a sub-reader bounded by a defined length, or from the parent until the delimiter.
        var bounded: ByteReader
        if case .defined(let count) = length {
            let body = try reader.readSlice(count: Int(count))
            bounded = ByteReader(body, order: encoding.byteOrder)
        } else {
            bounded = ByteReader(reader.bytes, order: encoding.byteOrder)
        }
        var items: [Item] = []
        while true {
            if bounded.isAtEnd {
                if length.isUndefined {
                    throw DICOMError(.truncated, offset: bounded.offset,
                                     reason: "sequence of undefined length has no Sequence Delimitation Item")
                }
                break
            }
            let itemOffset = bounded.offset
            let itemTag = try bounded.readTag()
            let itemLength = ElementLength(rawValue: try bounded.readUInt32())
            if itemTag == .sequenceDelimitationItem {
                guard length.isUndefined else {
                    throw DICOMError(.unexpectedDelimiter, offset: itemOffset,
                                     reason: "Sequence Delimitation Item inside a sequence of defined length")
                }
                guard itemLength == .defined(0) else {
                    throw DICOMError(.unexpectedDelimiter, offset: itemOffset,
                                     reason: "Sequence Delimitation Item with length \(itemLength.rawValue), not 0")
                }
                break
            }
            guard itemTag == .item else {
                throw DICOMError(.unexpectedDelimiter, offset: itemOffset,
                                 reason: "\(itemTag) where an item (FFFE,E000) should be")
            }
            var itemPath = context.path
            itemPath.components.append(TagPath.Component(tag: tag, item: items.count))
            let itemContext = Context(path: itemPath, depth: depth, pixelRepresentation: context.pixelRepresentation)
            let dataSet: DataSet
            if case .defined(let count) = itemLength {
                let body = try bounded.readSlice(count: Int(count))
                var itemReader = ByteReader(body, order: encoding.byteOrder)
                dataSet = try readDataSet(&itemReader, encoding: encoding, until: .endOfBytes, context: itemContext)
            } else {
                dataSet = try readDataSet(&bounded, encoding: encoding, until: .itemDelimiter, context: itemContext)
            }
            items.append(Item(dataSet: dataSet, isUndefinedLength: itemLength.isUndefined))
        }
        if length.isUndefined { reader = ByteReader(bounded.bytes, order: reader.order) }
        return SequenceOfItems(items: items, isUndefinedLength: length.isUndefined, itemEncoding: itemEncoding)
    }

    /// Reads encapsulated pixel data items up to the Sequence Delimitation Item (PS3.5 A.4). Errors carry no
    /// path; ``readDataSet(_:encoding:until:context:)`` gives them the element's.
    /// Encapsulated pixel data: items of fragments up to a Sequence Delimitation Item, always little endian
    /// whatever the transfer syntax (PS3.5 A.4).
    private func readFragments(_ reader: inout ByteReader) throws(DICOMError) -> Fragments {
        var items: [ArraySlice<UInt8>] = []
        while true {
            let itemOffset = reader.offset
            let tag = try reader.readTag()
            let length = try reader.readUInt32()
            if tag == .sequenceDelimitationItem {
                guard length == 0 else {
                    throw DICOMError(.unexpectedDelimiter, offset: itemOffset,
                                     reason: "Sequence Delimitation Item with length \(length), not 0")
                }
                return Fragments(items: items)
            }
            guard tag == .item else {
                throw DICOMError(.unexpectedDelimiter, offset: itemOffset,
                                 reason: "\(tag) where a pixel data fragment should be")
            }
            guard length != 0xFFFF_FFFF else {
                throw DICOMError(.unexpectedDelimiter, offset: itemOffset,
                                 reason: "pixel data fragment of undefined length")
            }
            items.append(try reader.readSlice(count: Int(length)))
        }
    }
}
