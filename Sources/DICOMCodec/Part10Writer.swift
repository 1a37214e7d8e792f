import DICOMCore

/// Writes ``Part10File`` values back to bytes in their layout and transfer syntax.
public enum Part10Writer {
    /// The bytes of `file`. An unedited file read by ``Part10Reader`` encodes to exactly the bytes read.
    /// - Throws: ``DICOMError``.
    public static func encode(_ file: Part10File) throws(DICOMError) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(estimatedSize(file))
        try encode(file, into: &out)
        return out
    }

    /// The bytes of `file` as chunks that borrow large values (pixel data) from the input buffer instead of
    /// copying them; write them with ``FileIO/writeTemporary(chunks:inDirectory:mode:sync:)``.
    /// - Throws: ``DICOMError``.
    public static func encodeChunks(_ file: Part10File) throws(DICOMError) -> ChunkedBytes {
        var out = ChunkedBytes()
        try encode(file, into: &out)
        return out
    }

    /// Appends the bytes of `file` to `out`.
    /// - Throws: ``DICOMError``.
    public static func encode<Sink: ByteSink>(_ file: Part10File, into out: inout Sink) throws(DICOMError) {
        let metaWriter = DataSetWriter(target: file.metaEncoding, sourceOrder: .littleEndian)
        switch file.layout {
        case .part10:
            if let preamble = file.preamble, preamble.count == 128 {
                out.write(preamble)
            } else {
                out.write(zeroPreamble[...])
            }
            out.write([0x44, 0x49, 0x43, 0x4D][...])
            try metaWriter.write(file.meta, into: &out)
        case .metaWithoutPreamble:
            try metaWriter.write(file.meta, into: &out)
        case .rawDataSet:
            break
        }
        let writer = DataSetWriter(target: file.dataSetEncoding, sourceOrder: file.dataSetEncoding.byteOrder)
        if file.transferSyntax.isDeflated {
            let plain = try writer.encode(file.dataSet)
            if let source = file.deflatedSource, source.inflated == plain {
                out.write(source.compressed)
            } else {
                out.write(try Deflate.deflate(plain)[...])
            }
        } else {
            try writer.write(file.dataSet, into: &out)
        }
    }

    /// The preamble of a file that has none of its own (made once: an array per output cost more than writing it).
    private static let zeroPreamble = [UInt8](repeating: 0, count: 128)

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
