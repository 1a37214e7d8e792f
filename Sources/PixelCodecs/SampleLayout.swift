import PixelData

/// Where the samples of a decoded frame sit in a byte buffer: little-endian unsigned or two's complement samples
/// of 1, 2 or 4 bytes, interleaved by pixel or one plane per component.
struct SampleLayout: Hashable {
    var columns: Int
    var rows: Int
    var components: Int
    var bytesPerSample: Int
    var planar: Bool

    var byteCount: Int { columns * rows * components * bytesPerSample }

    /// The byte offset of sample `component` of the pixel at `column`, `row`.
    func offset(column: Int, row: Int, component: Int) -> Int {
        let index = planar ? (component * rows + row) * columns + column : (row * columns + column) * components + component
        return index * bytesPerSample
    }

    /// Writes `values[component]` (truncated to the sample size) into every pixel of `rectangles` (already clipped).
    func blank(_ buffer: inout [UInt8], rectangles: [PixelRectangle], values: [Int32]) {
        buffer.withUnsafeMutableBytes { raw in
            for rectangle in rectangles {
                for row in rectangle.y..<(rectangle.y + rectangle.height) {
                    for component in 0..<components {
                        let value = UInt32(bitPattern: values[component])
                        if planar || components == 1 {
                            let start = offset(column: rectangle.x, row: row, component: component)
                            for i in 0..<rectangle.width { store(value, raw, at: start + i * bytesPerSample) }
                        } else {
                            for column in rectangle.x..<(rectangle.x + rectangle.width) {
                                store(value, raw, at: offset(column: column, row: row, component: component))
                            }
                        }
                    }
                }
            }
        }
    }

    /// The sample at `offset` as an unsigned integer.
    func load(_ raw: UnsafeRawBufferPointer, at offset: Int) -> UInt32 {
        var value: UInt32 = 0
        for i in 0..<bytesPerSample { value |= UInt32(raw[offset + i]) << (8 * i) }
        return value
    }

    private func store(_ value: UInt32, _ raw: UnsafeMutableRawBufferPointer, at offset: Int) {
        for i in 0..<bytesPerSample { raw[offset + i] = UInt8(truncatingIfNeeded: value >> (8 * i)) }
    }

    /// The samples of `buffer` (in this layout) rewritten as native pixel data of `description` (PS3.5 8.2: Bits
    /// Allocated per sample, little endian, Planar Configuration as described). Samples of `bits` bits are
    /// sign-extended when the description says two's complement.
    func native(_ buffer: [UInt8], bits: Int, description: PixelDescription) -> [UInt8] {
        let target = SampleLayout(columns: columns, rows: rows, components: components,
                                  bytesPerSample: max(1, description.bitsAllocated / 8),
                                  planar: components > 1 && description.planarConfiguration == 1)
        if target == self { return buffer }
        var out = [UInt8](repeating: 0, count: target.byteCount)
        let signed = description.pixelRepresentation == 1 && bits < 32
        let signBit: UInt32 = bits >= 32 ? 0 : 1 << UInt32(bits - 1)
        let mask: UInt32 = bits >= 32 ? .max : (1 << UInt32(bits)) - 1
        buffer.withUnsafeBytes { source in
            out.withUnsafeMutableBytes { destination in
                for row in 0..<rows {
                    for column in 0..<columns {
                        for component in 0..<components {
                            var value = load(source, at: offset(column: column, row: row, component: component)) & mask
                            if signed, value & signBit != 0 { value |= ~mask }
                            let at = target.offset(column: column, row: row, component: component)
                            for i in 0..<target.bytesPerSample { destination[at + i] = UInt8(truncatingIfNeeded: value >> (8 * i)) }
                        }
                    }
                }
            }
        }
        return out
    }
}

extension PixelDescription {
    /// - Throws: ``PixelDataError`` `.unsupportedTransferSyntax` for a frame larger than
    ///   ``PixelDescription/maximumDecodedFrameSamples``.
    func checkFrameSize() throws(PixelDataError) {
        guard frameSamples <= Self.maximumDecodedFrameSamples else {
            throw PixelDataError(.unsupportedTransferSyntax,
                                 "a frame of \(columns) x \(rows) x \(samplesPerPixel) samples is larger than the codecs decode (2^28 samples)")
        }
    }

    /// `rectangles` clipped to the image; those wholly outside it dropped.
    func clip(_ rectangles: [PixelRectangle]) -> [PixelRectangle] {
        rectangles.compactMap { $0.clipped(columns: columns, rows: rows) }
    }
}

extension Array where Element == UInt8 {
    /// These bytes padded with one 00 to even length, as a fragment must be (PS3.5 A.4).
    var paddedToEvenLength: [UInt8] { count % 2 == 0 ? self : self + [0] }
}
