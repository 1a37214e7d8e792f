import DICOMCodec
import Diagnostics

/// What the de-identifier needs besides the file, in three groups: what it does (``policy``), what keys the
/// replacement identities (``keys``) and who can restore the originals (``recipients``).
public struct DeidentificationSettings: Sendable {
    public var policy: DeidentificationPolicy
    public var keys: MappingKeys
    public var recipients: Recipients
    /// Text of De-identification Method (0012,0063): tool name and version.
    public var toolName = Toolkit.methodName
    /// Written as (0002,0012)/(0002,0013) of the de-identified files.
    public var implementation: ImplementationIdentity = .dicomDeid

    public init(policy: DeidentificationPolicy = DeidentificationPolicy(), keys: MappingKeys, recipients: Recipients) {
        self.policy = policy
        self.keys = keys
        self.recipients = recipients
    }
}
