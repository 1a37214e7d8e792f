import DICOMCodec
import DICOMCore
import DICOMTestSupport
import Foundation
import PixelData
import Testing

/// RLE Lossless (PS3.5 Annex G) written in the project: round trips, dcmtk interop, corrupt frames refused.
@Suite struct RLECodecTests {
    static func description(bits: Int, samples: Int, planar: Int = 0, rows: Int = 9, columns: Int = 11) -> PixelDescription {
        PixelDescription(rows: rows, columns: columns, samplesPerPixel: samples, bitsAllocated: bits, bitsStored: bits,
                         highBit: bits - 1, pixelRepresentation: 0, planarConfiguration: planar,
                         photometric: samples == 3 ? "RGB" : "MONOCHROME2", numberOfFrames: 1)
    }

    /// Noise with long flat stretches, so both literal and repeat runs (some longer than 128) occur.
    static func pixels(_ count: Int) -> [UInt8] {
        var out = NativeRedactionTests.noise(count)
        for i in stride(from: 0, to: count, by: 3) where (i / 150) % 2 == 0 { out[i] = 7 }
        for i in min(count, 20)..<min(count, 300) { out[i] = 0 }
        return out
    }

    @Test(arguments: [(8, 1, 0), (16, 1, 0), (32, 1, 0), (8, 3, 0), (8, 3, 1), (16, 3, 1)])
    func decodeOfEncodeIsTheIdentity(_ layout: (Int, Int, Int)) throws {
        let d = Self.description(bits: layout.0, samples: layout.1, planar: layout.2, rows: 20, columns: 33)
        let original = Self.pixels(d.nativeFrameLength)
        let codec = RLECodec()
        let encoded = try codec.encode(original, description: d)
        #expect(encoded.count % 2 == 0)
        #expect(try codec.decode(frame: encoded, description: d) == original)
    }

    @Test func redactBlanksOnlyTheRectangle() throws {
        let d = Self.description(bits: 16, samples: 1)
        let original = Self.pixels(d.nativeFrameLength)
        let codec = RLECodec()
        let frame = try codec.encode(original, description: d)
        let rectangle = PixelRectangle(x: 2, y: 3, width: 4, height: 2)
        let cleaned = try codec.decode(frame: codec.redact(frame: frame, description: d, rectangles: [rectangle]), description: d)
        var expected = original
        _ = try NativeRedaction.redact(&expected, frame: 0, description: d, rectangles: [rectangle])
        #expect(cleaned == expected)
    }

    @Test func packBitsRunsAreAtMost128Bytes() throws {
        let d = Self.description(bits: 8, samples: 1, rows: 1, columns: 300)
        let flat = [UInt8](repeating: 9, count: 300)
        let encoded = try RLECodec().encode(flat, description: d)
        // Header, then repeat runs of 128, 128 and 44: three (count, value) pairs.
        #expect(Array(encoded[64...]) == [0x81, 9, 0x81, 9, 0xD5, 9])
    }

    /// A native frame compressed by dcmtk's dcmcrle decodes to the same pixels.
    @Test(.enabled(if: Peer.runnable(.dcmcrle), Comment(rawValue: Peer.skipReason(.dcmcrle))))
    func decodesAFrameMadeByDcmtk() throws {
        let dcmcrle = try Peer.dcmcrle.require()
        for (bits, samples) in [(8, 1), (16, 1), (8, 3)] {
            let d = Self.description(bits: bits, samples: samples, rows: 16, columns: 24)
            let pixels = Self.pixels(d.nativeFrameLength)
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("rle-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            let input = directory.appendingPathComponent("in.dcm"), output = directory.appendingPathComponent("out.dcm")
            try Data(Self.part10(d, pixels: pixels)).write(to: input)
            let outcome = try dcmcrle.run([input.path, output.path])
            #expect(outcome.status == 0, "\(outcome.stderrText)")
            let file = try Part10Reader.read(bytes: Array(try Data(contentsOf: output)))
            guard case .fragments(let fragments) = file.dataSet[Tag(0x7FE0, 0x0010)]?.value else {
                Issue.record("dcmcrle wrote no fragments")
                continue
            }
            let frame = fragments.items.dropFirst().flatMap { Array($0) }
            #expect(try RLECodec().decode(frame: frame, description: d) == pixels, "\(bits) bits \(samples) samples")
        }
    }

    /// Our encoder's frames decode with dcmtk's dcmdrle to the same pixels.
    @Test(.enabled(if: Peer.runnable(.dcmdrle), Comment(rawValue: Peer.skipReason(.dcmdrle))))
    func dcmtkDecodesOurFrames() throws {
        let dcmdrle = try Peer.dcmdrle.require()
        for (bits, samples, planar) in [(8, 1, 0), (16, 1, 0), (8, 3, 0), (8, 3, 1)] {
            let d = Self.description(bits: bits, samples: samples, planar: planar, rows: 16, columns: 24)
            let pixels = Self.pixels(d.nativeFrameLength)
            let native = try Self.part10(d, pixels: pixels)
            var file = try Part10Reader.read(bytes: native)
            let frame = try RLECodec().encode(pixels, description: d)
            file.dataSet.set(DataElement(tag: Tag(0x7FE0, 0x0010), vr: .OB, value: .fragments(Fragments(items: [[], frame[...]]))))
            let rle = TransferSyntax.lookup(uid: RLECodec.transferSyntaxUID)!
            file.transferSyntax = rle
            file.dataSetEncoding = rle.encoding
            file.meta = FileMeta.make(sopClassUID: "1.2.840.10008.5.1.4.1.1.7", sopInstanceUID: "1.2.3.4.5", transferSyntax: rle,
                                      implementation: ImplementationIdentity(classUID: "1.2.3", versionName: "TEST"))
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("rle-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            let input = directory.appendingPathComponent("rle.dcm"), output = directory.appendingPathComponent("native.dcm")
            try Data(try Part10Writer.encode(file)).write(to: input)
            let outcome = try dcmdrle.run([input.path, output.path])
            #expect(outcome.status == 0, "\(outcome.stderrText)")
            let decoded = try Part10Reader.read(bytes: Array(try Data(contentsOf: output)))
            #expect(decoded.dataSet[Tag(0x7FE0, 0x0010)]?.bytes.map(Array.init) == pixels, "\(bits) bits \(samples) samples pc\(planar)")
        }
    }

    @Test func segmentOffsetsPastTheEndAreRefused() throws {
        let d = Self.description(bits: 16, samples: 1)
        var frame = try RLECodec().encode(Self.pixels(d.nativeFrameLength), description: d)
        frame[8] = 0xFF
        frame[9] = 0xFF
        let error = #expect(throws: PixelDataError.self) { try RLECodec().decode(frame: frame, description: d) }
        #expect(error?.code == .corruptFrame)
    }

    @Test func aWrongSegmentCountIsRefused() throws {
        let d = Self.description(bits: 16, samples: 1)
        var frame = try RLECodec().encode(Self.pixels(d.nativeFrameLength), description: d)
        frame[0] = 3
        let error = #expect(throws: PixelDataError.self) { try RLECodec().decode(frame: frame, description: d) }
        #expect(error?.code == .corruptFrame)
        #expect("\(error.map { "\($0)" } ?? "")".contains("declares 3 segments"))
    }

    @Test func shortOrTruncatedFramesAreRefused() throws {
        let d = Self.description(bits: 8, samples: 1)
        let frame = try RLECodec().encode(Self.pixels(d.nativeFrameLength), description: d)
        for cut in [frame.count - 3, 64, 30, 0] {
            let error = #expect(throws: PixelDataError.self) { try RLECodec().decode(frame: Array(frame.prefix(cut)), description: d) }
            #expect(error?.code == .corruptFrame)
        }
    }

    @Test func builtInRegistryHasRLE() {
        #expect(FrameCodecRegistry.builtIn.codec(for: "1.2.840.10008.1.2.5") is RLECodec)
        #expect(FrameCodecRegistry.builtIn.codec(for: "1.2.840.10008.1.2.4.50") == nil)
    }

    /// A minimal Secondary Capture file in Explicit VR Little Endian holding `pixels`.
    static func part10(_ d: PixelDescription, pixels: [UInt8]) throws -> [UInt8] {
        let us = { (element: UInt16, value: Int) in
            DataElement(tag: Tag(0x0028, element), vr: .US, bytes: ValueEncoding.us([UInt16(value)], order: .littleEndian))
        }
        var elements = [
            DataElement(tag: Tag(0x0008, 0x0016), vr: .UI, string: "1.2.840.10008.5.1.4.1.1.7"),
            DataElement(tag: Tag(0x0008, 0x0018), vr: .UI, string: "1.2.3.4.5"),
            us(0x0002, d.samplesPerPixel),
            DataElement(tag: Tag(0x0028, 0x0004), vr: .CS, string: d.photometric),
        ]
        if d.samplesPerPixel == 3 { elements.append(us(0x0006, d.planarConfiguration)) }
        elements += [us(0x0010, d.rows), us(0x0011, d.columns), us(0x0100, d.bitsAllocated), us(0x0101, d.bitsStored),
                     us(0x0102, d.highBit), us(0x0103, d.pixelRepresentation),
                     DataElement(tag: Tag(0x7FE0, 0x0010), vr: d.bitsAllocated > 8 ? .OW : .OB, bytes: pixels)]
        let meta = FileMeta.make(sopClassUID: "1.2.840.10008.5.1.4.1.1.7", sopInstanceUID: "1.2.3.4.5",
                                 transferSyntax: .explicitVRLittleEndian,
                                 implementation: ImplementationIdentity(classUID: "1.2.3", versionName: "TEST"))
        return try Part10Writer.encode(Part10File(preamble: ArraySlice(repeating: 0, count: 128), meta: meta,
                                                  dataSet: DataSet(elements), transferSyntax: .explicitVRLittleEndian))
    }
}
