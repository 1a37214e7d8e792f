// The error design (ErrorCode, cause, throw site) is part of this module's API.
@_exported import Diagnostics

/// Why a file could not be de-identified or re-identified. One line, never a patient value.
///
/// Equality and hashing use ``code`` only, so tests can write `#expect(throws: DeidentificationError(.notARecipient))`.
/// A failure of another module (a ``DICOMCodec/DICOMError`` while encoding, a ``CMS/CMSError`` while encrypting)
/// arrives wrapped, with the original as ``cause``; a wrapped error without a reason of its own reads as the original.
public struct DeidentificationError: StructuredError {
    /// The kind of failure. New codes may be added; compare with `==`, do not switch exhaustively.
    public typealias Code = ErrorCode<DeidentificationError>
    /// These errors carry nothing besides code, reason and cause (their `init(_:_:cause:)` is StructuredError's).
    public typealias Context = Void

    public let storage: ErrorStorage<DeidentificationError>
    public init(storage: ErrorStorage<DeidentificationError>) { self.storage = storage }

    /// The same error (code, cause, throw site) placed inside `place`: "in `place`: reason".
    func located(in place: String) -> DeidentificationError {
        DeidentificationError(storage: ErrorStorage(code: code, context: (), reason: reason.isEmpty ? "in \(place)" : "in \(place): \(reason)",
                                                    cause: cause, location: thrownAt))
    }

    /// One line: the reason, then `: cause` when there is one; a wrapped error without a reason of its own
    /// reads as its cause.
    public var description: String {
        if reason.isEmpty, let cause { return "\(cause)" }
        return reasonWithCause
    }
}

extension ErrorCode<DeidentificationError> {
    /// Input already carries Patient Identity Removed YES or an Encrypted Attributes Sequence.
    public static var alreadyDeidentified: Self { Self("alreadyDeidentified", words: "already de-identified") }
    /// The Patient ID is not in the user's lookup table.
    public static var patientNotInLookupTable: Self { Self("patientNotInLookupTable", words: "patient not in the lookup table") }
    /// A lookup table or secret file is malformed or unsafe.
    public static var invalidConfiguration: Self { Self("invalidConfiguration", words: "invalid configuration") }
    /// No Encrypted Attributes Sequence, or no item in it.
    public static var noEncryptedAttributes: Self { Self("noEncryptedAttributes", words: "no encrypted attributes") }
    /// No item could be opened with the key.
    public static var notARecipient: Self { Self("notARecipient", words: "not a recipient of the encrypted attributes") }
    /// The decrypted content does not parse as a data set holding one Modified Attributes Sequence item.
    public static var invalidEncryptedContent: Self { Self("invalidEncryptedContent", words: "invalid encrypted content") }
    /// The Modified Attributes Sequence is missing or has other than one item.
    public static var invalidModifiedAttributes: Self { Self("invalidModifiedAttributes", words: "invalid modified attributes") }
    /// The input lacks what the profile needs (e.g. SOP Instance UID).
    public static var missingAttribute: Self { Self("missingAttribute", words: "missing attribute") }
    /// Encryption or decryption failed in the crypto module.
    public static var cryptoFailed: Self { Self("cryptoFailed", words: "encryption failed") }
    /// The data set could not be encoded.
    public static var encodingFailed: Self { Self("encodingFailed", words: "data set cannot be encoded") }
    /// The profile's script asked not to write this file (CTP @skip).
    public static var skippedByProfile: Self { Self("skippedByProfile", words: "skipped by the profile") }
    /// The profile's script asked to set this file aside for review (CTP @quarantine).
    public static var quarantinedByProfile: Self { Self("quarantinedByProfile", words: "quarantined by the profile") }
    /// `--clean-pixel-data`: the pixels likely carry burned-in text and no pixel rule or ultrasound region covers
    /// them (the file is refused; `--quarantine` copies it aside).
    public static var pixelsNotCleaned: Self { Self("pixelsNotCleaned", words: "pixels not cleaned") }
    /// `--clean-pixel-data`: the pixel data does not fit its description, or a frame does not decode.
    public static var invalidPixelData: Self { Self("invalidPixelData", words: "invalid pixel data") }
    /// `--clean-pixel-data`: the frames' transfer syntax has no codec that can write them back.
    public static var unsupportedPixelEncoding: Self { Self("unsupportedPixelEncoding", words: "pixel encoding cannot be cleaned") }
    /// A profile rule could not be evaluated for this file (a missing lookup entry, a database error).
    public static var ruleFailed: Self { Self("ruleFailed", words: "profile rule failed") }
    /// Re-identification: the Encrypted Attributes item was made for another file (its binding names another SOP
    /// Instance UID): restoring it would put another patient's identity on this file.
    public static var itemOfAnotherFile: Self { Self("itemOfAnotherFile", words: "encrypted attributes of another file") }
    /// Re-identification: the file changed after de-identification (its data set no longer matches the binding).
    public static var modifiedAfterDeidentification: Self { Self("modifiedAfterDeidentification", words: "changed after de-identification") }
}
