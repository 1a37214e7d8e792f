/// A column of PS3.15 Table E.1-1: the Basic Profile and each of its options (PS3.15 E.3).
///
/// Raw values are the column keys of `shared/standard/confidentiality_profile_attributes.json`.
public enum ProfileColumn: String, Hashable, Sendable, CaseIterable {
    /// Basic Application Level Confidentiality Profile (PS3.15 E.2).
    case basicProfile
    /// Retain Safe Private Option (PS3.15 E.3.10).
    case rtnSafePrivOpt
    /// Retain UIDs Option (PS3.15 E.3.9).
    case rtnUIDsOpt
    /// Retain Device Identity Option (PS3.15 E.3.8).
    case rtnDevIdOpt
    /// Retain Institution Identity Option (PS3.15 E.3.11).
    case rtnInstIdOpt
    /// Retain Patient Characteristics Option (PS3.15 E.3.7).
    case rtnPatCharsOpt
    /// Retain Longitudinal Temporal Information with Full Dates Option (PS3.15 E.3.6).
    case rtnLongFullDatesOpt
    /// Retain Longitudinal Temporal Information with Modified Dates Option (PS3.15 E.3.6).
    case rtnLongModifDatesOpt
    /// Clean Descriptors Option (PS3.15 E.3.5).
    case cleanDescOpt
    /// Clean Structured Content Option (PS3.15 E.3.4).
    case cleanStructContOpt
    /// Clean Graphics Option (PS3.15 E.3.3).
    case cleanGraphOpt
}
