import DICOMCore

/// Why a CTP DicomAnonymizer script was refused or could not be evaluated.
///
/// The description is one line that says where: `FILE:LINE: element (gggg,eeee) Name: reason`.
/// Equality and hashing use ``code`` only, so tests can write `#expect(throws: CTPScriptError(.unknownFunction))`.
public struct CTPScriptError: Error, Hashable, CustomStringConvertible, Sendable {
    /// The kind of failure.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let name: String
        init(_ name: String) { self.name = name }
        public var description: String { name }

        /// The XML is not well formed, or its root is not `<script>`.
        public static let malformedXML = Code("malformedXML")
        /// A line of a properties script that is neither a comment nor a `param.`, `set.`, `keep.` or `remove.` key.
        public static let unrecognisedLine = Code("unrecognisedLine")
        /// A tag or group that is not hexadecimal of the right length.
        public static let badTag = Code("badTag")
        /// A function call that does not parse (missing parenthesis or clause).
        public static let syntax = Code("syntax")
        /// `@name(...)` where CTP has no function `name`.
        public static let unknownFunction = Code("unknownFunction")
        /// A CTP function this implementation refuses (`@encrypt`, `@decrypt`, `@call`, `@dateinterval`).
        public static let unsupportedFunction = Code("unsupportedFunction")
        /// A function called with the wrong number or kind of arguments.
        public static let badArguments = Code("badArguments")
        /// `@NAME` where the script defines no parameter `NAME`.
        public static let undefinedParameter = Code("undefinedParameter")
        /// An override for a parameter the script does not define.
        public static let unknownParameter = Code("unknownParameter")
        /// An element name that is neither a keyword, a tag nor a private element named in the script.
        public static let unknownElement = Code("unknownElement")
        /// A `<k>` or `<r>` global this implementation does not know.
        public static let unknownGlobal = Code("unknownGlobal")
        /// Evaluation went wrong in a way validation cannot foresee (e.g. rules hashing each other in a loop).
        public static let evaluation = Code("evaluation")
    }

    public let code: Code
    /// The script file, as given to the parser.
    public var file: String
    /// The 1-based line of the script the problem is on, when known.
    public var line: Int?
    /// The element rule the problem is in, when there is one.
    public var element: Tag?
    /// The element rule's name (`n` attribute), when there is one.
    public var elementName: String?
    /// What is wrong, in a few words.
    public var reason: String

    /// Creates an error.
    public init(_ code: Code, file: String = "", line: Int? = nil, element: Tag? = nil, elementName: String? = nil,
                reason: String = "") {
        self.code = code
        self.file = file
        self.line = line
        self.element = element
        self.elementName = elementName
        self.reason = reason
    }

    public static func == (lhs: CTPScriptError, rhs: CTPScriptError) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }

    /// One line: `profile.script:12: element (0010,0010) PatientName: unknown function @foo`.
    public var description: String {
        var text = file
        if let line { text += ":\(line)" }
        if let element {
            text += ": element \(element)"
            if let elementName, !elementName.isEmpty { text += " \(elementName)" }
        }
        text += ": " + (reason.isEmpty ? code.name : reason)
        // One line, whatever the script text quoted in the reason holds.
        return String(String.UnicodeScalarView(text.unicodeScalars.flatMap { scalar -> [Unicode.Scalar] in
            scalar.properties.generalCategory == .control ? Array(scalar.escaped(asASCII: true).unicodeScalars) : [scalar]
        }))
    }

    /// This error placed in an element rule.
    func located(_ rule: CTPElementRule, file: String) -> CTPScriptError {
        var copy = self
        copy.file = file
        copy.line = copy.line ?? rule.line
        copy.element = rule.tag
        copy.elementName = rule.name
        return copy
    }
}
