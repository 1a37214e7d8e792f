/// SHA-256 (FIPS 180-4) fed piece by piece: for digests of large structured content (a data set, element by
/// element) without first copying it into one buffer.
///
/// A value owns one digest context, reused after each ``finish()``; it is not for sharing between threads.
public struct StreamingDigest: ~Copyable {
    private let context = SHA256Context()

    public init() {}

    /// Adds `bytes`.
    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        context.update(bytes)
    }

    /// Adds `bytes`.
    public mutating func update(_ bytes: ArraySlice<UInt8>) {
        bytes.withUnsafeBytes { context.update($0) }
    }

    /// The 32-byte digest of everything added since the start or the last ``finish()``, which starts anew.
    public mutating func finish() -> [UInt8] {
        finishInline().bytes
    }

    /// ``finish()`` without an array: the digest in place.
    public mutating func finishInline() -> InlineDigest {
        var digest = InlineDigest()
        withUnsafeMutableBytes(of: &digest.words) { context.finish(into: $0) }
        return digest
    }
}
