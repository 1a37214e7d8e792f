import DICOMCore

/// Why a DICOM file or data set could not be read or written.
///
/// Every error says where: the file, the byte offset and the tag path of the element being read.
/// Equality and hashing use ``code`` only, so tests can write `#expect(throws: DICOMError(.truncated))`.
public struct DICOMError: Error, Hashable, CustomStringConvertible, Sendable {
    /// The kind of failure.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let name: String
        init(_ name: String) { self.name = name }
        public var description: String { name }

        /// Fewer bytes left than a header or value needs.
        public static let truncated = Code("truncated")
        /// An explicit VR that is not two upper-case letters.
        public static let invalidVR = Code("invalidVR")
        /// A delimiter or item tag where it cannot be.
        public static let unexpectedDelimiter = Code("unexpectedDelimiter")
        /// A length that reaches past the bytes of its parent (item, sequence or file).
        public static let lengthExceedsParent = Code("lengthExceedsParent")
        /// Sequences nested deeper than the reader allows.
        public static let nestingTooDeep = Code("nestingTooDeep")
        /// Neither a Part 10 file nor a recognisable raw data set.
        public static let notDICOM = Code("notDICOM")
        /// A Part 10 file whose meta information is missing or broken.
        public static let invalidFileMeta = Code("invalidFileMeta")
        /// A transfer syntax UID this codec cannot read.
        public static let unsupportedTransferSyntax = Code("unsupportedTransferSyntax")
        /// The same tag twice in one data set.
        public static let duplicateTag = Code("duplicateTag")
        /// Bytes after the last element that do not form an element.
        public static let trailingGarbage = Code("trailingGarbage")
        /// A deflated data set that does not inflate, or inflates beyond the limit.
        public static let deflateFailed = Code("deflateFailed")
        /// A value that cannot be encoded (too long for its header, odd word count for a swap).
        public static let unencodable = Code("unencodable")
        /// A tag path names a sequence or item that is not there.
        public static let noSuchElement = Code("noSuchElement")
        /// Reading or writing the file itself failed.
        public static let io = Code("io")
    }

    public let code: Code
    /// Byte offset in the file (or in the inflated data set, for deflated files) where the problem is.
    public var offset: Int?
    /// The element being read, e.g. `(0008,1115)[0].(0020,000E)`.
    public var path: TagPath
    /// The file, once known; added by the caller that opened it.
    public var file: String?
    /// What is wrong, in a few words.
    public var reason: String

    public init(_ code: Code, offset: Int? = nil, path: TagPath = TagPath(), file: String? = nil, reason: String = "") {
        self.code = code
        self.offset = offset
        self.path = path
        self.file = file
        self.reason = reason
    }

    public static func == (lhs: DICOMError, rhs: DICOMError) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }

    /// One line: `truncated at 0x1A2 in (0008,1115)[0].(0020,000E) of in.dcm: need 4 bytes, 2 left`.
    public var description: String {
        var text = code.name
        if let offset { text += " at 0x" + String(offset, radix: 16, uppercase: true) }
        if !path.isEmpty { text += " in \(path)" }
        if let file { text += " of \(file)" }
        if !reason.isEmpty { text += ": \(reason)" }
        // One line, whatever bytes of the file (a UID, a file name) the reason quotes.
        return String(String.UnicodeScalarView(text.unicodeScalars.flatMap { scalar -> [Unicode.Scalar] in
            scalar.properties.generalCategory == .control ? Array(scalar.escaped(asASCII: true).unicodeScalars) : [scalar]
        }))
    }

    /// This error with the file name attached.
    public func inFile(_ name: String) -> DICOMError {
        var copy = self
        copy.file = name
        return copy
    }
}
