import DICOMCodec
import DICOMCore
import DICOMTestSupport
import Deidentification
import PixelData
import Testing

/// Pixel data that lies about itself: each case is one line naming what is wrong, no crash, no output.
@Suite struct BadPixelDataTests {
    static let rle = TransferSyntax.lookup(uid: "1.2.840.10008.1.2.5")!

    /// The RLE image of the cleaning tests with its Pixel Data fragments changed by `damage`.
    static func rleImage(frames: Int = 3, withOffsetTable: Bool = true,
                         _ damage: (inout [ArraySlice<UInt8>]) -> Void) throws -> Part10File {
        var file = try PixelCleaningTests.image(frames: frames, regions: [(0, 0, 10, 10)], syntax: rle,
                                                withOffsetTable: withOffsetTable)
        guard case .fragments(var fragments) = file.dataSet[.pixelData]?.value else { throw SandboxlessError() }
        damage(&fragments.items)
        file.dataSet.set(DataElement(tag: .pixelData, vr: .OB, value: .fragments(fragments)))
        return file
    }

    struct SandboxlessError: Error {}

    static func expectRefused(_ file: Part10File, _ words: String, code: DeidentificationError.Code = .invalidPixelData,
                              sourceLocation: SourceLocation = #_sourceLocation) throws {
        let error = #expect(throws: DeidentificationError.self, sourceLocation: sourceLocation) {
            try PixelCleaningTests.deidentifier().deidentify(file)
        }
        #expect(error?.code == code, sourceLocation: sourceLocation)
        let text = error.map { "\($0)" } ?? ""
        #expect(text.contains(words) && !text.contains("\n"), "\(text)", sourceLocation: sourceLocation)
    }

    @Test func truncatedNativePixelData() throws {
        var file = try PixelCleaningTests.image(regions: [(0, 0, 10, 10)])
        file.dataSet.set(DataElement(tag: .pixelData, vr: .OB, bytes: [UInt8](repeating: 1, count: 1000)))
        try Self.expectRefused(file, "pixel data truncated")
    }

    @Test func lyingRowsAndColumns() throws {
        var file = try PixelCleaningTests.image(regions: [(0, 0, 10, 10)])
        file.dataSet.set(DataElement(tag: Tag(0x0028, 0x0010), vr: .US, bytes: ValueEncoding.us([4000], order: .littleEndian)))
        try Self.expectRefused(file, "pixel data truncated")
        file.dataSet.set(DataElement(tag: Tag(0x0028, 0x0010), vr: .US, bytes: ValueEncoding.us([0], order: .littleEndian)))
        try Self.expectRefused(file, "Rows and Columns must be at least 1")
    }

    @Test func truncatedFragments() throws {
        try Self.expectRefused(try Self.rleImage { $0[3] = $0[3].prefix(40) }, "frame 3: corrupt frame")
        try Self.expectRefused(try Self.rleImage(withOffsetTable: false) { $0[1] = $0[1].prefix(100) }, "frame 1: corrupt frame")
        // With an offset table, a shortened fragment moves the next frame's start.
        try Self.expectRefused(try Self.rleImage { $0[2] = $0[2].prefix(40) }, "Basic Offset Table entry 3")
    }

    @Test func wrongFragmentCountsAndOffsets() throws {
        try Self.expectRefused(try Self.rleImage { $0.removeLast() }, "Basic Offset Table entry 3")
        try Self.expectRefused(try Self.rleImage { $0[0] = [] ; $0.removeLast() }, "2 fragments for 3 frames")
        try Self.expectRefused(try Self.rleImage { $0[0] = $0[0].prefix(8) }, "Basic Offset Table has 2 offsets for 3 frames")
        try Self.expectRefused(try Self.rleImage { $0 = [$0[0]] }, "no fragment")
    }

    @Test func corruptRLE() throws {
        // Segment count, then the first segment offset pointing past the frame.
        try Self.expectRefused(try Self.rleImage { $0[1] = [9, 0, 0, 0] + $0[1].dropFirst(4) }, "declares 9 segments")
        try Self.expectRefused(try Self.rleImage { $0[3] = $0[3].prefix(4) + [0xFF, 0xFF, 0, 0] + $0[3].dropFirst(8) },
                               "lies outside the frame")
    }

    @Test func savedPixelsThatDoNotFitAreRefusedOnReidentification() throws {
        let original = try PixelCleaningTests.image(regions: [(4, 6, 27, 21)])
        var (out, _) = try TestEnvironment.deidentifyThroughBytes(original, with: try PixelCleaningTests.deidentifier())
        out.dataSet.set(DataElement(tag: .pixelData, vr: .OB, bytes: [0, 0]))
        // The binding notices first; accepting the change, the saved pixels are then found not to fit.
        let refused = #expect(throws: DeidentificationError.self) {
            try Reidentifier(key: try TestEnvironment.key(), certificate: try TestEnvironment.certificate()).reidentify(out)
        }
        #expect(refused?.code == .modifiedAfterDeidentification)
        let error = #expect(throws: DeidentificationError.self) {
            try Reidentifier(key: try TestEnvironment.key(), certificate: try TestEnvironment.certificate(),
                             acceptModified: true).reidentify(out)
        }
        #expect(error?.code == .invalidModifiedAttributes)
    }
}
