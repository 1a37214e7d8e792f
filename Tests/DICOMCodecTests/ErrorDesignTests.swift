import DICOMCodec
import DICOMCore
import Testing

/// The one error design (issue 13 item 4): opaque codes in words, throw site, place added while unwinding.
struct ErrorDesignTests {
    @Test func readFailureRecordsItsThrowSiteInThisModule() throws {
        let error = try #require(throws: DICOMError.self) {
            _ = try Part10Reader.read(contentsOf: "/nonexistent/dir/in.dcm")
        }
        #expect(error.code == .io)
        #expect(error.thrownAt.fileID.hasPrefix("DICOMCodec/"))
        #expect(error.file == "in.dcm")
        #expect(error.withoutFile.file == nil)
        #expect(error.withoutFile.thrownAt == error.thrownAt)
    }

    @Test func placeIsAddedWhileUnwindingWithoutLosingTheThrowSite() {
        let inner = DICOMError(.truncated, reason: "need 4 bytes, 2 left")
        let placed = inner.placed(at: 0x1A2, in: TagPath(Tag(0x0020, 0x000E)))
            .inside(TagPath([TagPath.Component(tag: Tag(0x0008, 0x1115), item: 0)])).inFile("in.dcm")
        #expect(placed.description == "truncated at byte 0x1A2 in (0008,1115) ReferencedSeriesSequence[0] > "
            + "(0020,000E) SeriesInstanceUID of in.dcm: need 4 bytes, 2 left")
        #expect(placed.thrownAt == inner.thrownAt)
        // A place already set is kept.
        #expect(placed.placed(at: 0, in: TagPath(Tag(0x0010, 0x0010))).offset == 0x1A2)
        #expect(placed.withReason(prefix: "file meta information: ").reason == "file meta information: need 4 bytes, 2 left")
    }

    @Test func codesCompareByNameAndReadAsWords() {
        #expect(DICOMError(.lengthExceedsParent, reason: "x") == DICOMError(.lengthExceedsParent))
        #expect(DICOMError.Code.lengthExceedsParent.description == "length runs past its container")
        #expect(DICOMError.Code.lengthExceedsParent.name == "lengthExceedsParent")
        let underlying = DICOMError(.io, reason: "disk full")
        let chained = DICOMError(.unencodable, reason: "outer", cause: underlying)
        #expect(chained.description == "value cannot be encoded: outer: \(underlying)")
        #expect(chained.causeChain.count == 2)
    }
}
