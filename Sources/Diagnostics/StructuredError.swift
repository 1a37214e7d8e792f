/// The one error design of every module here (after swift-asn1's `ASN1Error`): private storage behind an opaque,
/// comparable ``ErrorCode``, the throw site (`#fileID`, `#line`), and the underlying ``cause`` chained rather than
/// flattened into the text.
///
/// Equality and hashing use the code only, so tests write `#expect(throws: DICOMError(.truncated))`. A conforming
/// type supplies ``Context`` (what its messages need: an offset, a tag path, a file) and its one-line
/// `description`; it never stores patient values.
public protocol StructuredError: Error, Hashable, CustomStringConvertible, Sendable {
    /// What this module's messages say besides the reason (a file, an offset, a tag path).
    associatedtype Context: Sendable
    /// The opaque storage.
    var storage: ErrorStorage<Self> { get }
    /// Wraps storage (used by ``StructuredError/with(context:)`` and ``StructuredError/make(_:context:reason:cause:fileID:line:)``).
    init(storage: ErrorStorage<Self>)
}

extension StructuredError {
    /// Makes an error of this type, recording the throw site.
    package static func make(_ code: ErrorCode<Self>, context: Context, reason: String, cause: (any Error)?,
                             fileID: String, line: Int) -> Self {
        Self(storage: ErrorStorage(code: code, context: context, reason: reason, cause: cause,
                                   location: ThrowSite(fileID: fileID, line: line)))
    }

    /// What kind of failure this is.
    public var code: ErrorCode<Self> { storage.code }
    /// What is wrong, in a few words (no patient values); empty when the code says it all.
    public var reason: String { storage.reason }
    /// The error this one was raised because of (a system call, a crypto library, a nested parser), if any.
    public var cause: (any Error)? { storage.cause }
    /// Where in this project's source the error was thrown.
    public var thrownAt: ThrowSite { storage.location }

    /// The module-specific context.
    package var context: Context { storage.context }

    /// The same error with other context (same code, reason, cause and throw site).
    package func with(context: Context) -> Self {
        Self(storage: ErrorStorage(code: code, context: context, reason: reason, cause: cause, location: thrownAt))
    }

    /// This error and its causes, outermost first.
    public var causeChain: [any Error] {
        var chain: [any Error] = [self]
        var next = cause
        while let error = next, chain.count < 16 {
            chain.append(error)
            next = (error as? any StructuredError)?.cause
        }
        return chain
    }

    /// The reason, or the code in words when there is no reason, followed by `: cause` when there is one.
    package var reasonWithCause: String {
        var text = reason.isEmpty ? code.words : reason
        if let cause { text += ": \(cause)" }
        return text
    }

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }
}

extension StructuredError where Context == Void {
    /// Makes an error of a type whose messages need nothing besides code, reason and cause.
    /// - Parameters:
    ///   - code: the kind of failure.
    ///   - reason: one line for the user, without patient values; empty when the cause says it all.
    ///   - cause: the underlying error, if any.
    public init(_ code: ErrorCode<Self>, _ reason: String = "", cause: (any Error)? = nil,
                fileID: String = #fileID, line: Int = #line) {
        self = .make(code, context: (), reason: reason, cause: cause, fileID: fileID, line: line)
    }
}

/// Text that is one line whatever bytes it quotes (a UID, a file name, a script line): control characters escaped.
package func oneLine(_ text: String) -> String {
    guard text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else { return text }
    return String(String.UnicodeScalarView(text.unicodeScalars.flatMap { scalar -> [Unicode.Scalar] in
        scalar.properties.generalCategory == .control ? Array(scalar.escaped(asASCII: true).unicodeScalars) : [scalar]
    }))
}
