import DICOMCore

extension DataElement {
    /// This element with binary values converted from one byte order to another, word by word according to
    /// the VR (PS3.5 7.3), through nested items. Sequences read as CP-246 implicit little endian keep theirs.
    /// - Throws: ``DICOMError`` (`.unencodable`) when a value is not a whole number of words.
    public func converted(from source: ByteOrder, to target: ByteOrder) throws(DICOMError) -> DataElement {
        guard source != target else { return self }
        var copy = self
        switch value {
        case .bytes(let bytes):
            let size = vr.wordSize
            guard size > 1 else { return self }
            guard bytes.count % size == 0 else {
                throw DICOMError(.unencodable, path: TagPath(tag),
                                 reason: "\(bytes.count) bytes is not a whole number of \(vr) words")
            }
            var swapped: [UInt8] = []
            swapped.reserveCapacity(bytes.count)
            ValueEncoding.appendSwapped(bytes, wordSize: size, into: &swapped)
            copy.value = .bytes(swapped[...])
        case .sequence(var sequence):
            guard sequence.itemEncoding == nil else { return self }
            for index in sequence.items.indices {
                var items = sequence.items[index].dataSet
                var converted: [DataElement] = []
                for element in items.elements { converted.append(try element.converted(from: source, to: target)) }
                items = DataSet(converted)
                sequence.items[index].dataSet = items
            }
            copy.value = .sequence(sequence)
        case .fragments:
            break
        }
        return copy
    }
}
