/// One item CTP adds to De-identification Method Code Sequence (0012,0064) from a rule such as
/// `<e t="00120064">113100/113107</e>` (PS3.16 CID 7050 codes).
public struct CTPMethodCode: Hashable, Sendable {
    /// `DCM`, or `UNKNOWN` for a code CTP does not know.
    public var codingSchemeDesignator: String
    /// The code, e.g. `113100`.
    public var codeValue: String
    /// CTP's meaning for the code, or `UNKNOWN`.
    public var codeMeaning: String

    /// Creates a code item.
    public init(codingSchemeDesignator: String, codeValue: String, codeMeaning: String) {
        self.codingSchemeDesignator = codingSchemeDesignator
        self.codeValue = codeValue
        self.codeMeaning = codeMeaning
    }

    /// The meanings CTP's `DICOMAnonymizer.CodeMeaningTable` gives (spelled as CTP spells them).
    public static let ctpMeanings: [String: String] = [
        "113100": "Basic Application Confidentiality Profile",
        "113101": "Clean Pixel Data Option",
        "113102": "Clean Recognizable Visual Features Option",
        "113103": "Clean Graphics Option",
        "113104": "Clean Structured Content Option",
        "113105": "Clean Descriptors Option",
        "113106": "Retain Longitudinal Temporal Information Full Dates Option",
        "113107": "Retain Longitudinal Temporal Information Modified Dates Option",
        "113108": "Retain Patient Characteristics Option",
        "113109": "Retain Device Identity Option",
        "113110": "Retain UIDs",
        "113111": "Retain Safe Private Option",
        "113112": "Retain Institution Identity Option",
    ]

    /// The item CTP makes for `code`.
    public init(code: String) {
        if let meaning = Self.ctpMeanings[code] {
            self.init(codingSchemeDesignator: "DCM", codeValue: code, codeMeaning: meaning)
        } else {
            self.init(codingSchemeDesignator: "UNKNOWN", codeValue: code, codeMeaning: "UNKNOWN")
        }
    }
}
