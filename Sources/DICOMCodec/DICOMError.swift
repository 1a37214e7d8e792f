import DICOMCore
import DICOMDictionary

/// Why a DICOM file or data set could not be read or written.
///
/// Every error says where: the file, the byte offset and the tag path of the element being read.
/// Equality and hashing use ``code`` only, so tests can write `#expect(throws: DICOMError(.truncated))`.
public struct DICOMError: Error, Hashable, CustomStringConvertible, Sendable {
    /// The kind of failure.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let name: String
        /// The kind of failure in words, for messages people read.
        public let words: String
        init(_ name: String, _ words: String) {
            self.name = name
            self.words = words
        }
        public var description: String { name }
        public static func == (lhs: Code, rhs: Code) -> Bool { lhs.name == rhs.name }
        public func hash(into hasher: inout Hasher) { hasher.combine(name) }

        /// Fewer bytes left than a header or value needs.
        public static let truncated = Code("truncated", "truncated")
        /// An explicit VR that is not two upper-case letters.
        public static let invalidVR = Code("invalidVR", "invalid VR")
        /// A delimiter or item tag where it cannot be.
        public static let unexpectedDelimiter = Code("unexpectedDelimiter", "unexpected delimiter")
        /// A length that reaches past the bytes of its parent (item, sequence or file).
        public static let lengthExceedsParent = Code("lengthExceedsParent", "length runs past its container")
        /// Sequences nested deeper than the reader allows.
        public static let nestingTooDeep = Code("nestingTooDeep", "sequences nested too deep")
        /// Neither a Part 10 file nor a recognisable raw data set.
        public static let notDICOM = Code("notDICOM", "not a DICOM file")
        /// A Part 10 file whose meta information is missing or broken.
        public static let invalidFileMeta = Code("invalidFileMeta", "invalid file meta information")
        /// A transfer syntax UID this codec cannot read.
        public static let unsupportedTransferSyntax = Code("unsupportedTransferSyntax", "unsupported transfer syntax")
        /// The same tag twice in one data set.
        public static let duplicateTag = Code("duplicateTag", "duplicate tag")
        /// Bytes after the last element that do not form an element.
        public static let trailingGarbage = Code("trailingGarbage", "bytes after the last element")
        /// A deflated data set that does not inflate, or inflates beyond the limit.
        public static let deflateFailed = Code("deflateFailed", "deflated data set does not inflate")
        /// A value that cannot be encoded (too long for its header, odd word count for a swap).
        public static let unencodable = Code("unencodable", "value cannot be encoded")
        /// A tag path names a sequence or item that is not there.
        public static let noSuchElement = Code("noSuchElement", "no such element")
        /// Reading or writing the file itself failed.
        public static let io = Code("io", "file error")
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

    /// One line: `truncated at byte 0x1A2 in (0008,1115) ReferencedSeriesSequence[0] > (0020,000E)
    /// SeriesInstanceUID of in.dcm: need 4 bytes, 2 left`.
    public var description: String {
        var text = code.words
        if let offset { text += " at byte 0x" + String(offset, radix: 16, uppercase: true) }
        if !path.isEmpty { text += " in " + Self.words(path) }
        if let file { text += " of \(file)" }
        if !reason.isEmpty { text += ": \(reason)" }
        // One line, whatever bytes of the file (a UID, a file name) the reason quotes.
        return String(String.UnicodeScalarView(text.unicodeScalars.flatMap { scalar -> [Unicode.Scalar] in
            scalar.properties.generalCategory == .control ? Array(scalar.escaped(asASCII: true).unicodeScalars) : [scalar]
        }))
    }

    /// The same error without the file name, for a message that names the file already.
    public var withoutFile: DICOMError {
        var copy = self
        copy.file = nil
        return copy
    }

    /// A tag path with keywords: `(0008,1115) ReferencedSeriesSequence[0] > (0020,000E) SeriesInstanceUID`.
    static func words(_ path: TagPath) -> String {
        path.components.map { component in
            var text = component.tag.description
            if let keyword = DataDictionary.keyword(for: component.tag) { text += " " + keyword }
            if let item = component.item { text += "[\(item)]" }
            return text
        }.joined(separator: " > ")
    }

    /// This error with the file name attached.
    public func inFile(_ name: String) -> DICOMError {
        var copy = self
        copy.file = name
        return copy
    }
}
