import DICOMCodec
import DICOMCore

/// The Sequence of Ultrasound Regions (0018,6011), PS3.3 C.8.5.5: where a US image holds its data, and so where
/// it holds no patient banner.
public enum UltrasoundRegions {
    /// The declared regions, each from Region Location Min X0/Y0 (0018,6018)/(0018,601A) to Max X1/Y1
    /// (0018,601C)/(0018,601E) inclusive; nil when the data set has no (0018,6011).
    /// - Throws: ``PixelDataError`` `.invalidDescription` for an item that lacks a location or whose location is
    ///   inverted.
    public static func regions(in dataSet: DataSet, order: ByteOrder) throws(PixelDataError) -> [PixelRectangle]? {
        guard let element = dataSet[Tag(0x0018, 0x6011)] else { return nil }
        guard let sequence = element.sequence else {
            throw PixelDataError(.invalidDescription, "Sequence of Ultrasound Regions (0018,6011) is not a sequence")
        }
        var regions: [PixelRectangle] = []
        for (number, item) in sequence.items.enumerated() {
            func ul(_ tagElement: UInt16) throws(PixelDataError) -> Int {
                guard let bytes = item.dataSet[Tag(0x0018, tagElement)]?.bytes, bytes.count >= 4 else {
                    throw PixelDataError(.invalidDescription,
                                         "ultrasound region \(number + 1) lacks (0018,\(hex4(tagElement)))")
                }
                let b = Array(bytes.prefix(4))
                let value = order == .littleEndian
                    ? UInt32(b[0]) | UInt32(b[1]) << 8 | UInt32(b[2]) << 16 | UInt32(b[3]) << 24
                    : UInt32(b[3]) | UInt32(b[2]) << 8 | UInt32(b[1]) << 16 | UInt32(b[0]) << 24
                return Int(value)
            }
            let x0 = try ul(0x6018), y0 = try ul(0x601A), x1 = try ul(0x601C), y1 = try ul(0x601E)
            guard x1 >= x0, y1 >= y0 else {
                throw PixelDataError(.invalidDescription, "ultrasound region \(number + 1) runs from (\(x0),\(y0)) back to (\(x1),\(y1))")
            }
            regions.append(PixelRectangle(x: x0, y: y0, width: x1 - x0 + 1, height: y1 - y0 + 1))
        }
        return regions
    }

    /// Rectangles covering everything of a `columns` x `rows` image outside the union of `regions`: horizontal
    /// bands between the regions' top and bottom edges, each split around the regions crossing it, and equal
    /// rectangles of neighbouring bands merged.
    public static func outside(_ regions: [PixelRectangle], columns: Int, rows: Int) -> [PixelRectangle] {
        let inside = regions.compactMap { $0.clipped(columns: columns, rows: rows) }
        var edges = Set([0, rows])
        for r in inside { edges.insert(r.y); edges.insert(r.y + r.height) }
        let bands = edges.sorted()
        var result: [PixelRectangle] = []
        var previous: [PixelRectangle] = []
        for (top, bottom) in zip(bands, bands.dropFirst()) {
            let covering = inside.filter { $0.y <= top && $0.y + $0.height >= bottom }
                .map { ($0.x, $0.x + $0.width) }.sorted { $0.0 < $1.0 }
            var gaps: [(Int, Int)] = []
            var x = 0
            for (left, right) in covering {
                if left > x { gaps.append((x, left)) }
                x = max(x, right)
            }
            if x < columns { gaps.append((x, columns)) }
            var current: [PixelRectangle] = []
            for (left, right) in gaps {
                if let index = previous.firstIndex(where: { $0.x == left && $0.width == right - left && $0.y + $0.height == top }) {
                    var grown = previous.remove(at: index)
                    grown.height = bottom - grown.y
                    current.append(grown)
                } else {
                    current.append(PixelRectangle(x: left, y: top, width: right - left, height: bottom - top))
                }
            }
            result += previous
            previous = current
        }
        return result + previous
    }
}
