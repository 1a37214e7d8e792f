internal import COpenSSL

/// Memory BIOs, the only way bytes cross into and out of OpenSSL here. Each BIO lives exactly as long as the closure.
enum MemoryBIO {
    /// Lends `bytes` to OpenSSL as a read-only memory BIO (no copy).
    /// - Throws: ``CMSError`` with `code` when the BIO cannot be made (no memory, or more than 2 GiB).
    static func withReadOnly<R>(_ bytes: [UInt8], failing code: CMSError.Code,
                                _ body: (OpaquePointer) throws(CMSError) -> R) throws(CMSError) -> R {
        guard bytes.count <= Int(Int32.max) else {
            throw CMSError(code, reason: "input of \(bytes.count) bytes is too large (at most 2 GiB)")
        }
        // Array.withUnsafeBytes rethrows untyped errors; carry the typed one out through a Result.
        let outcome = bytes.withUnsafeBytes { raw -> Result<R, CMSError> in
            // An empty array may have no storage; a mem BIO over a one-byte dummy with length 0 reads as empty.
            let dummy: UInt8 = 0
            let bio = withUnsafePointer(to: dummy) { pointer in
                BIO_new_mem_buf(raw.baseAddress ?? UnsafeRawPointer(pointer), Int32(raw.count))
            }
            guard let bio else {
                return .failure(CMSError(code, reason: "OpenSSL could not allocate a memory BIO",
                                         openSSLErrors: OpenSSLErrorQueue.drain()))
            }
            defer { BIO_free(bio) }
            return Result { () throws(CMSError) -> R in try body(bio) }
        }
        return try outcome.get()
    }

    /// Gives `body` an empty writable memory BIO and returns what it wrote. The BIO's buffer is cleansed before it is
    /// freed, so plaintext written there (even by a run that failed half-way) does not linger in freed memory.
    /// - Throws: ``CMSError`` from `body`, or with `code` when the BIO cannot be made.
    static func withWritable(failing code: CMSError.Code,
                             _ body: (OpaquePointer) throws(CMSError) -> Void) throws(CMSError) -> [UInt8] {
        guard let bio = BIO_new(BIO_s_mem()) else {
            throw CMSError(code, reason: "OpenSSL could not allocate a memory BIO", openSSLErrors: OpenSSLErrorQueue.drain())
        }
        defer {
            var memory: UnsafeMutablePointer<BUF_MEM>?
            if shim_BIO_get_mem_ptr(bio, &memory) > 0, let memory, let data = memory.pointee.data {
                OPENSSL_cleanse(data, memory.pointee.max)
            }
            BIO_free(bio)
        }
        try body(bio)
        var memory: UnsafeMutablePointer<BUF_MEM>?
        guard shim_BIO_get_mem_ptr(bio, &memory) > 0, let memory, let data = memory.pointee.data else { return [] }
        return Array(UnsafeRawBufferPointer(start: data, count: memory.pointee.length))
    }
}
