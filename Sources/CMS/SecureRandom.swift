/// Cryptographically secure random bytes (OpenSSL's default DRBG, seeded from the operating system).
public enum SecureRandom {
    /// Returns `count` random bytes.
    /// - Parameter count: how many; not negative.
    /// - Throws: ``CMSError`` `.randomFailure` when the generator cannot deliver (e.g. not seeded).
    public static func bytes(_ count: Int) throws(CMSError) -> [UInt8] {
        precondition(count >= 0, "SecureRandom.bytes: negative count")
        return try Primitives.randomBytes(count)
    }
}
