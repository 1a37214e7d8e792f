/// A SHA-256 digest held in place, without a heap allocation: its 32 bytes in order, in four words.
///
/// For digests made per element of a data set (``StreamingDigest/finishInline()``): an array per digest cost
/// more than a 64-byte SHA-256 block's compression once allocated and freed (issue 23).
public struct InlineDigest: Sendable {
    var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)

    /// Lends the 32 bytes to `body`.
    public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try Swift.withUnsafeBytes(of: words, body)
    }

    /// The first 8 bytes as a big-endian number.
    public var leadingUInt64: UInt64 { UInt64(bigEndian: words.0) }

    /// The 32 bytes.
    public var bytes: [UInt8] { withUnsafeBytes { Array($0) } }
}
