import DICOMCore
@testable import IdentifyingTerms
import Testing
@testable import Review

struct ValueMatcherTests {
    static func match(_ kind: IdentifierTerm.Kind, _ term: String, in value: String, vr: VR = .LO) -> Bool {
        let matcher = ValueMatcher(terms: [IdentifierTerm(kind: kind, text: term, source: Tag(0x0010, 0x0010))])
        return matcher.firstMatch(in: Array(value.uppercased().utf8), scope: ValueMatcher.scope(of: vr)) != nil
    }

    @Test(arguments: ["19700101", "1970-01-01", "01/01/1970", "01.01.1970", "January 1, 1970", "Jan 01, 1970",
                      "1 January 1970", "seen on 1970/01/01."])
    func datesMatchInTheirWrittenForms(_ text: String) {
        #expect(Self.match(.date, "19700101", in: "note: \(text) end"))
    }

    /// Issue 24: `1/1/2023` was missed. 5 January 2023 written without zeros, with two-digit years, US order with
    /// dashes, and with month abbreviations as forms and reports print them.
    @Test(arguments: ["5/1/2023", "1/5/2023", "5/1/23", "1/5/23", "05/01/23", "01/05/23", "5.1.2023", "05.01.23",
                      "2023-1-5", "2023/1/5", "01-05-2023", "1-5-2023", "5-1-2023", "05-JAN-2023", "5-Jan-2023",
                      "05JAN2023", "05-JAN-23", "Jan 5 2023", "05 January 2023"])
    func datesMatchUnpaddedAndShortForms(_ text: String) {
        #expect(Self.match(.date, "20230105", in: "DOB \(text), follow-up"), "\(text)")
    }

    /// The added forms do not flood: a two-digit year needs slashes (dashes and unpadded dots with two digits
    /// are version numbers), and no form matches inside a longer number.
    @Test(arguments: ["V1.5.23", "release 5.1.23", "5-1-23", "15/1/2023", "5/1/20234", "2023-1-50", "12023-1-5",
                      "1/5/230", "25/1/23"])
    func shortDateFormsDoNotMatchLookalikes(_ text: String) {
        #expect(!Self.match(.date, "20230105", in: "note \(text) end"), "\(text)")
    }

    @Test func datesDoNotMatchInsideLongerNumbers() {
        #expect(!Self.match(.date, "19700101", in: "2.25.1197001012", vr: .UI))
        #expect(!Self.match(.date, "19700101", in: "119700101"))
    }

    @Test func namesMatchAsWholeWordsCaseInsensitively() {
        #expect(Self.match(.name, "ANN", in: "scan of ann^smith"))
        #expect(!Self.match(.name, "ANN", in: "ANNOTATION"))
        #expect(Self.match(.name, "ROSALIND", in: "rosalind's follow-up"))
    }

    @Test func idsMatchInsideLongerText() {
        #expect(Self.match(.id, "PID88231X", in: "MRNPID88231XFOLLOWUP"))
        #expect(Self.match(.id, "4471", in: "ACC4471B"))
        #expect(!Self.match(.id, "4471", in: "144712"), "an all-digit ID inside a longer number is a coincidence")
    }

    /// Issue 24: Patient ID `00012345` leaked as `12345` was missed. An all-digit ID matches with any number
    /// of leading zeros, its own or none, when at least five digits remain (shorter numbers are years and counts).
    @Test func numericIDsMatchWithOrWithoutLeadingZeros() {
        for value in ["MRN 12345", "12345", "ID0012345", "0000000012345 follow-up", "00012345"] {
            #expect(Self.match(.id, "00012345", in: value), "\(value)")
        }
        #expect(Self.match(.id, "12345", in: "MRN 00012345"), "an ID written with zeros it did not have")
        for value in ["112345", "123456", "100012345"] {
            #expect(!Self.match(.id, "00012345", in: value), "\(value): inside a longer number")
        }
        #expect(!Self.match(.id, "00001234", in: "series 1234"), "four digits left: too short to tell from a count")
        #expect(Self.match(.id, "00001234", in: "ID 00001234"))
    }

    /// Issue 24: a numeric Patient ID equal to a component of the UID root was reported in every UID. A UID
    /// that is not one of the original's (derived by a hash under a root the operator chose) or a standard
    /// one (1.2.840.10008.*) cannot carry the patient's ID or dates; a UID the output kept from the original
    /// can, and is still searched (compact dates only: `5.1.2023` inside a UID is its structure).
    @Test func uidsCarryIDsAndDatesOnlyWhenTheyAreTheOriginals() {
        let kept = "1.2.826.0.1.3680043.2.1125.14519.20230105.7"
        let matcher = ValueMatcher(terms: [IdentifierTerm(kind: .id, text: "14519", source: Tag(0x0010, 0x0020)),
                                           IdentifierTerm(kind: .date, text: "20230105", source: Tag(0x0008, 0x0020))],
                                   originalUIDs: [kept, "1.2.840.10008.5.1.4.1.1.14519"])
        func found(_ value: String, uid: Bool) -> IdentifierTerm.Kind? {
            matcher.firstMatch(in: Array(value.utf8), scope: uid ? .datesAndIDs : .all, isUID: uid)?.kind
        }
        #expect(found("1.3.6.1.4.1.14519.5.2.1.9999.9999.4411", uid: true) == nil, "derived under the root")
        #expect(found("1.2.840.10008.5.1.4.1.1.14519", uid: true) == nil, "a standard UID")
        #expect(found("ref 1.3.6.1.4.1.14519.5.2.1.9999.9999.4411 done", uid: false) == nil, "a derived UID in text")
        #expect(found("1.2.5.1.2023.8", uid: true) == nil, "a date form that is UID structure")
        #expect(found(kept, uid: true) == .id, "the original's UID kept")
        #expect(found(kept + ".3", uid: true) == .id, "derived by appending to the original's UID")
        #expect(found("see " + kept, uid: false) == .id, "the original's UID in text")
        let dateOnly = ValueMatcher(terms: [IdentifierTerm(kind: .date, text: "20230105", source: Tag(0x0008, 0x0020))],
                                    originalUIDs: [kept])
        #expect(dateOnly.firstMatch(in: Array(kept.utf8), scope: .datesAndIDs, isUID: true)?.kind == .date)
        #expect(found("MRN 14519, 1.3.6.1.4.1.14519.5.2", uid: false) == .id, "the ID outside the UID still counts")
        #expect(found("seen 5.1.2023", uid: false) == .date, "a short dotted date is no UID")
    }

    /// Issue 22: code strings are searched for names as whole words; one equal to a whole value is told apart.
    @Test func codeStringsAreSearchedForNamesAsWholeWords() {
        #expect(Self.match(.name, "TEXT", in: "TEXT", vr: .CS))
        #expect(Self.match(.name, "ROSALIND", in: "KNEE_ROSALIND", vr: .CS))
        #expect(Self.match(.name, "ROSALIND", in: "ORIGINAL\\ROSALIND", vr: .CS))
        #expect(!Self.match(.name, "ANN", in: "ANNOTATION", vr: .CS))
        #expect(Self.match(.id, "PID88231X", in: "PID88231X", vr: .CS))
        #expect(!Self.match(.text, "ACME", in: "ACME", vr: .CS), "institution text is not looked for in codes")
        #expect(!Self.match(.id, "512", in: "512", vr: .DS))
        let term = IdentifierTerm(kind: .name, text: "ROSALIND", source: Tag(0x0010, 0x0010))
        #expect(ValueMatcher.isWholeValue(term, of: Array("ORIGINAL\\ROSALIND ".utf8)))
        #expect(!ValueMatcher.isWholeValue(term, of: Array("KNEE_ROSALIND".utf8)))
    }

    @Test(arguments: ["AB", "0", "000", "ANONYMIZED", "ct", "Test", "19000101"])
    func trivialValuesAreNotIdentifiers(_ value: String) {
        #expect(IdentifierCollector.isTrivial(value.uppercased()))
    }

    @Test func pathsInWords() {
        let path = TagPath([.init(tag: Tag(0x0008, 0x2218), item: 0), .init(tag: Tag(0x0008, 0x0104))])
        #expect(PathWords.describe(path) == "(0008,2218)[0] AnatomicRegionSequence / (0008,0104) CodeMeaning")
    }
}
