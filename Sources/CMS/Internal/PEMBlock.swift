internal import COpenSSL

/// One `-----BEGIN NAME-----` block of a PEM file (RFC 7468), base64 already decoded.
struct PEMBlock {
    /// The label, e.g. `CERTIFICATE`, `PRIVATE KEY`, `ENCRYPTED PRIVATE KEY`, `RSA PRIVATE KEY`.
    var label: String
    /// RFC 1421 headers (`Proc-Type: 4,ENCRYPTED`, `DEK-Info: ...`) of traditional encrypted keys; usually empty.
    var headers: String
    /// The decoded DER. The caller cleanses it when it may hold a private key.
    var der: [UInt8]

    var isCertificate: Bool { ["CERTIFICATE", "X509 CERTIFICATE", "TRUSTED CERTIFICATE"].contains(label) }
    var isPrivateKey: Bool { label.hasSuffix("PRIVATE KEY") }
    var isEncryptedTraditionalKey: Bool { isPrivateKey && headers.contains("ENCRYPTED") }

    /// True when `bytes` look like PEM text: optional whitespace, then `-----BEGIN `.
    static func looksLikePEM(_ bytes: [UInt8]) -> Bool {
        let marker = Array("-----BEGIN ".utf8)
        guard let start = bytes.firstIndex(where: { !($0 == 0x20 || $0 == 0x09 || $0 == 0x0D || $0 == 0x0A) }) else {
            return false
        }
        return bytes[start...].starts(with: marker)
    }

    /// Every PEM block in `bytes`, in order (text outside blocks is ignored, as OpenSSL does).
    /// - Throws: ``CMSError`` `.unrecognizedFormat` when a block is damaged (bad base64, missing END line).
    static func blocks(in bytes: [UInt8], path: String?) throws(CMSError) -> [PEMBlock] {
        OpenSSLErrorQueue.clear()
        return try MemoryBIO.withReadOnly(bytes, failing: .unrecognizedFormat) { bio throws(CMSError) -> [PEMBlock] in
            var found: [PEMBlock] = []
            while true {
                var name: UnsafeMutablePointer<CChar>?
                var header: UnsafeMutablePointer<CChar>?
                var data: UnsafeMutablePointer<UInt8>?
                var length = 0
                let ok = PEM_read_bio(bio, &name, &header, &data, &length)
                defer {
                    shim_OPENSSL_free(name)
                    shim_OPENSSL_free(header)
                    shim_OPENSSL_clear_free(data, length > 0 ? length : 0)
                }
                guard ok == 1, let name else {
                    // PEM_read_bio reports the end of the input as "no start line"; anything else is damage.
                    let errors = OpenSSLErrorQueue.drain()
                    if errors.allSatisfy({ $0.contains("no start line") }) { break }
                    throw CMSError(.unrecognizedFormat, reason: "damaged PEM block", openSSLErrors: errors, path: path)
                }
                let der = data.map { Array(UnsafeBufferPointer(start: $0, count: length)) } ?? []
                found.append(PEMBlock(label: String(cString: name), headers: header.map { String(cString: $0) } ?? "",
                                      der: der))
            }
            return found
        }
    }

    /// The error for PEM text without a private key (`wantKey`) or without a certificate: the other kind was
    /// found, or these labels, or no block at all.
    static func missingError(wantKey: Bool, in blocks: [PEMBlock], path: String?) -> CMSError {
        let (wanted, other) = wantKey ? ("a private key", "a certificate") : ("a certificate", "a private key")
        if blocks.contains(where: { wantKey ? $0.isCertificate : $0.isPrivateKey }) {
            return CMSError(wantKey ? .expectedKeyGotCertificate : .expectedCertificateGotKey,
                            reason: "expected \(wanted), found \(other)", path: path)
        }
        let labels = blocks.map(\.label).joined(separator: ", ")
        return CMSError(.unrecognizedFormat,
                        reason: labels.isEmpty ? "no PEM block found" : "expected \(wanted), found PEM \(labels)", path: path)
    }
}
