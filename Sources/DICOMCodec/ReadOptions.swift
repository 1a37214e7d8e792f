/// Limits and choices for reading, passed in by the caller.
public struct ReadOptions: Sendable {
    /// Deepest sequence nesting accepted; deeper input is refused rather than risking the stack.
    public var maxNestingDepth: Int
    /// Largest size a deflated data set may inflate to (guards against decompression bombs).
    public var maxInflatedSize: Int
    /// Accept files that hold a bare data set without preamble and file meta (reported as such).
    public var allowRawDataSet: Bool

    public init(maxNestingDepth: Int = 64, maxInflatedSize: Int = 1 << 31, allowRawDataSet: Bool = true) {
        self.maxNestingDepth = maxNestingDepth
        self.maxInflatedSize = maxInflatedSize
        self.allowRawDataSet = allowRawDataSet
    }
}
