// The error design (ErrorCode, cause, throw site) is part of this module's API.
@_exported import Diagnostics
import DICOMCore

/// Why a CTP DicomAnonymizer script was refused or could not be evaluated.
///
/// The description is one line that says where: `FILE:LINE: element (gggg,eeee) Name: reason`.
/// Equality and hashing use ``code`` only, so tests can write `#expect(throws: CTPScriptError(.unknownFunction))`.
public struct CTPScriptError: StructuredError {
    /// The kind of failure. New codes may be added; compare with `==`, do not switch exhaustively.
    public typealias Code = ErrorCode<CTPScriptError>

    /// Where in the script: file, line and element rule.
    public struct Context: Sendable {
        let file: String
        let line: Int?
        let element: Tag?
        let elementName: String?
    }

    public let storage: ErrorStorage<CTPScriptError>
    public init(storage: ErrorStorage<CTPScriptError>) { self.storage = storage }

    /// Creates an error.
    /// - Parameters:
    ///   - code: the kind of failure.
    ///   - file: the script file.
    ///   - line: the 1-based line of the script, when known.
    ///   - element: the element rule the problem is in.
    ///   - elementName: the element rule's name.
    ///   - reason: what is wrong, in a few words; defaults to the code in words.
    ///   - cause: the underlying error, if any.
    public init(_ code: Code, file: String = "", line: Int? = nil, element: Tag? = nil, elementName: String? = nil,
                reason: String = "", cause: (any Error)? = nil, fileID: String = #fileID, thrownLine: Int = #line) {
        self = .make(code, context: Context(file: file, line: line, element: element, elementName: elementName),
                     reason: reason, cause: cause, fileID: fileID, line: thrownLine)
    }

    /// The script file, as given to the parser.
    public var file: String { context.file }
    /// The 1-based line of the script the problem is on, when known.
    public var line: Int? { context.line }
    /// The element rule the problem is in, when there is one.
    public var element: Tag? { context.element }
    /// The element rule's name (`n` attribute), when there is one.
    public var elementName: String? { context.elementName }

    /// One line: `profile.script:12: element (0010,0010) PatientName: unknown function @foo`.
    public var description: String {
        var text = file
        if let line { text += ":\(line)" }
        if let element {
            text += ": element \(element)"
            if let elementName, !elementName.isEmpty { text += " \(elementName)" }
        }
        text += ": " + reasonWithCause
        // One line, whatever the script text quoted in the reason holds.
        return oneLine(text)
    }

    /// This error placed in an element rule.
    func located(_ rule: CTPElementRule, file: String) -> CTPScriptError {
        with(context: Context(file: file, line: line ?? rule.line, element: rule.tag, elementName: rule.name))
    }
}

extension ErrorCode<CTPScriptError> {
    /// The XML is not well formed, or its root is not `<script>`.
    public static var malformedXML: Self { Self("malformedXML", words: "malformed XML") }
    /// A line of a properties script that is neither a comment nor a `param.`, `set.`, `keep.` or `remove.` key.
    public static var unrecognisedLine: Self { Self("unrecognisedLine", words: "unrecognised line") }
    /// A tag or group that is not hexadecimal of the right length.
    public static var badTag: Self { Self("badTag", words: "bad tag") }
    /// A function call that does not parse (missing parenthesis or clause).
    public static var syntax: Self { Self("syntax", words: "syntax error") }
    /// `@name(...)` where CTP has no function `name`.
    public static var unknownFunction: Self { Self("unknownFunction", words: "unknown function") }
    /// A CTP function this implementation refuses (`@encrypt`, `@decrypt`, `@call`, `@dateinterval`).
    public static var unsupportedFunction: Self { Self("unsupportedFunction", words: "unsupported function") }
    /// A function called with the wrong number or kind of arguments.
    public static var badArguments: Self { Self("badArguments", words: "bad arguments") }
    /// `@NAME` where the script defines no parameter `NAME`.
    public static var undefinedParameter: Self { Self("undefinedParameter", words: "undefined parameter") }
    /// An override for a parameter the script does not define.
    public static var unknownParameter: Self { Self("unknownParameter", words: "unknown parameter") }
    /// An element name that is neither a keyword, a tag nor a private element named in the script.
    public static var unknownElement: Self { Self("unknownElement", words: "unknown element") }
    /// A `<k>` or `<r>` global this implementation does not know.
    public static var unknownGlobal: Self { Self("unknownGlobal", words: "unknown global") }
    /// A ``CTPFunctionSet`` function could not compute a value (an unreadable date); the evaluator falls back.
    public static var functionFailed: Self { Self("functionFailed", words: "function failed") }
    /// Evaluation went wrong in a way validation cannot foresee (e.g. rules hashing each other in a loop).
    public static var evaluation: Self { Self("evaluation", words: "evaluation failed") }
}
