/// A profile, script or disposition file that cannot be used: one line naming the file, the line and what is
/// wrong. Never holds a patient value (profiles hold none).
public struct ProfileFileError: Error, CustomStringConvertible, Sendable, Equatable {
    public let file: String
    /// 1-based; nil when the problem is with the file as a whole.
    public let line: Int?
    public let message: String

    public init(file: String, line: Int?, _ message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    public var description: String {
        if let line { return "\(file):\(line): \(message)" }
        return "\(file): \(message)"
    }
}
