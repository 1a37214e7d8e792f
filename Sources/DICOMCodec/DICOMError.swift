// The error design (ErrorCode, cause, throw site) is part of this module's API.
@_exported import Diagnostics
import DICOMCore
import DICOMDictionary

/// Why a DICOM file or data set could not be read or written.
///
/// Every error says where: the file, the byte offset and the tag path of the element being read.
/// Equality and hashing use ``code`` only, so tests can write `#expect(throws: DICOMError(.truncated))`.
public struct DICOMError: StructuredError {
    /// The kind of failure. New codes may be added; compare with `==`, do not switch exhaustively.
    public typealias Code = ErrorCode<DICOMError>

    /// Where the problem is: byte offset, tag path and file.
    public struct Context: Sendable {
        let offset: Int?
        let path: TagPath
        let file: String?
    }

    public let storage: ErrorStorage<DICOMError>
    public init(storage: ErrorStorage<DICOMError>) { self.storage = storage }

    /// - Parameters:
    ///   - code: the kind of failure.
    ///   - offset: the byte offset of the problem.
    ///   - path: the element being read or written.
    ///   - file: the file, when known.
    ///   - reason: what is wrong, in a few words.
    ///   - cause: the underlying error, if any.
    public init(_ code: Code, offset: Int? = nil, path: TagPath = TagPath(), file: String? = nil, reason: String = "",
                cause: (any Error)? = nil, fileID: String = #fileID, line: Int = #line) {
        self = .make(code, context: Context(offset: offset, path: path, file: file), reason: reason, cause: cause,
                     fileID: fileID, line: line)
    }

    /// Byte offset in the file (or in the inflated data set, for deflated files) where the problem is.
    public var offset: Int? { context.offset }
    /// The element being read, e.g. `(0008,1115)[0].(0020,000E)`.
    public var path: TagPath { context.path }
    /// The file, once known; added by the caller that opened it.
    public var file: String? { context.file }

    /// One line: `truncated at byte 0x1A2 in (0008,1115) ReferencedSeriesSequence[0] > (0020,000E)
    /// SeriesInstanceUID of in.dcm: need 4 bytes, 2 left`.
    public var description: String {
        var text = code.words
        if let offset { text += " at byte 0x" + String(offset, radix: 16, uppercase: true) }
        if !path.isEmpty { text += " in " + Self.words(path) }
        if let file { text += " of \(file)" }
        if !reason.isEmpty { text += ": \(reason)" }
        if let cause { text += ": \(cause)" }
        // One line, whatever bytes of the file (a UID, a file name) the reason quotes.
        return oneLine(text)
    }

    /// The same error without the file name, for a message that names the file already.
    public var withoutFile: DICOMError {
        with(context: Context(offset: offset, path: path, file: nil))
    }

    /// This error with the file name attached.
    public func inFile(_ name: String) -> DICOMError {
        with(context: Context(offset: offset, path: path, file: name))
    }

    /// This error inside `prefix`: the path components of the container it was raised in come first.
    package func inside(_ prefix: TagPath) -> DICOMError {
        with(context: Context(offset: offset, path: TagPath(prefix.components + path.components), file: file))
    }

    /// This error placed at `offset` in `path`, where it has no offset or path of its own yet.
    package func placed(at offset: Int?, in path: TagPath) -> DICOMError {
        with(context: Context(offset: self.offset ?? offset, path: self.path.isEmpty ? path : self.path, file: file))
    }

    /// The same error (code, place, cause, throw site) with `prefix` before and `suffix` after its reason.
    package func withReason(prefix: String = "", suffix: String = "") -> DICOMError {
        DICOMError(storage: ErrorStorage(code: code, context: context, reason: prefix + reason + suffix, cause: cause,
                                         location: thrownAt))
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
}

extension ErrorCode<DICOMError> {
    /// Fewer bytes left than a header or value needs.
    public static var truncated: Self { Self("truncated", words: "truncated") }
    /// An explicit VR that is not two upper-case letters.
    public static var invalidVR: Self { Self("invalidVR", words: "invalid VR") }
    /// A delimiter or item tag where it cannot be.
    public static var unexpectedDelimiter: Self { Self("unexpectedDelimiter", words: "unexpected delimiter") }
    /// A length that reaches past the bytes of its parent (item, sequence or file).
    public static var lengthExceedsParent: Self { Self("lengthExceedsParent", words: "length runs past its container") }
    /// Sequences nested deeper than the reader allows.
    public static var nestingTooDeep: Self { Self("nestingTooDeep", words: "sequences nested too deep") }
    /// Neither a Part 10 file nor a recognisable raw data set.
    public static var notDICOM: Self { Self("notDICOM", words: "not a DICOM file") }
    /// A Part 10 file whose meta information is missing or broken.
    public static var invalidFileMeta: Self { Self("invalidFileMeta", words: "invalid file meta information") }
    /// A transfer syntax UID this codec cannot read.
    public static var unsupportedTransferSyntax: Self { Self("unsupportedTransferSyntax", words: "unsupported transfer syntax") }
    /// The same tag twice in one data set.
    public static var duplicateTag: Self { Self("duplicateTag", words: "duplicate tag") }
    /// Bytes after the last element that do not form an element.
    public static var trailingGarbage: Self { Self("trailingGarbage", words: "bytes after the last element") }
    /// A deflated data set that does not inflate, or inflates beyond the limit.
    public static var deflateFailed: Self { Self("deflateFailed", words: "deflated data set does not inflate") }
    /// A value that cannot be encoded (too long for its header, odd word count for a swap).
    public static var unencodable: Self { Self("unencodable", words: "value cannot be encoded") }
    /// A tag path names a sequence or item that is not there.
    public static var noSuchElement: Self { Self("noSuchElement", words: "no such element") }
    /// Reading or writing the file itself failed.
    public static var io: Self { Self("io", words: "file error") }
}
