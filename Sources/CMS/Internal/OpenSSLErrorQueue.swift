internal import COpenSSL

/// This thread's OpenSSL error queue (`ERR_*`), read into strings for ``CMSError/openSSLErrors``.
///
/// OpenSSL keeps one queue per thread; every operation clears it first so that a failure reports only its own entries.
enum OpenSSLErrorQueue {
    /// Forgets whatever earlier calls left on this thread's queue.
    static func clear() {
        ERR_clear_error()
    }

    /// Empties the queue and returns its entries, oldest first, each as one line
    /// (`error:1C800064:Provider routines::bad decrypt`). The entries name OpenSSL's reasons, never key material.
    static func drain() -> [String] {
        var messages: [String] = []
        while true {
            var data: UnsafePointer<CChar>?
            var flags: Int32 = 0
            let code = ERR_get_error_all(nil, nil, nil, &data, &flags)
            if code == 0 { break }
            var buffer = [CChar](repeating: 0, count: 256)
            let count = buffer.count
            var message = buffer.withUnsafeMutableBufferPointer { storage -> String in
                guard let base = storage.baseAddress else { return "" }
                ERR_error_string_n(code, base, count)
                return String(cString: base)
            }
            if flags & shim_err_txt_string() != 0, let data, data.pointee != 0 {
                message += " (\(String(cString: data)))"
            }
            messages.append(message)
        }
        return messages
    }
}
