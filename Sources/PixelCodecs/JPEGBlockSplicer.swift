#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Blanks 8x8 blocks of a sequential Huffman-coded JPEG frame (baseline, or extended with 8-bit samples) by
/// rewriting only their entropy codes: the bits of every other block are copied, not decoded to coefficients and
/// coded again.
///
/// Each block's codes are found by Huffman decoding (ISO/IEC 10918-1 F.2.2), which steps over the AC
/// coefficients without computing them and keeps only the DC values, whose differences chain the blocks of a
/// component (F.1.2.1). A blanked block is written as its new DC difference and an end of block; the first kept
/// block after it gets a new DC difference (its DC is unchanged, its predecessor's is not) and its AC codes copied;
/// every other block is copied bit for bit, shifted to where it now starts. Every interval is decoded, blanked
/// blocks or not, so that damage is found here rather than passed on. Marker segments are kept as they are, tables
/// included, except COM, which is dropped as libjpeg's path drops it.
///
/// The new codes use the frame's own Huffman tables, so the DC table must code every difference the new blocks
/// need and the AC table the end of block. When it does not (a table optimised for the image may lack a rare DC
/// category), or the stream has a structure this does not rewrite, ``redact(_:ranges:dc:)`` returns the
/// reason and the caller transcodes the frame whole with libjpeg.
struct JPEGBlockSplicer {
    /// A component of the frame header with the size of its block grid (A.1.1).
    private struct Component {
        var identifier: UInt8
        var quantisationTable: Int
        var horizontal: Int
        var vertical: Int
        var widthInBlocks: Int
        var heightInBlocks: Int
        /// Where this component's blocks start in ``JPEGBlockSplicer/blanked``.
        var blankedOffset: Int
    }

    /// A scan header (B.2.3): the frame components it codes, in order, and their tables.
    private struct Scan {
        var components: [Int]
        var dcTables: [JPEGHuffmanTable]
        var acTables: [JPEGHuffmanTable]

        /// Each scan component's DC and AC decoding tables, ``tableStride`` apart: DC of the first component at 0,
        /// its AC at 1 x stride, DC of the second at 2 x stride, and so on.
        var decodingTables: [Int32] {
            var flat = [Int32](repeating: 0, count: 2 * components.count * Self.tableStride)
            for (index, table) in zip(dcTables, acTables).flatMap({ [$0, $1] }).enumerated() {
                flat.replaceSubrange((index * Self.tableStride)..<(index * Self.tableStride + table.decoding.count), with: table.decoding)
            }
            return flat
        }

        static let tableStride = JPEGHuffmanTable.decodingCount
    }

    /// One block of a scan's MCU: which of the scan's components, its place in the MCU (A.2.3), and that
    /// component.
    private struct MCUBlock {
        var scanComponent: Int
        var column: Int
        var row: Int
        var component: Component
    }

    private let input: UnsafeBufferPointer<UInt8>
    private let ranges: [DCTBlockPlan.BlockRange]
    private let blackDC: [Int]
    private var writer: JPEGEntropyWriter
    private var components: [Component] = []
    /// Whether each block of each component (row by row, components one after another) is blanked.
    private var blanked: [Bool] = []
    private var width = 0
    private var height = 0
    private var maxHorizontal = 1
    private var maxVertical = 1
    private var dcTables: [JPEGHuffmanTable?] = Array(repeating: nil, count: 4)
    private var acTables: [JPEGHuffmanTable?] = Array(repeating: nil, count: 4)
    private var quantisationTables: [Bool] = Array(repeating: false, count: 4)
    private var restartInterval = 0
    private var scanned: [Bool] = []
    /// One restart interval's entropy-coded data, unstuffed.
    private var unstuffed: [UInt8] = []

    /// `frame` with the blocks in `ranges` set to DC `dc[component]` and no AC coefficient, or why this frame is
    /// left to libjpeg.
    static func redact(_ frame: [UInt8], ranges: [DCTBlockPlan.BlockRange], dc: [Int16]) -> Result<[UInt8], JPEGSpliceRefusal> {
        frame.withUnsafeBufferPointer { input in
            var splicer = JPEGBlockSplicer(input: input, ranges: ranges, blackDC: dc.map { Int($0) })
            return Result { () throws(JPEGSpliceRefusal) -> [UInt8] in try splicer.run() }
        }
    }

    private init(input: UnsafeBufferPointer<UInt8>, ranges: [DCTBlockPlan.BlockRange], blackDC: [Int]) {
        self.input = input
        self.ranges = ranges
        self.blackDC = blackDC
        writer = JPEGEntropyWriter(capacity: input.count + input.count / 16 + 1024)
    }

    /// Walks the marker segments (B.2) and rewrites each scan.
    private mutating func run() throws(JPEGSpliceRefusal) -> [UInt8] {
        guard input.count >= 4, input[0] == 0xFF, input[1] == 0xD8 else { throw JPEGSpliceRefusal("no SOI") }
        writer.append(marker: 0xD8)
        var at = 2
        var sawScan = false
        while true {
            // Fill bytes (FF) may precede a marker (B.1.1.2).
            while at + 1 < input.count, input[at] == 0xFF, input[at + 1] == 0xFF { at += 1 }
            guard at + 2 <= input.count, input[at] == 0xFF else { throw JPEGSpliceRefusal("no marker at offset \(at)") }
            let marker = input[at + 1]
            if marker == 0xD9 {
                guard !components.isEmpty, !scanned.contains(false) else { throw JPEGSpliceRefusal("a component has no scan") }
                writer.append(marker: 0xD9)
                return writer.bytes
            }
            guard at + 4 <= input.count else { throw JPEGSpliceRefusal("marker FF \(hex(marker)) at the end of the frame") }
            let length = Int(input[at + 2]) << 8 | Int(input[at + 3])
            guard length >= 2, at + 2 + length <= input.count else { throw JPEGSpliceRefusal("marker FF \(hex(marker)) runs past the frame") }
            let segment = at..<(at + 2 + length), payload = (at + 4)..<(at + 2 + length)
            at = segment.upperBound
            switch marker {
            case 0xC0, 0xC1:
                guard components.isEmpty else { throw JPEGSpliceRefusal("a second frame header") }
                try readFrameHeader(payload)
            case 0xC4:
                try readHuffmanTables(payload)
            case 0xDB:
                // The black DC values were computed from the tables the first scan uses.
                guard !sawScan else { throw JPEGSpliceRefusal("a quantisation table after the first scan") }
                try readQuantisationTables(payload)
            case 0xDD:
                guard length == 4 else { throw JPEGSpliceRefusal("a restart interval segment of length \(length)") }
                restartInterval = Int(input[at - 2]) << 8 | Int(input[at - 1])
            case 0xFE:
                continue  // COM: free text no decoder needs, which may name the patient.
            case 0xE0...0xEF:
                if let kept = keptApplicationSegment(marker, payload) { writer.append(kept) }
                continue
            case 0xDA:
                guard !components.isEmpty else { throw JPEGSpliceRefusal("a scan before the frame header") }
                let scan = try readScanHeader(payload)
                writer.append(input[segment])
                sawScan = true
                at = try spliceScan(scan, from: at)
                continue
            default:
                throw JPEGSpliceRefusal("marker FF \(hex(marker))")
            }
            writer.append(input[segment])
        }
    }

    private func uint16(_ at: Int) -> Int { Int(input[at]) << 8 | Int(input[at + 1]) }

    /// The APPn segment to write for `marker` with `payload`, or nil to drop it: the JFIF marker (without its
    /// thumbnail), the ICC profile and the Adobe marker, which decoders read for colour; no other (Exif and JFXX
    /// carry a thumbnail of the image before cleaning; Exif, XMP and IPTC dates and names), as libjpeg's path
    /// writes them.
    private func keptApplicationSegment(_ marker: UInt8, _ payload: Range<Int>) -> [UInt8]? {
        func starts(_ prefix: String) -> Bool {
            let prefix = Array(prefix.utf8) + [0]
            return payload.count >= prefix.count && input[payload.lowerBound..<(payload.lowerBound + prefix.count)].elementsEqual(prefix)
        }
        switch marker {
        case 0xE0 where starts("JFIF") && payload.count >= 14:
            // "JFIF" 0, version, units, densities (9 bytes), then a thumbnail's width and height: set to 0 x 0.
            return [0xFF, 0xE0, 0x00, 0x10] + Array(input[payload.lowerBound..<(payload.lowerBound + 12)]) + [0, 0]
        case 0xE2 where starts("ICC_PROFILE"):
            return Array(input[(payload.lowerBound - 4)..<payload.upperBound])
        case 0xEE where payload.count >= 12 && input[payload.lowerBound..<(payload.lowerBound + 5)].elementsEqual("Adobe".utf8):
            // "Adobe", version, two flag words and the colour transform: the 12 bytes libjpeg reads and writes.
            return [0xFF, 0xEE, 0x00, 0x0E] + Array(input[payload.lowerBound..<(payload.lowerBound + 12)])
        default:
            return nil
        }
    }

    /// SOF0 / SOF1 (B.2.2): 8-bit samples, a known height (no DNL), 1 to 4 components with sampling 1 to 4.
    private mutating func readFrameHeader(_ payload: Range<Int>) throws(JPEGSpliceRefusal) {
        let at = payload.lowerBound
        guard payload.count >= 6, input[at] == 8 else { throw JPEGSpliceRefusal("not an 8-bit frame header") }
        height = uint16(at + 1)
        width = uint16(at + 3)
        let count = Int(input[at + 5])
        guard height > 0, width > 0, (1...4).contains(count), payload.count == 6 + 3 * count else {
            throw JPEGSpliceRefusal("frame header of \(width) x \(height) with \(count) components")
        }
        for index in 0..<count {
            let sampling = input[at + 7 + 3 * index]
            let identifier = input[at + 6 + 3 * index]
            let horizontal = Int(sampling >> 4), vertical = Int(sampling & 15)
            guard (1...4).contains(horizontal), (1...4).contains(vertical), !components.contains(where: { $0.identifier == identifier }) else {
                throw JPEGSpliceRefusal("component \(identifier) with sampling \(horizontal) x \(vertical)")
            }
            let table = Int(input[at + 8 + 3 * index])
            guard table <= 3 else { throw JPEGSpliceRefusal("component \(identifier) with quantisation table \(table)") }
            components.append(Component(identifier: identifier, quantisationTable: table, horizontal: horizontal, vertical: vertical,
                                        widthInBlocks: 0, heightInBlocks: 0, blankedOffset: 0))
        }
        maxHorizontal = components.map(\.horizontal).max() ?? 1
        maxVertical = components.map(\.vertical).max() ?? 1
        var total = 0
        for index in components.indices {
            let component = components[index]
            components[index].widthInBlocks = (width * component.horizontal + 8 * maxHorizontal - 1) / (8 * maxHorizontal)
            components[index].heightInBlocks = (height * component.vertical + 8 * maxVertical - 1) / (8 * maxVertical)
            components[index].blankedOffset = total
            total += components[index].widthInBlocks * components[index].heightInBlocks
        }
        blanked = [Bool](repeating: false, count: total)
        for range in ranges where range.component < components.count {
            let component = components[range.component]
            for row in range.rows.clamped(to: 0..<component.heightInBlocks) {
                for column in range.columns.clamped(to: 0..<component.widthInBlocks) {
                    blanked[component.blankedOffset + row * component.widthInBlocks + column] = true
                }
            }
        }
        scanned = [Bool](repeating: false, count: count)
    }

    /// DQT (B.2.4.1): which tables are defined (their values are libjpeg's to read).
    private mutating func readQuantisationTables(_ payload: Range<Int>) throws(JPEGSpliceRefusal) {
        var at = payload.lowerBound
        while at < payload.upperBound {
            let precision = Int(input[at] >> 4), slot = Int(input[at] & 15)
            guard precision <= 1, slot <= 3, at + 1 + 64 * (precision + 1) <= payload.upperBound else {
                throw JPEGSpliceRefusal("a quantisation table of precision \(precision), slot \(slot), cut short")
            }
            quantisationTables[slot] = true
            at += 1 + 64 * (precision + 1)
        }
    }

    /// DHT (B.2.4.2): one or more tables.
    private mutating func readHuffmanTables(_ payload: Range<Int>) throws(JPEGSpliceRefusal) {
        var at = payload.lowerBound
        while at < payload.upperBound {
            guard at + 17 <= payload.upperBound else { throw JPEGSpliceRefusal("a Huffman table segment is cut short") }
            let kind = Int(input[at] >> 4), slot = Int(input[at] & 15)
            let counts = (1...16).map { Int(input[at + $0]) }
            let total = counts.reduce(0, +)
            guard kind <= 1, slot <= 3, at + 17 + total <= payload.upperBound else {
                throw JPEGSpliceRefusal("a Huffman table of class \(kind), slot \(slot), \(total) codes")
            }
            let table = try JPEGHuffmanTable.make(counts: counts, values: Array(input[(at + 17)..<(at + 17 + total)]), isAC: kind == 1).get()
            if kind == 0 { dcTables[slot] = table } else { acTables[slot] = table }
            at += 17 + total
        }
    }

    /// SOS (B.2.3): a sequential scan (Ss 0, Se 63, Ah Al 0) of components not scanned before, with tables defined.
    private mutating func readScanHeader(_ payload: Range<Int>) throws(JPEGSpliceRefusal) -> Scan {
        let at = payload.lowerBound
        guard payload.count >= 1 else { throw JPEGSpliceRefusal("an empty scan header") }
        let count = Int(input[at])
        guard (1...4).contains(count), payload.count == 4 + 2 * count else { throw JPEGSpliceRefusal("a scan header of \(count) components") }
        var scan = Scan(components: [], dcTables: [], acTables: [])
        for index in 0..<count {
            let identifier = input[at + 1 + 2 * index], tables = input[at + 2 + 2 * index]
            guard let component = components.firstIndex(where: { $0.identifier == identifier }), !scanned[component],
                  quantisationTables[components[component].quantisationTable],
                  let dc = dcTables[Int(tables >> 4) & 3], let ac = acTables[Int(tables & 15) & 3], tables >> 4 <= 3, tables & 15 <= 3 else {
                throw JPEGSpliceRefusal("scan component \(identifier) unknown, scanned twice, or without its tables")
            }
            scanned[component] = true
            scan.components.append(component)
            scan.dcTables.append(dc)
            scan.acTables.append(ac)
        }
        let spectral = at + 1 + 2 * count
        guard input[spectral] == 0, input[spectral + 1] == 63, input[spectral + 2] == 0 else {
            throw JPEGSpliceRefusal("a progressive scan")
        }
        if count > 1 {
            let blocks = scan.components.reduce(0) { $0 + components[$1].horizontal * components[$1].vertical }
            guard blocks <= 10 else { throw JPEGSpliceRefusal("\(blocks) blocks in an MCU") }
        }
        return scan
    }

    /// Rewrites the entropy-coded data of `scan`, which starts at `start`, interval by interval; returns where the
    /// marker after it starts.
    private mutating func spliceScan(_ scan: Scan, from start: Int) throws(JPEGSpliceRefusal) -> Int {
        let mcuColumns: Int, mcuRows: Int
        var mcuBlocks: [MCUBlock] = []
        if scan.components.count == 1 {
            // A non-interleaved scan: each MCU is one block of the component's own grid (A.2.2), whatever its
            // sampling factors.
            let component = components[scan.components[0]]
            (mcuColumns, mcuRows) = (component.widthInBlocks, component.heightInBlocks)
            var single = component
            (single.horizontal, single.vertical) = (1, 1)
            mcuBlocks = [MCUBlock(scanComponent: 0, column: 0, row: 0, component: single)]
        } else {
            (mcuColumns, mcuRows) = ((width + 8 * maxHorizontal - 1) / (8 * maxHorizontal), (height + 8 * maxVertical - 1) / (8 * maxVertical))
            for (index, frameIndex) in scan.components.enumerated() {
                let component = components[frameIndex]
                for row in 0..<component.vertical {
                    for column in 0..<component.horizontal {
                        mcuBlocks.append(MCUBlock(scanComponent: index, column: column, row: row, component: component))
                    }
                }
            }
        }
        let total = mcuColumns * mcuRows
        let interval = restartInterval > 0 ? restartInterval : total
        let geometry = ScanGeometry(mcuColumns: mcuColumns, blocks: mcuBlocks)
        let tables = scan.decodingTables
        var at = start, first = 0, number = 0
        while true {
            let end = min(total, first + interval)
            let markerAt = try nextMarker(from: at)
            // An interval without a blanked block is decoded too, so that damage or bytes that are no block's
            // (which libjpeg's path refuses) are not passed on: written again, it is the same bits.
            try spliceInterval(scan, geometry, tables, mcus: first..<end, data: at..<markerAt)
            let marker = input[markerAt + 1]
            if end == total {
                guard !(0xD0...0xD7).contains(marker) else { throw JPEGSpliceRefusal("a restart marker after the last MCU") }
                return markerAt
            }
            guard marker == 0xD0 | UInt8(number & 7) else { throw JPEGSpliceRefusal("restart marker \(number & 7) missing or out of order") }
            writer.append(marker: marker)
            at = markerAt + 2
            first = end
            number += 1
        }
    }

    /// Where the marker that ends the entropy-coded data from `at` starts (its last fill byte, if any).
    private func nextMarker(from at: Int) throws(JPEGSpliceRefusal) -> Int {
        var index = at
        while index + 1 < input.count, let base = input.baseAddress {
            // memchr finds the next FF many bytes at a time; most entropy-coded bytes are not FF.
            guard let found = memchr(base + index, 0xFF, input.count - 1 - index) else { break }
            index = UnsafeRawPointer(base).distance(to: UnsafeRawPointer(found))
            // FF 00 is a data byte; FF FF starts fill bytes, which may only precede a marker (B.1.1.2). Fill bytes
            // before 00 are not JPEG, and decoders disagree on them (libjpeg-turbo reads them as one data byte
            // or as a marker, depending on its path): left to libjpeg.
            var end = index + 1
            while end < input.count, input[end] == 0xFF { end += 1 }
            guard end < input.count else { break }
            if input[end] != 0 { return end - 1 }
            guard end == index + 1 else { throw JPEGSpliceRefusal("fill bytes (FF FF) inside entropy-coded data") }
            index = end + 1
        }
        throw JPEGSpliceRefusal("entropy-coded data runs to the end of the frame")
    }

    /// Decodes one interval's blocks and writes it again with the blanked blocks replaced.
    private mutating func spliceInterval(_ scan: Scan, _ geometry: ScanGeometry, _ tables: [Int32], mcus: Range<Int>,
                                         data: Range<Int>) throws(JPEGSpliceRefusal) {
        // The interval's bytes, unstuffed into a buffer kept from interval to interval (moved out of self while
        // the reader holds its address).
        var buffer: [UInt8] = []
        swap(&buffer, &unstuffed)
        defer { swap(&buffer, &unstuffed) }
        let count = Self.unstuff(input[data], into: &buffer)
        let blanked = blanked
        var originalPrediction = [0, 0, 0, 0], newPrediction = [0, 0, 0, 0]
        var copyFrom = 0
        try buffer.withUnsafeBufferPointer { bytes throws(JPEGSpliceRefusal) in
            var reader = JPEGEntropyReader(bytes.baseAddress!, count: count)
            try tables.withUnsafeBufferPointer { tables throws(JPEGSpliceRefusal) in
                try blanked.withUnsafeBufferPointer { blanked throws(JPEGSpliceRefusal) in
                    // The MCU's place in the grid, stepped rather than divided for every block.
                    var mcuColumn = mcus.lowerBound % geometry.mcuColumns, mcuRow = mcus.lowerBound / geometry.mcuColumns
                    for _ in mcus {
                        defer {
                            mcuColumn += 1
                            if mcuColumn == geometry.mcuColumns { (mcuColumn, mcuRow) = (0, mcuRow + 1) }
                        }
                        for block in geometry.blocks {
                            let index = block.scanComponent
                            let dcTable = tables.baseAddress! + 2 * index * Scan.tableStride
                            let start = reader.position
                            guard let category = reader.decode(dcTable), category <= 11 else {
                                throw JPEGSpliceRefusal("a DC code that is not in the table")
                            }
                            let original = originalPrediction[index] + reader.receiveExtend(category)
                            let acStart = reader.position
                            guard reader.skipACCoefficients(dcTable + Scan.tableStride), reader.position <= reader.bitCount else {
                                throw JPEGSpliceRefusal("damaged entropy-coded data")
                            }
                            if ScanGeometry.isBlanked(mcuColumn, mcuRow, block, blanked) {
                                writer.copy(copyFrom..<start, from: reader)
                                let black = blackDC[scan.components[index]]
                                try writeDC(black - newPrediction[index], scan.dcTables[index])
                                guard let endOfBlock = scan.acTables[index].code(of: 0) else {
                                    throw JPEGSpliceRefusal("the AC table has no end of block")
                                }
                                writer.write(endOfBlock.code, endOfBlock.length)
                                copyFrom = reader.position
                                newPrediction[index] = black
                            } else {
                                if newPrediction[index] != originalPrediction[index] {
                                    writer.copy(copyFrom..<start, from: reader)
                                    try writeDC(original - newPrediction[index], scan.dcTables[index])
                                    copyFrom = acStart
                                }
                                newPrediction[index] = original
                            }
                            originalPrediction[index] = original
                        }
                    }
                }
            }
            writer.copy(copyFrom..<reader.position, from: reader)
            // What is left is the encoder's padding to a whole byte; more means data this reading does not explain.
            guard reader.bitCount - reader.position < 8 else { throw JPEGSpliceRefusal("entropy-coded data after the last block") }
            writer.padToByte()
        }
    }

    /// Writes the DC difference `difference` (F.1.2.1): its category's code and its bits.
    private mutating func writeDC(_ difference: Int, _ table: JPEGHuffmanTable) throws(JPEGSpliceRefusal) {
        let category = difference == 0 ? 0 : Int.bitWidth - difference.magnitude.leadingZeroBitCount
        guard category <= 11, let code = table.code(of: category) else {
            throw JPEGSpliceRefusal("the DC table has no code for difference category \(category)")
        }
        writer.write(code.code, code.length)
        if category > 0 { writer.write(UInt32(truncatingIfNeeded: difference < 0 ? difference - 1 : difference), category) }
    }

    /// Copies `data` into `buffer` without its stuffed zero bytes and fill bytes, followed by
    /// ``JPEGEntropyReader/overrun`` zero bytes; returns the count of data bytes. `data` is followed by a marker.
    private static func unstuff(_ data: Slice<UnsafeBufferPointer<UInt8>>, into buffer: inout [UInt8]) -> Int {
        let needed = data.count + JPEGEntropyReader.overrun
        if buffer.count < needed { buffer = [UInt8](repeating: 0, count: needed) }
        guard let base = data.base.baseAddress else { return 0 }
        var count = 0
        buffer.withUnsafeMutableBufferPointer { out in
            let target = out.baseAddress!
            var index = data.startIndex
            while index < data.endIndex {
                // The bytes up to the next FF are copied as they are.
                let stop = memchr(base + index, 0xFF, data.endIndex - index)
                    .map { UnsafeRawPointer(base).distance(to: UnsafeRawPointer($0)) } ?? data.endIndex
                (target + count).update(from: base + index, count: stop - index)
                count += stop - index
                index = stop
                guard index < data.endIndex else { break }
                // FF 00 is a data byte FF; FF FF is a fill byte before the marker (nextMarker refused any other).
                if base[index + 1] == 0 {
                    target[count] = 0xFF
                    count += 1
                    index += 2
                } else {
                    index += 1
                }
            }
            (target + count).update(repeating: 0, count: JPEGEntropyReader.overrun)
        }
        return count
    }

    /// The blocks of a scan's MCUs and where each lies in its component's grid (A.2).
    private struct ScanGeometry {
        var mcuColumns: Int
        var blocks: [MCUBlock]

        /// Whether `block` of the MCU at `mcuColumn`, `mcuRow` is to be blanked; blocks that pad an interleaved
        /// MCU past the edge of the component's grid (A.2.4) never are.
        @inline(__always)
        static func isBlanked(_ mcuColumn: Int, _ mcuRow: Int, _ block: MCUBlock, _ blanked: UnsafeBufferPointer<Bool>) -> Bool {
            let component = block.component
            let column = mcuColumn * component.horizontal + block.column, row = mcuRow * component.vertical + block.row
            guard column < component.widthInBlocks, row < component.heightInBlocks else { return false }
            return blanked[component.blankedOffset + row * component.widthInBlocks + column]
        }

    }
}
