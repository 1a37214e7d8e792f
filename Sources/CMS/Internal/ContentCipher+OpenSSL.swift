internal import COpenSSL

extension ContentCipher {
    /// OpenSSL's cipher object (built in, never freed).
    var evpCipher: OpaquePointer? {
        switch self {
        case .aes128CBC: EVP_aes_128_cbc()
        case .aes192CBC: EVP_aes_192_cbc()
        case .aes256CBC: EVP_aes_256_cbc()
        case .tripleDESCBC: EVP_des_ede3_cbc()
        }
    }
}
