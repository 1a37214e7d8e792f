import DICOMCore

/// Writes ``Part10File`` values back to bytes in their layout and transfer syntax.
public enum Part10Writer {
    /// The bytes of `file`. An unedited file read by ``Part10Reader`` encodes to exactly the bytes read.
    /// - Throws: ``DICOMError``.
    public static func encode(_ file: Part10File) throws(DICOMError) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(estimatedSize(file))
        switch file.layout {
        case .part10:
            if let preamble = file.preamble, preamble.count == 128 {
                out.append(contentsOf: preamble)
            } else {
                out.append(contentsOf: repeatElement(0, count: 128))
            }
            out.append(contentsOf: [0x44, 0x49, 0x43, 0x4D])
            try DataSetWriter(target: file.metaEncoding, sourceOrder: .littleEndian).write(file.meta, into: &out)
        case .metaWithoutPreamble:
            try DataSetWriter(target: file.metaEncoding, sourceOrder: .littleEndian).write(file.meta, into: &out)
        case .rawDataSet:
            break
        }
        let ts = file.transferSyntax
        let writer = DataSetWriter(target: file.dataSetEncoding, sourceOrder: file.dataSetEncoding.byteOrder)
        if ts.isDeflated {
            let plain = try writer.encode(file.dataSet)
            if let source = file.deflatedSource, source.inflated == plain {
                out.append(contentsOf: source.compressed)
            } else {
                out.append(contentsOf: try Deflate.deflate(plain))
            }
        } else {
            try writer.write(file.dataSet, into: &out)
        }
        return out
    }

    /// A capacity hint: the sum of the value bytes plus headers.
    private static func estimatedSize(_ file: Part10File) -> Int {
        func size(_ ds: DataSet) -> Int {
            var total = 0
            for e in ds.elements {
                total += 12
                switch e.value {
                case .bytes(let b): total += b.count
                case .sequence(let s): total += 8 + s.items.reduce(0) { $0 + 16 + size($1.dataSet) }
                case .fragments(let f): total += 8 + f.items.reduce(0) { $0 + 8 + $1.count }
                }
            }
            return total
        }
        return 132 + size(file.meta) + size(file.dataSet)
    }
}
