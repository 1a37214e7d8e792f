/// Original pixel bytes that a cleaning overwrote, kept so that the cleaning can be undone byte for byte.
///
/// Native (uncompressed) Pixel Data keeps runs: `count` runs of `length` bytes, the first at byte `offset` of the
/// Pixel Data value and each next one `stride` bytes further; `bytes` holds the runs one after the other.
/// Encapsulated Pixel Data keeps whole fragments: the original fragments of one frame and the indices of the
/// fragments of the cleaned Pixel Data that took their place (Basic Offset Table item excluded, so index 0 is the
/// first fragment after it).
public struct PixelPatch: Sendable, Hashable {
    /// What was overwritten.
    public enum Content: Sendable, Hashable {
        /// Runs of a native Pixel Data value.
        case native(offset: Int, length: Int, stride: Int, count: Int, bytes: [UInt8])
        /// The original fragments of one encapsulated frame, replaced by the output fragments `outputFragments`.
        case encapsulated(originalFragments: [[UInt8]], outputFragments: Range<Int>)
    }

    /// The frame (0-based) the bytes belong to.
    public var frame: Int
    public var content: Content

    public init(frame: Int, content: Content) {
        self.frame = frame
        self.content = content
    }

    /// How many original pixel bytes the patch keeps.
    public var byteCount: Int {
        switch content {
        case .native(_, _, _, _, let bytes): bytes.count
        case .encapsulated(let fragments, _): fragments.reduce(0) { $0 + $1.count }
        }
    }
}
