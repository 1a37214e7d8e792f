/// The private storage of a ``StructuredError``: immutable and shared by copies, so errors stay one word wide.
///
/// Its contents are package-internal; a module's error type exposes them through its own accessors.
public final class ErrorStorage<Failure: StructuredError>: Sendable {
    package let code: ErrorCode<Failure>
    package let context: Failure.Context
    package let reason: String
    package let cause: (any Error)?
    package let location: ThrowSite

    package init(code: ErrorCode<Failure>, context: Failure.Context, reason: String, cause: (any Error)?,
                 location: ThrowSite) {
        self.code = code
        self.context = context
        self.reason = reason
        self.cause = cause
        self.location = location
    }
}
