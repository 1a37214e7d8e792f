import DICOMCodec
import DICOMTestSupport
import IdentifyingTerms
import Testing
@testable import TextDetection

/// Which text lines are identifying: header values (approximately), dates, long numbers, labels; and which are
/// technical text to keep.
struct TextLineClassifierTests {
    /// The values of an invented patient, as `dicom-review check` would collect them from its header.
    static let values = [
        IdentifyingValue(kind: .name, text: "PATIENTFI"), IdentifyingValue(kind: .name, text: "OSCAR"),
        IdentifyingValue(kind: .name, text: "DOE"), IdentifyingValue(kind: .name, text: "JANE"),
        IdentifyingValue(kind: .id, text: "48213377"), IdentifyingValue(kind: .id, text: "Q12A77"),
        IdentifyingValue(kind: .date, text: "19610412"),
        IdentifyingValue(kind: .text, text: "CLEVELAND CLINIC"), IdentifyingValue(kind: .text, text: "BAPTIST MED CTR"),
    ]
    static let classifier = TextLineClassifier(values: values)

    @Test(arguments: [
        "OSCAR PATIENTF1",        // 1 read for I
        "PATIENTFl, 0SCAR",       // l for I, 0 for O
        "CLEVELAN..",             // cut short
        "CLEVELAMD CL1NIC",       // one wrong letter
        "BAPT1ST MED CTR",
        "DOE,JANE",               // run together
        "DOE^JANE",
        "4821337",                // a digit lost
        "Q12A77",                 // a short ID only the header knows
    ])
    func headerValuesMatchDespiteOCRErrors(line: String) {
        let result = Self.classifier.classify(words: line.split(separator: " ").map(String.init))
        guard case .headerValue = result else {
            Issue.record("'\(line)' classified \(result)")
            return
        }
    }

    @Test(arguments: [
        ("12/04/1961", TextClassification.date), ("1961-04-12", .date), ("DOB: 03.11.1958", .date), ("12-Apr-1961", .date),
        ("Born 12 APR 1961", .date), ("1961 04 12", .date), ("1961-O4-12", .date),
        ("Pt 7730012", .longNumber), ("9911023344", .longNumber),
        ("ID: K55A", .labelled), ("MRN ZX-4", .labelled), ("Name: Someone Else", .labelled), ("Acc# Z0042", .labelled),
        ("1D: K55A", .labelled), ("DOB:", .labelled), ("Ov 06/1958", .date),
        ("Re f: Dr X", .labelled), ("D OB", .labelled), ("@1/01/1945", .date), ("@4.1961", .date),
        ("18.11. Ey 261", .date), ("04/12/", .date),
    ])
    func genericPatternsNeedNoHeader(line: String, expected: TextClassification) {
        let classifier = TextLineClassifier(values: [])
        #expect(classifier.classify(words: line.split(separator: " ").map(String.init)) == expected, "\(line)")
    }

    @Test(arguments: ["MI 0.6", "TIS 0.4", "TIB 1.1", "18Hz", "FR 25", "Gn 52", "C5-1", "L12-5", "D 4.21 cm", "L 3.2 mm",
                      "W 400 L 40", "kVp 120", "mAs 200", "Depth 16 cm", "DR 60", "PRF 4.0 kHz", "Area 2.35 cm2",
                      "HR 72 bpm", "5", "10", "15", "12.5 cm/s", "0.6 / 1.1", "2.35", "0 10 20", "45.60."])
    func technicalTextIsKept(line: String) {
        #expect(Self.classifier.classify(words: line.split(separator: " ").map(String.init)) == .technical, "\(line)")
    }

    /// The header terms are the ones `dicom-review check` collects (IdentifyingTerms' IdentifierCollector).
    @Test func usesTheTermsTheLeftoverCheckCollects() throws {
        let file = try Part10Reader.read(bytes: SyntheticImage().bytes)
        let values = IdentifierCollector.terms(in: file.dataSet).compactMap { term in
            IdentifyingValue.Kind(rawValue: term.kind.rawValue).map { IdentifyingValue(kind: $0, text: term.text) }
        }
        let classifier = TextLineClassifier(values: values)
        #expect(classifier.classify(words: ["Fake", "Pat1ent"]) == .headerValue(.name))
        #expect(classifier.classify(words: ["FAKE-42"]) == .headerValue(.id))
        #expect(classifier.classify(words: ["MI", "0.6"]) == .technical)
    }

    @Test func oneIdentifyingWordMakesTheLineIdentifying() {
        #expect(Self.classifier.classify(words: ["18Hz", "OSCAR"]).isIdentifying)
        #expect(!Self.classifier.classify(words: ["18Hz", "MI", "0.6"]).isIdentifying)
    }
}
