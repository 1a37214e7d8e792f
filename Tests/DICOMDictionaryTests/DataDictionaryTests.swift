import DICOMCore
import DICOMDictionary
import Testing

@Suite struct DataDictionaryTests {
    @Test func patientNameIsPersonName() throws {
        let info = try #require(DataDictionary.info(for: Tag(0x0010, 0x0010)))
        #expect(info.keyword == "PatientName")
        #expect(info.name == "Patient's Name")
        #expect(info.vr == .single(.PN))
        #expect(info.vm == "1")
        #expect(!info.isRetired)
        #expect(DataDictionary.vr(for: .patientName) == .single(.PN))
    }

    @Test(arguments: [
        (Tag(0x6002, 0x3000), DictionaryVR.obOrOW, Tag(0x6000, 0x3000), "OverlayData"),
        (Tag(0x601E, 0x0010), .single(.US), Tag(0x6000, 0x0010), "OverlayRows"),
        (Tag(0x5000, 0x3000), .obOrOW, Tag(0x5000, 0x3000), "CurveData"),
        (Tag(0x5012, 0x0005), .single(.US), Tag(0x5000, 0x0005), "CurveDimensions"),
        (Tag(0x7F02, 0x0010), .obOrOW, Tag(0x7F00, 0x0010), "VariablePixelData"),
    ])
    func repeatingGroupsResolveToTheirBase(tag: Tag, vr: DictionaryVR, base: Tag, keyword: String) {
        #expect(DataDictionary.vr(for: tag) == vr)
        #expect(DataDictionary.info(for: tag)?.tag == base)
        #expect(DataDictionary.keyword(for: tag) == keyword)
    }

    @Test func repeatingGroupsStopAtTheirRange() {
        #expect(DataDictionary.vr(for: Tag(0x6001, 0x3000)) == nil)   // odd: private
        #expect(DataDictionary.vr(for: Tag(0x6020, 0x3000)) == nil)   // beyond 601E
    }

    @Test func pixelDataIsExactNotVariablePixelData() {
        #expect(DataDictionary.keyword(for: .pixelData) == "PixelData")
        #expect(DataDictionary.vr(for: .pixelData) == .obOrOW)
    }

    @Test func ambiguousVRs() {
        #expect(DataDictionary.vr(for: Tag(0x0028, 0x0106)) == .usOrSS)
        #expect(DataDictionary.vr(for: Tag(0x0028, 0x1101)) == .usOrSS)   // Red Palette LUT Descriptor
        #expect(DataDictionary.vr(for: Tag(0x0028, 0x1201)) == .single(.OW))
        #expect(DictionaryVR.usOrSS.candidates == [.US, .SS])
        #expect(DictionaryVR.obOrOW.single == nil)
    }

    @Test func elementPatterns() {
        #expect(DataDictionary.keyword(for: Tag(0x0020, 0x3105)) == "SourceImageIDs")
        #expect(DataDictionary.info(for: Tag(0x0020, 0x3105))?.tag == Tag(0x0020, 0x3100))
        #expect(DataDictionary.keyword(for: Tag(0x1000, 0x0123)) == "HuffmanTableTriplet")
        #expect(DataDictionary.keyword(for: Tag(0x1010, 0x0042)) == "ZonalMap")
        #expect(DataDictionary.keyword(for: Tag(0x0028, 0x0412)) == "CoefficientCoding")
        // An exact entry wins over the pattern (0028,04X0) that also covers it.
        #expect(DataDictionary.keyword(for: Tag(0x0028, 0x0400)) == "TransformLabel")
    }

    @Test func nonASCIINamesKeepTheirNeighboursIntact() {
        #expect(DataDictionary.info(for: Tag(0x0018, 0x1153))?.name == "Exposure in \u{B5}As")
        #expect(DataDictionary.info(for: Tag(0x0018, 0x1153))?.keyword == "ExposureInuAs")
        #expect(DataDictionary.info(for: Tag(0x0018, 0x1154))?.name == "Average Pulse Width")
        #expect(DataDictionary.info(for: Tag(0x0018, 0x8151))?.name == "X-Ray Tube Current in \u{B5}A")
    }

    @Test func retiredEntries() {
        #expect(DataDictionary.info(for: Tag(0x0008, 0x0001))?.isRetired == true)   // Length to End
        #expect(DataDictionary.info(for: Tag(0x0008, 0x0001))?.vm == "1")
        #expect(DataDictionary.info(for: Tag(0x0008, 0x0005))?.vm == "1-n")
    }

    @Test func groupLengthsAreUL() {
        #expect(DataDictionary.vr(for: Tag(0x0002, 0x0000)) == .single(.UL))
        #expect(DataDictionary.vr(for: Tag(0x0008, 0x0000)) == .single(.UL))
        #expect(DataDictionary.vr(for: Tag(0x0029, 0x0000)) == .single(.UL))
        #expect(DataDictionary.info(for: Tag(0x0010, 0x0000))?.name == "Group Length")
        #expect(DataDictionary.keyword(for: Tag(0x0010, 0x0000)) == nil)
    }

    @Test func fileMetaAndItemTags() {
        #expect(DataDictionary.keyword(for: Tag(0x0002, 0x0010)) == "TransferSyntaxUID")
        #expect(DataDictionary.vr(for: Tag(0x0002, 0x0001)) == .single(.OB))
        #expect(DataDictionary.vr(for: .item) == .single(.UN))   // PS3.6: "See Note 2"
    }

    @Test func unknownTagsAreNil() {
        #expect(DataDictionary.vr(for: Tag(0x0009, 0x1010)) == nil)
        #expect(DataDictionary.info(for: Tag(0x0010, 0x0011)) == nil)
        #expect(DataDictionary.tag(forKeyword: "patientName") == nil)
        #expect(DataDictionary.tag(forKeyword: "") == nil)
    }

    @Test func keywordsLookUp() {
        #expect(DataDictionary.tag(forKeyword: "PatientID") == Tag(0x0010, 0x0020))
        #expect(DataDictionary.tag(forKeyword: "OverlayData") == Tag(0x6000, 0x3000))
        #expect(DataDictionary.tag(forKeyword: "SOPInstanceUID") == .sopInstanceUID)
    }

    /// The element patterns `(0028,04X0)`...`(0028,04X3)` overlap the exact entries `(0028,0400)`...
    /// `(0028,0403)`, so their canonical tags look up the exact entries.
    static let overlappedPatterns: Set<String> = [
        "RowsForNthOrderCoefficients", "ColumnsForNthOrderCoefficients", "CoefficientCoding",
        "CoefficientCodingPointers",
    ]

    @Test func everyKeywordRoundTrips() {
        let entries = DataDictionary.allEntries
        #expect(entries.count == 5129)
        var named = 0
        for entry in entries where !entry.keyword.isEmpty {
            named += 1
            #expect(DataDictionary.tag(forKeyword: entry.keyword) == entry.tag, "\(entry.keyword)")
            if !Self.overlappedPatterns.contains(entry.keyword) {
                #expect(DataDictionary.keyword(for: entry.tag) == entry.keyword, "\(entry.keyword)")
                #expect(DataDictionary.info(for: entry.tag) == entry)
            }
        }
        #expect(named == 5123)
    }

    @Test func entriesAreSortedAndUnique() {
        let tags = DataDictionary.allEntries.map(\.tag)
        #expect(Set(tags).count == tags.count - Self.overlappedPatterns.count)
    }
}
