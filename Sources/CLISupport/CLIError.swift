/// A user-facing error: one line, exit status 2 when it concerns how the command was called.
package struct CLIError: Error, CustomStringConvertible {
    package let description: String
    package init(_ description: String) { self.description = description }
}
