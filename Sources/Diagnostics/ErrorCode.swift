/// An opaque, comparable code naming one kind of failure of the error type `Failure`.
///
/// Codes are compared by their stable ``name``; people read ``words``. New codes may be added: compare with `==`,
/// never switch exhaustively. Each module declares its codes as static members of `ErrorCode<ItsError>`.
public struct ErrorCode<Failure>: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Stable identifier, e.g. `truncated`; for logs and tests, never shown alone to people.
    public let name: String
    /// The failure in words, e.g. `truncated`, `not a DICOM file`; what messages show.
    public let words: String

    /// A code named `name`, read by people as `words` (defaults to `name`).
    public init(_ name: String, words: String? = nil) {
        self.name = name
        self.words = words ?? name
    }

    /// The code in words.
    public var description: String { words }

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.name == rhs.name }
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.name < rhs.name }
    public func hash(into hasher: inout Hasher) { hasher.combine(name) }
}
