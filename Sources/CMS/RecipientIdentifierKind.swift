/// How a KeyTransRecipientInfo names its recipient (RFC 5652 6.2.1):
/// ```
/// RecipientIdentifier ::= CHOICE {
///   issuerAndSerialNumber IssuerAndSerialNumber,
///   subjectKeyIdentifier [0] SubjectKeyIdentifier }
/// ```
public enum RecipientIdentifierKind: Sendable {
    /// The certificate's issuer name and serial number (version 0 RecipientInfo); the default, understood everywhere.
    case issuerAndSerialNumber
    /// The certificate's subjectKeyIdentifier extension (version 2 RecipientInfo); the certificate must have one.
    case subjectKeyIdentifier
}
