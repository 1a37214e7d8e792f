import DICOMCodec
import DICOMCore
import DICOMDictionary

/// What a ``Rule`` does with the attributes it matches. Most actions are resolved per element into an
/// ``Action`` (by VR, by the attribute's Type in the IOD, by the options in force).
public enum RuleAction: Sendable {
    /// A fixed action.
    case fixed(Action)
    /// Keep; a sequence is kept with the profile applied to its items (K).
    case keep
    /// A Basic Profile code of Table E.1-1; compound codes resolved by the attribute's Type in the IOD.
    case tableCode(ProfileActionCode)
    /// An option's Clean (C): dates shifted and times kept under the Modified Dates option; for other VRs,
    /// or without that option, the Basic Profile code `fallback`.
    case clean(fallback: ProfileActionCode, option: ProfileOption)
    /// Patient ID and Patient Name: the keyed pseudonym, or the lookup table's value.
    case pseudonym
    /// Dates and times by VR (attributes Table E.1-1 does not list): removed, kept or shifted as the
    /// longitudinal options say.
    case dateByVR
    /// Inside a dummied sequence: coded strings and numbers kept, UIDs mapped, sequences dummied, every other
    /// value a dummy.
    case dummyByVR
    /// Replace the value with this text (encoded in the data set's character set).
    case setText(String)
    /// A script decides per element (a CTP DicomAnonymizer element script, for one).
    case script(any ElementScript)
}

/// A per-element program, such as a CTP DicomAnonymizer element script: evaluated on the original value
/// and the rest of the data set, it gives the element's new text or another outcome.
public protocol ElementScript: Sendable {
    /// What the script does to `element`.
    /// - Throws: ``DeidentificationError`` when the script cannot be evaluated for this element (a missing
    ///   lookup entry, an unreachable mapping database).
    func evaluate(_ element: DataElement, in context: ScriptContext) throws(DeidentificationError) -> ScriptOutcome
    /// Whether the script keys a number, hash or date shift on the Patient ID, so that a patient without one
    /// gets ``ScriptContext/patientKeyWithoutID`` instead.
    var keysOnPatientID: Bool { get }
}

extension ElementScript {
    public var keysOnPatientID: Bool { false }
}

/// What an ``ElementScript`` sees besides the element.
public struct ScriptContext {
    /// The data set that holds the element (the root, or an item).
    public let container: DataSet
    /// The root data set of the instance.
    public let root: DataSet
    /// Whether the element is at the root.
    public var isRoot: Bool
    /// Specific Character Set of the instance, for decoding and encoding text.
    public let characterSet: SpecificCharacterSet
    /// When the instance has no Patient ID: what keys the patient instead (Patient's Name and Birth Date, else
    /// the Study Instance UID, as for the built-in pseudonym), for scripts that key on the Patient ID.
    public var patientKeyWithoutID: String? = nil
}

/// The result of an ``ElementScript`` for one element.
public enum ScriptOutcome: Sendable, Equatable {
    case keep
    case remove
    case empty
    /// Set the value to this text (encoded in the instance's character set, padded for the VR).
    case set(String)
    /// A sequence: keep it and apply the profile to its items.
    case process
    /// Do not write this file (CTP @skip): the file is reported, not de-identified.
    case skipFile(String)
    /// Do not write this file; report it for review (CTP @quarantine).
    case quarantineFile(String)
}

/// Attributes a profile sets at the top level after its rules ran, such as elements a CTP script creates
/// with `@always()` when they are missing, or its De-identification Method Code Sequence update. What it
/// adds is removed again by re-identification; what it replaces goes into the Modified Attributes.
public protocol RootAdditions: Sendable {
    /// Tags among the identity-removed attributes (PS3.15 E.1.1 step 6) that the profile sets itself, such as
    /// De-identification Method: the de-identifier then leaves them to the profile. Patient Identity Removed
    /// is the de-identifier's whatever the profile says: YES, or NO where the profile kept an attribute that
    /// identifies the patient.
    var ownedTags: Set<Tag> { get }

    /// The elements to set at the top level of the output.
    /// - Parameters:
    ///   - original: the instance's data set as read.
    ///   - context: what element scripts see (the root).
    /// - Throws: ``DeidentificationError`` when the profile refuses the file.
    func additions(original: DataSet, context: ScriptContext) throws(DeidentificationError) -> [DataElement]
}
