import PixelData
import Testing
@testable import TextDetection

/// How decoded frames become the 8-bit images Tesseract reads: as displayed.
struct FramePlanesTests {
    static func description(_ photometric: String, samples: Int = 1, bits: Int = 8, stored: Int? = nil, signed: Bool = false,
                            planar: Int = 0, columns: Int = 2, rows: Int = 1) -> PixelDescription {
        PixelDescription(rows: rows, columns: columns, samplesPerPixel: samples, bitsAllocated: bits, bitsStored: stored ?? bits,
                         highBit: (stored ?? bits) - 1, pixelRepresentation: signed ? 1 : 0, planarConfiguration: planar,
                         photometric: photometric, numberOfFrames: 1)
    }

    @Test func windowsSignedSixteenBitSamplesFromSmallestToLargest() throws {
        // -1024, 3071, 1023 as little-endian two's complement.
        let samples: [UInt8] = [0x00, 0xFC, 0xFF, 0x0B, 0xFF, 0x03]
        let planes = try FramePlanes(DecodedFrame(samples: samples, description: Self.description("MONOCHROME2", bits: 16, signed: true, columns: 3)))
        #expect(planes.luminance.pixels == [0, 255, 127])   // 2047 / 4095 of the range
        #expect(planes.colour.isEmpty)
    }

    @Test func masksBitsAboveBitsStored() throws {
        // 12 bits stored: 0xF000 above them is an overlay bit, not a value.
        let samples: [UInt8] = [0x00, 0xF0, 0xFF, 0x0F]
        let planes = try FramePlanes(DecodedFrame(samples: samples, description: Self.description("MONOCHROME2", bits: 16, stored: 12)))
        #expect(planes.luminance.pixels == [0, 255])
    }

    @Test func monochrome1IsInvertedBackToItsDisplay() throws {
        let planes = try FramePlanes(DecodedFrame(samples: [10, 200], description: Self.description("MONOCHROME1")))
        #expect(planes.luminance.pixels == [255, 0])
    }

    @Test func colourFramesGiveLuminanceAndThreePlanes() throws {
        // Pure red, then white, interleaved and by plane.
        let interleaved = try FramePlanes(DecodedFrame(samples: [255, 0, 0, 255, 255, 255], description: Self.description("RGB", samples: 3)))
        let byPlane = try FramePlanes(DecodedFrame(samples: [255, 255, 0, 255, 0, 255], description: Self.description("RGB", samples: 3, planar: 1)))
        #expect(interleaved.luminance.pixels == [76, 255])
        #expect(interleaved.colour.map(\.pixels) == [[255, 255], [0, 255], [0, 255]])
        #expect(byPlane == interleaved)
        #expect(interleaved.chroma?.pixels == [255, 0], "red has full chroma, white none")
        #expect(try FramePlanes(DecodedFrame(samples: [7], description: Self.description("MONOCHROME2", columns: 1))).chroma == nil)
    }

    /// Coloured text (cyan, yellow) over grey speckle: light in the chroma plane whatever the speckle's brightness.
    @Test func chromaSeparatesColouredTextFromGreySpeckle() throws {
        let samples: [UInt8] = [0, 210, 230, 250, 230, 60, 200, 200, 200, 40, 40, 40]
        let planes = try FramePlanes(DecodedFrame(samples: samples, description: Self.description("RGB", samples: 3, columns: 4)))
        #expect(planes.chroma?.pixels == [230, 190, 0, 0])
    }

    @Test func ybrFull422ReadsBothTheNativePairLayoutAndTheUpsampledOne() throws {
        let description = Self.description("YBR_FULL_422", samples: 3)
        // Native: Y1 Y2 Cb Cr for the pixel pair; upsampled (as libjpeg-turbo decodes): Y Cb Cr per pixel.
        let pair = try FramePlanes(DecodedFrame(samples: [16, 235, 128, 128], description: description))
        let upsampled = try FramePlanes(DecodedFrame(samples: [16, 128, 128, 235, 128, 128], description: description))
        #expect(pair.luminance.pixels == [16, 235])
        #expect(pair == upsampled)
    }

    @Test func oneBitFramesAreUnpacked() throws {
        let native: [UInt8] = [0b0000_0010]   // pixel 1 set, pixel 0 clear
        let frame = try DecodedFrame(nativePixelData: native[...], frame: 0, description: Self.description("MONOCHROME2", bits: 1))
        #expect(try FramePlanes(frame).luminance.pixels == [0, 255])
    }

    @Test func refusesPaletteColour() {
        #expect(throws: TextDetectionError(.unreadableFrame)) {
            try FramePlanes(DecodedFrame(samples: [0, 1], description: Self.description("PALETTE COLOR")))
        }
    }

    @Test func enlargingKeepsFlatAreasAndSize() {
        let image = GreyImage(width: 2, height: 1, pixels: [0, 200])
        let scaled = image.scaled(by: 2)
        #expect(scaled.width == 4 && scaled.height == 2)
        #expect(scaled.pixels[0] == 0 && scaled.pixels[3] == 200)
        #expect(scaled.pixels[1] > 0 && scaled.pixels[1] < scaled.pixels[2])
    }
}
