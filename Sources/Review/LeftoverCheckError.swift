/// Why a file cannot be checked; one line.
public struct LeftoverCheckError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
