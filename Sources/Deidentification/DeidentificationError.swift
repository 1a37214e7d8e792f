/// Why a file could not be de-identified or re-identified. One line, never a patient value.
public struct DeidentificationError: Error, Hashable, CustomStringConvertible, Sendable {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let name: String
        init(_ name: String) { self.name = name }
        public var description: String { name }

        /// Input already carries Patient Identity Removed YES or an Encrypted Attributes Sequence.
        public static let alreadyDeidentified = Code("alreadyDeidentified")
        /// The Patient ID is not in the user's lookup table.
        public static let patientNotInLookupTable = Code("patientNotInLookupTable")
        /// A lookup table or secret file is malformed or unsafe.
        public static let invalidConfiguration = Code("invalidConfiguration")
        /// No Encrypted Attributes Sequence, or no item in it.
        public static let noEncryptedAttributes = Code("noEncryptedAttributes")
        /// No item could be opened with the key.
        public static let notARecipient = Code("notARecipient")
        /// The decrypted content does not parse as a data set holding one Modified Attributes Sequence item.
        public static let invalidEncryptedContent = Code("invalidEncryptedContent")
        /// The Modified Attributes Sequence is missing or has other than one item.
        public static let invalidModifiedAttributes = Code("invalidModifiedAttributes")
        /// The input lacks what the profile needs (e.g. SOP Instance UID).
        public static let missingAttribute = Code("missingAttribute")
        /// Encryption or decryption failed in the crypto module.
        public static let cryptoFailed = Code("cryptoFailed")
        /// The data set could not be encoded.
        public static let encodingFailed = Code("encodingFailed")
        /// The profile's script asked not to write this file (CTP @skip).
        public static let skippedByProfile = Code("skippedByProfile")
        /// The profile's script asked to set this file aside for review (CTP @quarantine).
        public static let quarantinedByProfile = Code("quarantinedByProfile")
        /// A profile rule could not be evaluated for this file (a missing lookup entry, a database error).
        public static let ruleFailed = Code("ruleFailed")
    }

    public let code: Code
    public var reason: String

    public init(_ code: Code, _ reason: String) {
        self.code = code
        self.reason = reason
    }

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }
    public var description: String { reason }
}
