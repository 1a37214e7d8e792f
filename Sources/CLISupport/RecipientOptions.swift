import ArgumentParser
import CMS
import Deidentification

/// The recipients of the Encrypted Attributes and how they are encrypted: the same options for every command that
/// de-identifies (`dicom-deidentify`, `dicom-gateway`).
package struct RecipientOptions: ParsableArguments {
    @Option(name: .customLong("recipient"),
            help: ArgumentHelp("Recipient X.509 certificate (PEM or DER, RSA); repeat for several recipients.", valueName: "cert"), completion: .file())
    package var certificates: [String] = []

    @Option(help: "Content encryption of the Encrypted Attributes (3des is legacy).")
    package var cipher: CipherArgument = .aes256

    @Option(help: "RSA key transport: PKCS#1 v1.5 (what DICOM names; every peer reads it) or RSAES-OAEP with SHA-256.")
    package var keyTransport: KeyTransportArgument = .pkcs1v15

    @Flag(help: "Accept recipient RSA keys shorter than 2048 bits.")
    package var allowWeakKeys = false

    package init() {}

    /// Every `--recipient` certificate, read and checked (a weak key is refused unless allowed; other findings
    /// are printed as warnings).
    /// - Throws: ``CLIError`` naming the certificate.
    package func load() throws -> [RecipientCertificate] {
        var loaded: [RecipientCertificate] = []
        for path in certificates {
            do {
                let certificate = try RecipientCertificate(contentsOf: path)
                for warning in try certificate.check(allowWeakKeys: allowWeakKeys) { Terminal.line("warning: \(path): \(warning)") }
                loaded.append(certificate)
            } catch {
                throw CLIError("recipient \(path): \(error)")
            }
        }
        return loaded
    }

    /// The recipients of the loaded `certificates`, with the chosen cipher and key transport.
    package func recipients(_ certificates: [RecipientCertificate]) -> Recipients {
        Recipients(certificates, cipher: cipher.cipher, keyTransport: keyTransport.keyTransport, allowWeakKeys: allowWeakKeys)
    }
}
