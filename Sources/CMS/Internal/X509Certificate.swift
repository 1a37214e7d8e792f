internal import Hashing
internal import COpenSSL
import Foundation

/// Owns an OpenSSL `X509` (RFC 5280 Certificate).
///
/// Immutable after loading; OpenSSL 3 guards the lazily computed extension cache with a lock, so sharing one
/// between threads is safe, hence the unchecked `Sendable`.
final class X509Certificate: @unchecked Sendable {
    let pointer: OpaquePointer

    private init(taking pointer: OpaquePointer) {
        self.pointer = pointer
    }

    deinit {
        X509_free(pointer)
    }

    /// Takes a reference to `pointer` (`X509_up_ref`); for certificates that OpenSSL hands out, e.g. from PKCS#12.
    init(retaining pointer: OpaquePointer) {
        X509_up_ref(pointer)
        self.pointer = pointer
    }

    /// Parses one DER certificate; nil when `der` is not one.
    static func parse(der: [UInt8]) -> X509Certificate? {
        der.withUnsafeBufferPointer { buffer -> X509Certificate? in
            var cursor = buffer.baseAddress
            guard buffer.count > 0, let x509 = d2i_X509(nil, &cursor, buffer.count) else { return nil }
            return X509Certificate(taking: x509)
        }
    }

    /// Loads a certificate from PEM (first certificate block) or DER, telling a key apart from a certificate.
    /// - Throws: ``CMSError`` `.expectedCertificateGotKey`, `.unrecognizedFormat`.
    static func load(_ bytes: [UInt8], path: String?) throws(CMSError) -> X509Certificate {
        OpenSSLErrorQueue.clear()
        if PEMBlock.looksLikePEM(bytes) {
            var blocks = try PEMBlock.blocks(in: bytes, path: path)
            defer { for index in blocks.indices { Cleanse.bytes(&blocks[index].der) } }
            if let block = blocks.first(where: \.isCertificate) {
                guard let certificate = parse(der: block.der) else {
                    throw CMSError(.unrecognizedFormat, reason: "damaged certificate in PEM block \(block.label)",
                                   openSSLErrors: OpenSSLErrorQueue.drain(), path: path)
                }
                return certificate
            }
            throw PEMBlock.missingError(wantKey: false, in: blocks, path: path)
        }
        if let certificate = parse(der: bytes) { return certificate }
        OpenSSLErrorQueue.clear()
        if KeyLoader.looksLikePrivateKey(der: bytes) {
            throw CMSError(.expectedCertificateGotKey, reason: "expected a certificate, found a private key", path: path)
        }
        throw CMSError(.unrecognizedFormat, reason: "not a PEM or DER X.509 certificate", path: path)
    }

    // MARK: Properties

    var subject: String { Self.format(X509_get_subject_name(pointer)) }
    var issuer: String { Self.format(X509_get_issuer_name(pointer)) }
    var serialNumberHex: String { Self.hex(serial: X509_get0_serialNumber(pointer)) }
    var notBefore: Date { Self.date(X509_get0_notBefore(pointer)) }
    var notAfter: Date { Self.date(X509_get0_notAfter(pointer)) }

    /// The public key size in bits, 0 when the key cannot be read.
    var keyBits: Int {
        guard let key = X509_get0_pubkey(pointer) else { return 0 }
        return Int(EVP_PKEY_get_bits(key))
    }

    /// The public key algorithm's short name ("RSA", "EC", "RSA-PSS", ...).
    var keyAlgorithm: String {
        guard let key = X509_get0_pubkey(pointer), let name = EVP_PKEY_get0_type_name(key) else { return "unknown" }
        return String(cString: name)
    }

    /// True for an rsaEncryption key; RSA-PSS keys are signature-only and do not count.
    var hasRSAKey: Bool {
        guard let key = X509_get0_pubkey(pointer) else { return false }
        return EVP_PKEY_get_base_id(key) == NID_rsaEncryption
    }

    /// False only when a keyUsage extension is present and lacks keyEncipherment (RFC 5280 4.2.1.3).
    var keyUsageAllowsKeyEncipherment: Bool {
        guard X509_get_extension_flags(pointer) & shim_extension_flag_key_usage() != 0 else { return true }
        return X509_get_key_usage(pointer) & shim_key_usage_key_encipherment() != 0
    }

    /// The subjectKeyIdentifier extension's value, nil when absent.
    var subjectKeyIdentifier: [UInt8]? {
        guard let identifier = X509_get0_subject_key_id(pointer) else { return nil }
        return Self.bytes(of: identifier)
    }

    /// The DER encoding (as read; OpenSSL keeps the original encoding of a parsed certificate).
    var der: [UInt8] {
        let count = i2d_X509(pointer, nil)
        guard count > 0 else { return [] }
        var bytes = [UInt8](repeating: 0, count: Int(count))
        bytes.withUnsafeMutableBufferPointer { buffer in
            var cursor = buffer.baseAddress
            _ = i2d_X509(pointer, &cursor)
        }
        return bytes
    }

    /// One-line identification for messages: "CN=...,O=..., serial 0A01".
    var summary: String { "\(subject), serial \(serialNumberHex)" }

    // MARK: Helpers shared with Envelope

    /// RFC 2253 order and escaping, but UTF-8 kept as is: "CN=Test Recipient A,O=Example".
    static func format(_ name: OpaquePointer?) -> String {
        guard let name else { return "" }
        let text = try? MemoryBIO.withWritable(failing: .outOfMemory) { bio throws(CMSError) in
            _ = X509_NAME_print_ex(bio, name, 0, shim_name_flags_rfc2253_utf8())
        }
        return String(decoding: text ?? [], as: UTF8.self)
    }

    /// Upper-case hex, two digits per byte ("0A01"); negative serials (invalid, but seen) get a leading "-".
    static func hex(serial: UnsafePointer<ASN1_INTEGER>?) -> String {
        guard let serial, let number = ASN1_INTEGER_to_BN(serial, nil) else { return "" }
        defer { BN_free(number) }
        guard let text = BN_bn2hex(number) else { return "" }
        defer { shim_OPENSSL_free(text) }
        return String(cString: text)
    }

    static func bytes(of string: UnsafePointer<ASN1_STRING>) -> [UInt8] {
        let count = Int(ASN1_STRING_length(string))
        guard count > 0, let data = ASN1_STRING_get0_data(string) else { return [] }
        return Array(UnsafeBufferPointer(start: data, count: count))
    }

    private static func date(_ time: UnsafePointer<ASN1_TIME>?) -> Date {
        var parts = tm()
        guard let time, ASN1_TIME_to_tm(time, &parts) == 1 else { return Date(timeIntervalSince1970: 0) }
        return Date(timeIntervalSince1970: TimeInterval(timegm(&parts)))
    }
}
