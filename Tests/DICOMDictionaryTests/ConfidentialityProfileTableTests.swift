import DICOMCore
import DICOMDictionary
import Testing

@Suite struct ConfidentialityProfileTableTests {
    @Test func hasEveryRow() {
        let rows = ConfidentialityProfileTable.allRows
        #expect(rows.count == 621)
        #expect(rows.allSatisfy { $0.action(.basicProfile) != nil })
    }

    @Test func patientNameIsZeroed() throws {
        let row = try #require(ConfidentialityProfileTable.row(for: .patientName))
        #expect(row.action(.basicProfile) == .zero)
        #expect(row.name == "Patient's Name")
        #expect(row.inStdCompIOD)
        #expect(row.action(.rtnUIDsOpt) == nil)
    }

    @Test func sopInstanceUIDIsReplaced() throws {
        let row = try #require(ConfidentialityProfileTable.row(for: Tag(0x0008, 0x0018)))
        #expect(row.action(.basicProfile) == .replaceUID)
        #expect(row.action(.rtnUIDsOpt) == .keep)
    }

    @Test func overlayDataMatchesEvenOverlayGroups() throws {
        let row = try #require(ConfidentialityProfileTable.row(for: Tag(0x6002, 0x3000)))
        #expect(row.tag == Tag(0x6000, 0x3000))
        #expect(row.groupMask == 0xFF01)
        #expect(row.elementMask == 0xFFFF)
        #expect(row.action(.basicProfile) == .remove)
        #expect(row.action(.cleanGraphOpt) == .clean)
        #expect(ConfidentialityProfileTable.row(for: Tag(0x6000, 0x4000))?.name == "Overlay Comments")
    }

    @Test func curveGroupsMatchAnyElement() throws {
        let row = try #require(ConfidentialityProfileTable.row(for: Tag(0x5004, 0x0010)))
        #expect(row.name == "Curve Data")
        #expect(row.elementMask == 0x0000)
    }

    @Test func oddGroupsMatchThePrivateAttributesRow() throws {
        let row = try #require(ConfidentialityProfileTable.row(for: Tag(0x0029, 0x1010)))
        #expect(row.action(.basicProfile) == .remove)
        #expect(row.action(.rtnSafePrivOpt) == .clean)
        // An odd overlay group is private, not Overlay Data.
        #expect(ConfidentialityProfileTable.row(for: Tag(0x6001, 0x3000)) == row)
    }

    @Test func compoundCodes() {
        let codes = Set(ConfidentialityProfileTable.allRows.compactMap { $0.action(.basicProfile) })
        #expect(codes.isSuperset(of: [.zeroOrDummy, .removeOrZero, .removeOrDummy, .removeOrZeroOrDummy,
                                      .removeOrZeroOrReplaceUID]))
        #expect(ProfileActionCode.removeOrZeroOrReplaceUID.description == "X/Z/U*")
    }

    @Test func rowsMatchTheirOwnTags() {
        for row in ConfidentialityProfileTable.allRows {
            #expect(row.matches(row.tag))
            if row.groupMask == 0xFFFF, row.elementMask == 0xFFFF {
                #expect(ConfidentialityProfileTable.row(for: row.tag) == row)
            }
        }
    }

    @Test func namesAreSingleLine() {
        #expect(ConfidentialityProfileTable.row(for: Tag(0x0088, 0x0200))?.name == "Icon Image Sequence (see Note 11)")
    }

    @Test func unlistedStandardTagsHaveNoRow() {
        #expect(ConfidentialityProfileTable.row(for: Tag(0x0028, 0x0010)) == nil)   // Rows
    }
}
