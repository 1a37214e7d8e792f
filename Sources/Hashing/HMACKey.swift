/// A key for HMAC-SHA-256 (RFC 2104) that hashes many messages: the same results as
/// ``KeyedDigest/hmacSHA256(key:message:)``, with the key's two padded blocks hashed once when the key is made
/// instead of for every message (for a UID, that halves the SHA-256 work).
///
/// Make one per secret and run, share it between threads.
public struct HMACKey: Sendable {
    private let contexts: HMACContexts

    public init(_ key: [UInt8]) {
        contexts = HMACContexts(key: key)
    }

    /// HMAC-SHA-256 of `message`: 32 bytes.
    public func authenticationCode(_ message: [UInt8]) -> [UInt8] {
        message.withUnsafeBytes { bytes in contexts.authenticationCode { update in update(bytes) } }
    }

    /// HMAC-SHA-256 of the concatenation of `parts`, without joining them first.
    public func authenticationCode(parts: [ArraySlice<UInt8>]) -> [UInt8] {
        contexts.authenticationCode { update in
            for part in parts { part.withUnsafeBytes(update) }
        }
    }

    /// HMAC-SHA-256 of `prefix` followed by the UTF-8 of `text`, without joining them first.
    public func authenticationCode(_ prefix: [UInt8], _ text: String) -> [UInt8] {
        var text = text
        return prefix.withUnsafeBytes { head in
            text.withUTF8 { utf8 in
                contexts.authenticationCode { update in
                    update(head)
                    update(UnsafeRawBufferPointer(utf8))
                }
            }
        }
    }
}
