import DICOMCodec
import DICOMCore
import DICOMTestSupport
import Foundation
import PixelData
import Testing

/// Native images made here, compressed and decompressed by other programs (dcmtk, GDCM), so that every check of a
/// codec goes through a decoder other than the codec's own library.
enum CodecTests {
    /// `count` bytes from a seeded generator: the same garbage every run.
    static func garbage(seed: UInt64, count: Int = 4096) -> [UInt8] {
        var random = SeededGenerator(seed: seed)
        return (0..<count).map { _ in UInt8(truncatingIfNeeded: random.next()) }
    }

    /// `codec` decodes `frame`, and the same frame padded to even length with 00 after its end marker, to
    /// `expected` (what an independent decoder made of it).
    static func expectDecodeAgrees(_ codec: some FrameCodec, frame: [UInt8], description: PixelDescription,
                                   expected: [UInt8], sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
        #expect(try codec.decode(frame: frame, description: description) == expected, sourceLocation: sourceLocation)
        #expect(try codec.decode(frame: frame + [0], description: description) == expected, sourceLocation: sourceLocation)
    }

    /// Each damaged frame makes both `redact` and `decode` throw a one-line ``PixelDataError`` `.corruptFrame`.
    static func expectCorruptFramesRefused(_ codec: some FrameCodec, _ cases: [(String, [UInt8], PixelDescription)],
                                           rectangle: PixelRectangle = PixelRectangle(x: 0, y: 0, width: 9, height: 9)) {
        for (name, bytes, description) in cases {
            let redactError = #expect(throws: PixelDataError.self, "\(name)") {
                try codec.redact(frame: bytes, description: description, rectangles: [rectangle])
            }
            let decodeError = #expect(throws: PixelDataError.self, "\(name)") { try codec.decode(frame: bytes, description: description) }
            #expect(redactError?.code == .corruptFrame && decodeError?.code == .corruptFrame, "\(name): \(String(describing: redactError))")
            #expect(!"\(String(describing: redactError))".contains("\n"))
        }
    }

    static let dcmcjpeg = Peer.dcmcjpeg
    static let cjpeg = Peer.cjpeg
    static let dcmdjpeg = Peer.dcmdjpeg
    static let dcmcjpls = Peer.dcmcjpls
    static let dcmdjpls = Peer.dcmdjpls
    static let gdcmconv = Peer.gdcmconv

    /// A synthetic image: a gradient with noise and dark "text" strokes, deterministic from `seed`.
    static func pixels(_ description: PixelDescription, seed: UInt64 = 7) -> [UInt8] {
        var random = SeededGenerator(seed: seed)
        let bytesPerSample = description.bitsAllocated / 8
        let maximum = (1 << description.bitsStored) - 1
        var out = [UInt8]()
        out.reserveCapacity(description.nativeFrameLength)
        let samples = description.samplesPerPixel
        func sample(_ column: Int, _ row: Int, _ component: Int) -> Int {
            let gradient = (column * 3 + row * 2 + component * 40) * maximum / (description.columns * 3 + description.rows * 2 + 80)
            let stroke = (row / 6 % 5 == 1 && column / 3 % 4 != 0) ? maximum / 2 : 0
            let noise = Int(random.next() % UInt64(max(2, maximum / 16)))
            return min(maximum, max(0, gradient + noise - stroke + maximum / 8))
        }
        func append(_ value: Int) {
            // Two's complement data: the upper half of the stored range is negative, sign-extended.
            let value = description.pixelRepresentation == 1 && value > maximum / 2 ? value - maximum - 1 : value
            for i in 0..<bytesPerSample { out.append(UInt8(truncatingIfNeeded: value >> (8 * i))) }
        }
        if samples == 3 && description.planarConfiguration == 1 {
            for component in 0..<3 { for row in 0..<description.rows { for column in 0..<description.columns { append(sample(column, row, component)) } } }
        } else {
            for row in 0..<description.rows {
                for column in 0..<description.columns { for component in 0..<samples { append(sample(column, row, component)) } }
            }
        }
        return out
    }

    static func description(rows: Int = 512, columns: Int = 512, samples: Int = 1, bits: Int = 8, signed: Bool = false,
                            photometric: String? = nil) -> PixelDescription {
        PixelDescription(rows: rows, columns: columns, samplesPerPixel: samples, bitsAllocated: bits > 8 ? 16 : 8,
                         bitsStored: bits, highBit: bits - 1, pixelRepresentation: signed ? 1 : 0, planarConfiguration: 0,
                         photometric: photometric ?? (samples == 3 ? "RGB" : "MONOCHROME2"), numberOfFrames: 1)
    }

    /// A Part 10 file, Explicit VR Little Endian, holding one native frame.
    static func nativeFile(_ description: PixelDescription, pixels: [UInt8]) -> [UInt8] {
        var b = ByteBuilder(.explicitLittle)
        func text(_ string: String) -> String { string.utf8.count % 2 == 0 ? string : string + " " }
        func uid(_ string: String) -> String { string.utf8.count % 2 == 0 ? string : string + "\0" }
        func us(_ element: UInt16, _ value: Int) { b.element(Tag(0x0028, element), "US", uint16s: [UInt16(value)]) }
        b.element(Tag(0x0008, 0x0016), "UI", uid("1.2.840.10008.5.1.4.1.1.7"))
        b.element(Tag(0x0008, 0x0018), "UI", uid("1.2.3.4"))
        b.element(Tag(0x0008, 0x0060), "CS", "OT")
        b.element(Tag(0x0010, 0x0010), "PN", text("TEST^PIXELS"))
        b.element(Tag(0x0020, 0x000D), "UI", uid("1.2.3.4.1"))
        b.element(Tag(0x0020, 0x000E), "UI", uid("1.2.3.4.2"))
        us(0x0002, description.samplesPerPixel)
        b.element(Tag(0x0028, 0x0004), "CS", text(description.photometric))
        if description.samplesPerPixel == 3 { us(0x0006, description.planarConfiguration) }
        us(0x0010, description.rows)
        us(0x0011, description.columns)
        us(0x0100, description.bitsAllocated)
        us(0x0101, description.bitsStored)
        us(0x0102, description.highBit)
        us(0x0103, description.pixelRepresentation)
        b.element(Tag(0x7FE0, 0x0010), description.bitsAllocated > 8 ? "OW" : "OB", bytes: pixels.paddedToEven)
        return ByteBuilder.part10Prefix(transferSyntaxUID: TransferSyntax.explicitVRLittleEndian.uid) + b.bytes
    }

    /// Writes `bytes` to `name` in `directory` and returns the path.
    static func write(_ bytes: [UInt8], _ directory: TemporaryDirectory, _ name: String) throws -> String {
        let path = directory.url.appendingPathComponent(name).path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// Runs `tool` with `arguments`, requiring success.
    /// Runs `peer` (absent: an error naming it, which fails the test; its suite is skipped unless CI=true).
    static func run(_ peer: Peer, _ arguments: [String]) throws {
        let tool = try peer.require()
        let outcome = try tool.run(arguments)
        try #require(outcome.status == 0, "\(tool.executable.lastPathComponent) \(arguments): \(outcome.stderrText)\(outcome.stdoutText)")
    }

    /// The one frame of an encapsulated file (its fragments concatenated) and the transfer syntax.
    static func frame(ofFile path: String) throws -> (frame: [UInt8], transferSyntax: String) {
        let file = try Part10Reader.read(contentsOf: path)
        guard case .fragments(let fragments)? = file.dataSet[Tag(0x7FE0, 0x0010)]?.value else {
            Issue.record("\(path) has no encapsulated pixel data")
            return ([], file.transferSyntax.uid)
        }
        return (fragments.items.dropFirst().flatMap { Array($0) }, file.transferSyntax.uid)
    }

    /// The encapsulated file at `path` with its one frame replaced by `frame`, written as `name`.
    static func replacingFrame(ofFile path: String, with frame: [UInt8], _ directory: TemporaryDirectory, _ name: String) throws -> String {
        var file = try Part10Reader.read(contentsOf: path)
        let old = try #require(file.dataSet[Tag(0x7FE0, 0x0010)])
        file.dataSet.set(DataElement(tag: old.tag, vr: old.vr, value: .fragments(Fragments(items: [[][...], frame[...]]))))
        return try write(try Part10Writer.encode(file), directory, name)
    }

    /// The native Pixel Data of the file at `path` (after a decompressing tool).
    static func nativePixels(ofFile path: String) throws -> [UInt8] {
        let file = try Part10Reader.read(contentsOf: path)
        return Array(try #require(file.dataSet[Tag(0x7FE0, 0x0010)]?.bytes, "\(path): no native Pixel Data"))
    }

    /// The samples of native little-endian pixel data, `bits` low bits of each.
    static func samples(_ bytes: [UInt8], bitsAllocated: Int, bits: Int) -> [Int] {
        let mask = (1 << bits) - 1
        if bitsAllocated == 8 { return bytes.map { Int($0) & mask } }
        return stride(from: 0, to: bytes.count - 1, by: 2).map { (Int(bytes[$0]) | Int(bytes[$0 + 1]) << 8) & mask }
    }
}

extension Array where Element == UInt8 {
    var paddedToEven: [UInt8] { count % 2 == 0 ? self : self + [0] }
}

/// A region of pixels as a set of rectangles, for "inside" and "outside" checks.
struct PixelMask {
    let columns: Int
    let rows: Int
    private(set) var bits: [Bool]

    init(columns: Int, rows: Int) {
        self.columns = columns
        self.rows = rows
        bits = [Bool](repeating: false, count: columns * rows)
    }

    subscript(column: Int, row: Int) -> Bool { bits[row * columns + column] }

    /// Marks `rectangle` grown outwards to the grid of `cellWidth` x `cellHeight`, then by `margin` pixels.
    mutating func mark(_ rectangle: PixelRectangle, cellWidth: Int = 1, cellHeight: Int = 1, margin: Int = 0) {
        let left = rectangle.x / cellWidth * cellWidth - margin
        let top = rectangle.y / cellHeight * cellHeight - margin
        let right = (rectangle.x + rectangle.width + cellWidth - 1) / cellWidth * cellWidth + margin
        let bottom = (rectangle.y + rectangle.height + cellHeight - 1) / cellHeight * cellHeight + margin
        for row in max(0, top)..<min(rows, bottom) {
            for column in max(0, left)..<min(columns, right) { bits[row * columns + column] = true }
        }
    }
}
