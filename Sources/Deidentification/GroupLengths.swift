import DICOMCodec
import DICOMCore
import DICOMDictionary

/// Keeps group length elements `(gggg,0000)` true after edits (PS3.5 7.2): each is recomputed from the
/// encoding of its group, and the tags whose value changed are reported so their originals are kept.
enum GroupLengths {
    /// Recomputes the group lengths at the top level of `dataSet`.
    /// - Returns: the group length tags whose value changed.
    /// - Throws: ``DeidentificationError`` `.encodingFailed`, caused by the ``DICOMError``, when a group cannot be encoded.
    static func fix(_ dataSet: inout DataSet, encoding: ElementEncoding) throws(DeidentificationError) -> [Tag] {
        let lengthTags = dataSet.elements.map(\.tag).filter { $0.isGroupLength }
        guard !lengthTags.isEmpty else { return [] }
        let writer = DataSetWriter(target: encoding, sourceOrder: encoding.byteOrder)
        var changed: [Tag] = []
        for tag in lengthTags {
            let group = DataSet(dataSet.elements.filter { $0.tag.group == tag.group && !$0.tag.isGroupLength })
            var counter = ByteCounter()
            do {
                try writer.write(group, into: &counter)
            } catch {
                throw DeidentificationError(.encodingFailed, cause: error)
            }
            let bytes = ValueEncoding.ul(UInt32(counter.written), order: encoding.byteOrder)
            guard var element = dataSet[tag], element.bytes.map(Array.init) != bytes else { continue }
            element.value = .bytes(bytes[...])
            dataSet.set(element)
            changed.append(tag)
        }
        return changed
    }
}
