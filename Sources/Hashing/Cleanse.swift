internal import COpenSSL

/// `OPENSSL_cleanse` for Swift buffers: a wipe the optimiser cannot drop (keys, passphrases, HMAC pads).
package enum Cleanse {
    package static func raw(_ buffer: UnsafeMutableRawBufferPointer) {
        if let base = buffer.baseAddress, buffer.count > 0 { OPENSSL_cleanse(base, buffer.count) }
    }

    package static func bytes(_ array: inout [UInt8]) {
        array.withUnsafeMutableBytes { raw($0) }
    }
}
