import DICOMDictionary

/// An option of the Basic Application Level Confidentiality Profile (PS3.15 E.3). Everything known about an
/// option is in its ``descriptor``.
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

    /// What one option is: its Table E.1-1 column, its CID 7050 code (both from the generated tables) and
    /// the command-line flag that asks for it.
    public struct Descriptor: Sendable {
        public let column: ProfileColumn
        public let code: DeidentificationMethodCode
        /// The long flag, without its dashes (`retain-uids`).
        public let flag: String
    }

    public var descriptor: Descriptor {
        switch self {
        case .retainSafePrivate: Descriptor(column: .rtnSafePrivOpt, code: .retainSafePrivateOption, flag: "retain-safe-private")
        case .retainUIDs: Descriptor(column: .rtnUIDsOpt, code: .retainUidsOption, flag: "retain-uids")
        case .retainDeviceIdentity:
            Descriptor(column: .rtnDevIdOpt, code: .retainDeviceIdentityOption, flag: "retain-device-identity")
        case .retainInstitutionIdentity:
            Descriptor(column: .rtnInstIdOpt, code: .retainInstitutionIdentityOption, flag: "retain-institution-identity")
        case .retainPatientCharacteristics:
            Descriptor(column: .rtnPatCharsOpt, code: .retainPatientCharacteristicsOption,
                       flag: "retain-patient-characteristics")
        case .retainLongitudinalFullDates:
            Descriptor(column: .rtnLongFullDatesOpt, code: .retainLongitudinalTemporalInformationFullDatesOption,
                       flag: "retain-full-dates")
        case .retainLongitudinalModifiedDates:
            Descriptor(column: .rtnLongModifDatesOpt, code: .retainLongitudinalTemporalInformationModifiedDatesOption,
                       flag: "retain-modified-dates")
        case .cleanDescriptors: Descriptor(column: .cleanDescOpt, code: .cleanDescriptorsOption, flag: "clean-descriptors")
        case .cleanStructuredContent:
            Descriptor(column: .cleanStructContOpt, code: .cleanStructuredContentOption, flag: "clean-structured-content")
        case .cleanGraphics: Descriptor(column: .cleanGraphOpt, code: .cleanGraphicsOption, flag: "clean-graphics")
        }
    }

    /// The Table E.1-1 column of the option.
    public var column: ProfileColumn { descriptor.column }
    /// The PS3.16 CID 7050 "De-identification Method" code value (coding scheme DCM).
    public var codeValue: String { descriptor.code.value }
    /// The CID 7050 code meaning.
    public var codeMeaning: String { descriptor.code.meaning }

    /// Code value of the Basic Application Confidentiality Profile itself (CID 7050).
    public static let basicProfileCodeValue = DeidentificationMethodCode.basicApplicationConfidentialityProfile.value
    public static let basicProfileCodeMeaning = DeidentificationMethodCode.basicApplicationConfidentialityProfile.meaning

    public static func < (lhs: ProfileOption, rhs: ProfileOption) -> Bool {
        allCases.firstIndex(of: lhs) ?? 0 < allCases.firstIndex(of: rhs) ?? 0
    }
}
