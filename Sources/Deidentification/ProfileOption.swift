import DICOMDictionary

/// An option of the Basic Application Level Confidentiality Profile (PS3.15 E.3) with its CID 7050 code.
public enum ProfileOption: String, Sendable, CaseIterable, Comparable {
    case retainSafePrivate
    case retainUIDs
    case retainDeviceIdentity
    case retainInstitutionIdentity
    case retainPatientCharacteristics
    case retainLongitudinalFullDates
    case retainLongitudinalModifiedDates
    case cleanDescriptors
    case cleanStructuredContent
    case cleanGraphics

    /// The Table E.1-1 column of the option.
    public var column: ProfileColumn {
        switch self {
        case .retainSafePrivate: return .rtnSafePrivOpt
        case .retainUIDs: return .rtnUIDsOpt
        case .retainDeviceIdentity: return .rtnDevIdOpt
        case .retainInstitutionIdentity: return .rtnInstIdOpt
        case .retainPatientCharacteristics: return .rtnPatCharsOpt
        case .retainLongitudinalFullDates: return .rtnLongFullDatesOpt
        case .retainLongitudinalModifiedDates: return .rtnLongModifDatesOpt
        case .cleanDescriptors: return .cleanDescOpt
        case .cleanStructuredContent: return .cleanStructContOpt
        case .cleanGraphics: return .cleanGraphOpt
        }
    }

    /// The PS3.16 CID 7050 "De-identification Method" code value (coding scheme DCM).
    public var codeValue: String {
        switch self {
        case .cleanGraphics: return "113103"
        case .cleanStructuredContent: return "113104"
        case .cleanDescriptors: return "113105"
        case .retainLongitudinalFullDates: return "113106"
        case .retainLongitudinalModifiedDates: return "113107"
        case .retainPatientCharacteristics: return "113108"
        case .retainDeviceIdentity: return "113109"
        case .retainUIDs: return "113110"
        case .retainSafePrivate: return "113111"
        case .retainInstitutionIdentity: return "113112"
        }
    }

    /// The CID 7050 code meaning.
    public var codeMeaning: String {
        switch self {
        case .cleanGraphics: return "Clean Graphics Option"
        case .cleanStructuredContent: return "Clean Structured Content Option"
        case .cleanDescriptors: return "Clean Descriptors Option"
        case .retainLongitudinalFullDates: return "Retain Longitudinal Temporal Information Full Dates Option"
        case .retainLongitudinalModifiedDates: return "Retain Longitudinal Temporal Information Modified Dates Option"
        case .retainPatientCharacteristics: return "Retain Patient Characteristics Option"
        case .retainDeviceIdentity: return "Retain Device Identity Option"
        case .retainUIDs: return "Retain UIDs Option"
        case .retainSafePrivate: return "Retain Safe Private Option"
        case .retainInstitutionIdentity: return "Retain Institution Identity Option"
        }
    }

    /// Code value of the Basic Application Confidentiality Profile itself (CID 7050).
    public static let basicProfileCodeValue = "113100"
    public static let basicProfileCodeMeaning = "Basic Application Confidentiality Profile"

    public static func < (lhs: ProfileOption, rhs: ProfileOption) -> Bool {
        allCases.firstIndex(of: lhs) ?? 0 < allCases.firstIndex(of: rhs) ?? 0
    }
}
