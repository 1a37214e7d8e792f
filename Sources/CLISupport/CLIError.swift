/// A user-facing error: one line, exit status 2 when it concerns how the command was called.
public struct CLIError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
