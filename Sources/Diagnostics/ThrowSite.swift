/// Where in this project's source an error was thrown (`#fileID` and `#line`), for diagnostics and bug reports.
public struct ThrowSite: Hashable, Sendable, CustomStringConvertible {
    /// The `#fileID` of the throw site, e.g. `DICOMCodec/ByteReader.swift`.
    public let fileID: String
    /// The line of the throw site.
    public let line: Int

    public init(fileID: String, line: Int) {
        self.fileID = fileID
        self.line = line
    }

    /// `DICOMCodec/ByteReader.swift:42`.
    public var description: String { "\(fileID):\(line)" }
}
