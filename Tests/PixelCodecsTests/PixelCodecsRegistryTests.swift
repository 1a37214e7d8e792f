import PixelCodecs
import PixelData
import Testing

/// What needs no external program: the registry, the refusal of JPEG Lossless, the frame header walk.
@Suite struct PixelCodecsRegistryTests {
    @Test(arguments: ["1.2.840.10008.1.2.4.50", "1.2.840.10008.1.2.4.51", "1.2.840.10008.1.2.4.80", "1.2.840.10008.1.2.4.81",
                      "1.2.840.10008.1.2.4.90", "1.2.840.10008.1.2.4.91"])
    func registryHasACodecForEachSyntaxWrittenBack(_ uid: String) {
        #expect(PixelCodecs.registry.codec(for: uid) != nil)
    }

    /// libjpeg-turbo 2.1.5 has no lossless process: those files must be refused, not passed through.
    @Test(arguments: ["1.2.840.10008.1.2.4.57", "1.2.840.10008.1.2.4.70", "1.2.840.10008.1.2.4.100", "1.2.840.10008.1.2.4.201"])
    func registryHasNoCodecForWhatCannotBeWrittenBack(_ uid: String) {
        #expect(PixelCodecs.registry.codec(for: uid) == nil)
    }

    @Test func codecsRefuseAFrameOfAnotherKind() {
        let description = PixelDescription(rows: 8, columns: 8, samplesPerPixel: 1, bitsAllocated: 8, bitsStored: 8, highBit: 7,
                                           pixelRepresentation: 0, planarConfiguration: 0, photometric: "MONOCHROME2", numberOfFrames: 1)
        let j2k: [UInt8] = [0xFF, 0x4F, 0xFF, 0x51, 0, 0x29, 0, 0]
        let rectangle = [PixelRectangle(x: 0, y: 0, width: 4, height: 4)]
        let error = #expect(throws: PixelDataError.self) { try JPEGBaselineCodec().redact(frame: j2k, description: description, rectangles: rectangle) }
        #expect(error?.code == .corruptFrame)
        #expect("\(error.map { "\($0)" } ?? "")".contains("SOI"))
        #expect(throws: PixelDataError.self) { try JPEG2000Codec().redact(frame: [0xFF, 0xD8, 0xFF, 0xD9], description: description, rectangles: rectangle) }
    }

    /// A header claiming 20000 x 20000 colour pixels is refused before any library allocates for it.
    @Test func hugeFramesAreRefusedBeforeDecoding() {
        let description = PixelDescription(rows: 20000, columns: 20000, samplesPerPixel: 3, bitsAllocated: 8, bitsStored: 8, highBit: 7,
                                           pixelRepresentation: 0, planarConfiguration: 0, photometric: "RGB", numberOfFrames: 1)
        let codecs: [any FrameCodec] = [JPEGBaselineCodec(), JPEGLSCodec(), JPEG2000Codec()]
        for codec in codecs {
            let error = #expect(throws: PixelDataError.self) {
                try codec.redact(frame: [0xFF, 0xD8, 0xFF, 0xD9], description: description, rectangles: [PixelRectangle(x: 0, y: 0, width: 4, height: 4)])
            }
            #expect(error?.code == .unsupportedTransferSyntax)
            #expect(throws: PixelDataError.self) { try codec.decode(frame: [0xFF, 0xD8, 0xFF, 0xD9], description: description) }
        }
    }

    /// A lossless (SOF3) stream under a baseline transfer syntax is refused by name, before libjpeg sees it.
    @Test func jpegLosslessFramesAreRefusedAsUnsupported() {
        let description = PixelDescription(rows: 8, columns: 8, samplesPerPixel: 1, bitsAllocated: 16, bitsStored: 16, highBit: 15,
                                           pixelRepresentation: 0, planarConfiguration: 0, photometric: "MONOCHROME2", numberOfFrames: 1)
        // SOI, SOF3 (P 16, 8 x 8, 1 component), EOI.
        let frame: [UInt8] = [0xFF, 0xD8, 0xFF, 0xC3, 0x00, 0x0B, 16, 0, 8, 0, 8, 1, 1, 0x11, 0, 0xFF, 0xD9]
        let error = #expect(throws: PixelDataError.self) {
            try JPEGBaselineCodec().redact(frame: frame, description: description, rectangles: [PixelRectangle(x: 0, y: 0, width: 4, height: 4)])
        }
        #expect(error?.code == .unsupportedTransferSyntax)
    }
}
