import DICOMCodec
import DICOMCore
import DICOMTestSupport
import Foundation
import Testing

// Shared helpers of the codec tests: sample files built with ByteBuilder, round-trip and error expectations,
// and a walk of a parsed file that other readers (pydicom, dcmdump) can be compared with.

/// The native transfer syntaxes, as test arguments.
enum Syntax: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case implicitLittle, explicitLittle, explicitBig

    var transferSyntax: TransferSyntax {
        switch self {
        case .implicitLittle: return .implicitVRLittleEndian
        case .explicitLittle: return .explicitVRLittleEndian
        case .explicitBig: return .explicitVRBigEndian
        }
    }

    var uid: String { transferSyntax.uid }
    var encoding: ElementEncoding { transferSyntax.encoding }
    var testDescription: String { rawValue }
}

enum Sample {
    /// A Part 10 file: zero preamble, DICM, the minimal meta group of ``ByteBuilder/part10Prefix``, then `body`.
    static func part10(_ syntax: Syntax, _ body: [UInt8]) -> [UInt8] {
        ByteBuilder.part10Prefix(transferSyntaxUID: syntax.uid) + body
    }

    /// A Part 10 file in `syntax` with the body made by `build`.
    static func part10(_ syntax: Syntax, _ build: (inout ByteBuilder) -> Void) -> [UInt8] {
        var b = ByteBuilder(syntax.encoding)
        build(&b)
        return part10(syntax, b.bytes)
    }

    /// A small data set with a nested sequence: an undefined-length sequence whose first item (undefined length)
    /// holds a defined-length sequence, a defined-length item, an empty item; text, US and OW values around it.
    /// Returns the bytes and the offsets just past each top-level element (relative to the start of the body).
    static func nestedBody(_ encoding: ElementEncoding) -> (bytes: [UInt8], boundaries: [Int]) {
        var b = ByteBuilder(encoding)
        var boundaries: [Int] = []
        func mark(_ b: ByteBuilder) { boundaries.append(b.bytes.count) }

        b.element(Tag(0x0008, 0x0005), "CS", "ISO_IR 100"); mark(b)
        b.element(Tag(0x0008, 0x0016), "UI", "1.2.840.10008.5.1.4.1.1.7\0"); mark(b)
        b.element(Tag(0x0008, 0x0018), "UI", "1.2.3.4.5.6.7.8\0"); mark(b)

        var referenced = ByteBuilder(encoding)
        referenced.element(Tag(0x0008, 0x1150), "UI", "1.2.840.10008.5.1.4.1.1.2\0")
        referenced.element(Tag(0x0008, 0x1155), "UI", "1.2.3.4.5.6.7.8.9\0")
        var second = ByteBuilder(encoding)
        second.element(Tag(0x0008, 0x1150), "UI", "1.2.840.10008.5.1.4.1.1.4\0")
        b.element(Tag(0x0008, 0x1115), "SQ", undefinedLength: true)
        b.item(undefinedLength: true)
        b.sequence(Tag(0x0008, 0x1140), definedLengthItems: [referenced.bytes])
        b.element(Tag(0x0020, 0x000E), "UI", "1.2.3.4.5.6.7.10\0")
        b.itemEnd()
        b.item(body: second.bytes)
        b.item(undefinedLength: true)
        b.itemEnd()
        b.sequenceEnd(); mark(b)

        b.element(Tag(0x0010, 0x0010), "PN", "Doe^John"); mark(b)
        b.element(Tag(0x0010, 0x0020), "LO", "ID-42 "); mark(b)
        b.element(Tag(0x0028, 0x0010), "US", uint16s: [4]); mark(b)
        b.element(Tag(0x0028, 0x0011), "US", uint16s: [2]); mark(b)
        b.element(Tag(0x7FE0, 0x0010), "OW", uint16s: [1, 2, 3, 4, 5, 6, 7, 8]); mark(b)
        return (b.bytes, boundaries)
    }

    /// Offsets just past each element of an Explicit VR Little Endian run of defined-length elements
    /// (the file meta group), found by walking the headers independently of the codec.
    static func explicitLittleBoundaries(_ bytes: [UInt8], from start: Int, while keepGoing: (DICOMCore.Tag) -> Bool) -> [Int] {
        var offset = start
        var ends: [Int] = []
        while offset + 8 <= bytes.count {
            let tag = Tag(UInt16(bytes[offset]) | UInt16(bytes[offset + 1]) << 8,
                          UInt16(bytes[offset + 2]) | UInt16(bytes[offset + 3]) << 8)
            guard keepGoing(tag) else { break }
            let vr = VR(byte0: bytes[offset + 4], byte1: bytes[offset + 5])
            var length: Int
            if vr.usesLongLength {
                length = (0..<4).reduce(0) { $0 | Int(bytes[offset + 8 + $1]) << (8 * $1) }
                length += 12
            } else {
                length = Int(bytes[offset + 6]) | Int(bytes[offset + 7]) << 8
                length += 8
            }
            offset += length
            ends.append(offset)
        }
        return ends
    }
}

// MARK: - Expectations

/// Reads `bytes`, writes them back and records an issue naming the first differing offset.
/// - Returns: the parsed file, or nil when reading failed (an issue is recorded).
@discardableResult
func expectRoundTrip(_ bytes: [UInt8], _ label: String = "", options: ReadOptions = ReadOptions(),
                     sourceLocation: Testing.SourceLocation = #_sourceLocation) -> Part10File? {
    let file: Part10File
    do {
        file = try Part10Reader.read(bytes: bytes, options: options)
    } catch {
        Issue.record("\(label) does not read: \(error)", sourceLocation: sourceLocation)
        return nil
    }
    do {
        let written = try Part10Writer.encode(file)
        if let at = firstDifference(bytes, written) {
            let hex = String(at, radix: 16, uppercase: true)
            let message = "\(label) round trip differs at offset \(at) (0x\(hex)); sizes \(bytes.count) read, "
                + "\(written.count) written; read \(window(bytes, at)) written \(window(written, at))"
            Issue.record(Comment(rawValue: message), sourceLocation: sourceLocation)
        }
    } catch {
        Issue.record("\(label) does not write: \(error)", sourceLocation: sourceLocation)
    }
    return file
}

/// A few bytes around `offset`, in hexadecimal, for failure messages.
func window(_ bytes: [UInt8], _ offset: Int) -> String {
    let lower = max(0, offset - 4), upper = min(bytes.count, offset + 8)
    guard lower < upper else { return "[]" }
    return "[" + bytes[lower..<upper].map { String(format: "%02X", $0) }.joined(separator: " ") + "]"
}

/// Expects reading `bytes` to fail with `code`, at `offset` and in `path` when given, with a one-line description
/// that names the offset and the path.
@discardableResult
func expectReadError(_ bytes: [UInt8], _ code: DICOMError.Code, offset: Int? = nil, path: String? = nil,
                     options: ReadOptions = ReadOptions(),
                     sourceLocation: Testing.SourceLocation = #_sourceLocation) -> DICOMError? {
    do {
        _ = try Part10Reader.read(bytes: bytes, options: options)
        Issue.record("expected \(code), but the bytes were read", sourceLocation: sourceLocation)
        return nil
    } catch {
        expectDescribed(error, code, offset: offset, path: path, sourceLocation: sourceLocation)
        return error
    }
}

/// Checks an error's code, where it says it is, and that its description is one line saying so.
func expectDescribed(_ error: DICOMError, _ code: DICOMError.Code, offset: Int? = nil, path: String? = nil,
                     sourceLocation: Testing.SourceLocation = #_sourceLocation) {
    #expect(error.code == code, "\(error)", sourceLocation: sourceLocation)
    let text = error.description
    #expect(!text.contains("\n"), "description is one line: \(text)", sourceLocation: sourceLocation)
    #expect(!error.reason.isEmpty, "says why: \(text)", sourceLocation: sourceLocation)
    if let actual = error.offset {
        #expect(text.contains("at byte 0x" + String(actual, radix: 16, uppercase: true)), "\(text)",
                sourceLocation: sourceLocation)
    } else {
        Issue.record("error gives no offset: \(text)", sourceLocation: sourceLocation)
    }
    if let offset {
        #expect(error.offset == offset, "offset 0x\(String(offset, radix: 16)) expected: \(text)",
                sourceLocation: sourceLocation)
    }
    if let path {
        #expect(error.path.description == path, "\(text)", sourceLocation: sourceLocation)
        // The text gives the path in words: each tag, its keyword and item number, in order.
        for component in error.path.components {
            #expect(text.contains(component.tag.description), "\(text)", sourceLocation: sourceLocation)
            if let item = component.item { #expect(text.contains("[\(item)]"), "\(text)", sourceLocation: sourceLocation) }
        }
    }
}

// MARK: - Summaries to compare with other readers

/// One line per element at every nesting level, keyed by tag path, in a form pydicom's walk also prints.
enum ElementSummary {
    struct Entry {
        var vr: VR
        /// `SQ <items>`, `L u` (undefined length) or `L <count> <hex>` (hex only up to 256 bytes).
        var value: String
        var element: DataElement
        /// The byte order of the element's binary value (Implicit VR Little Endian inside CP-246 sequences).
        var order: ByteOrder
        /// Nesting depth: 0 at the top level.
        var depth: Int
    }

    static func of(_ file: Part10File) -> [String: Entry] {
        var out: [String: Entry] = [:]
        walk(file.meta, TagPath(), order: .littleEndian, into: &out)
        walk(file.dataSet, TagPath(), order: file.dataSetEncoding.byteOrder, into: &out)
        return out
    }

    static func walk(_ dataSet: DataSet, _ prefix: TagPath, order: ByteOrder, into out: inout [String: Entry]) {
        for element in dataSet.elements {
            let path = prefix.isEmpty ? TagPath(element.tag) : prefix.appending(element.tag)
            let depth = path.depth
            switch element.value {
            case .sequence(let sequence):
                out[path.description] = Entry(vr: element.vr, value: "SQ \(sequence.items.count)", element: element,
                                              order: order, depth: depth)
                for (index, item) in sequence.items.enumerated() {
                    var itemPath = path
                    itemPath.components[itemPath.components.count - 1].item = index
                    walk(item.dataSet, itemPath, order: sequence.itemEncoding?.byteOrder ?? order, into: &out)
                }
            case .fragments:
                out[path.description] = Entry(vr: element.vr, value: "L u", element: element, order: order, depth: depth)
            case .bytes(let bytes):
                let hex = bytes.count <= 256 ? bytes.map { String(format: "%02x", $0) }.joined() : ""
                out[path.description] = Entry(vr: element.vr, value: "L \(bytes.count) \(hex)", element: element,
                                              order: order, depth: depth)
            }
        }
    }

    /// Number of elements at every nesting level (items and delimiters not counted).
    static func count(_ dataSet: DataSet) -> Int {
        dataSet.elements.reduce(0) { total, element in
            var n = total + 1
            if let sequence = element.sequence { n += sequence.items.reduce(0) { $0 + count($1.dataSet) } }
            return n
        }
    }

    /// The value as pydicom prints a converted value: numbers in decimal, text trimmed, values joined by `\`.
    static func pydicomText(_ element: DataElement, order: ByteOrder) -> String {
        guard let bytes = element.bytes else { return "" }
        func words<T: FixedWidthInteger>(_: T.Type) -> [T] {
            let size = T.bitWidth / 8
            return stride(from: bytes.startIndex, to: bytes.endIndex - size + 1, by: size).map { start in
                let le = (0..<size).reduce(T.zero) { acc, k in
                    let byte = T(truncatingIfNeeded: bytes[order == .littleEndian ? start + k : start + size - 1 - k])
                    return acc | byte << (8 * k)
                }
                return le
            }
        }
        switch element.vr {
        case .US: return words(UInt16.self).map(String.init).joined(separator: "\\")
        case .SS: return words(Int16.self).map(String.init).joined(separator: "\\")
        case .UL: return words(UInt32.self).map(String.init).joined(separator: "\\")
        case .SL: return words(Int32.self).map(String.init).joined(separator: "\\")
        default: return element.strings(.default).joined(separator: "\\")
        }
    }
}

/// pydicom's view of a file: `path -> (vr, value)` with the same value forms as ``ElementSummary``, or
/// `V <text>` for elements pydicom had already converted while reading (the transfer syntax, the character set).
enum Pydicom {
    static let python = Peer.pydicom.tool

    /// Installed, or required by CI=true (the test then fails in ``walk(_:)``).
    static var isAvailable: Bool { Peer.runnable(.pydicom) }

    static let walkScript = """
    import sys, pydicom
    from pydicom.dataelem import RawDataElement
    from pydicom.sequence import Sequence
    from pydicom.multival import MultiValue

    def text(value):
        if isinstance(value, (list, MultiValue)):
            return "\\\\".join(text(v) for v in value)
        if isinstance(value, bytes):
            return value.decode("latin-1").rstrip(" \\0")
        return str(value).strip(" \\0")

    def walk(ds, prefix):
        for tag in ds.keys():
            raw = ds.get_item(tag)
            path = prefix + "(%04X,%04X)" % (tag >> 16, tag & 0xFFFF)
            elem = ds[tag]
            if isinstance(elem.value, Sequence):
                print(f"{path}\\t{elem.VR}\\tSQ {len(elem.value)}")
                for i, item in enumerate(elem.value):
                    walk(item, f"{path}[{i}].")
            elif isinstance(raw, RawDataElement):
                data = raw.value if raw.value is not None else b""
                if raw.length == 0xFFFFFFFF:
                    print(f"{path}\\t{raw.VR}\\tL u")
                else:
                    print(f"{path}\\t{raw.VR}\\tL {raw.length} {data.hex() if len(data) <= 256 else ''}")
            else:
                print(f"{path}\\t{elem.VR}\\tV {text(elem.value)}")

    f = pydicom.dcmread(sys.argv[1])
    walk(f.file_meta, "")
    walk(f, "")
    """

    /// Walks the file at `path` with pydicom. `vr` is nil where pydicom kept no VR (implicit VR raw elements).
    static func walk(_ path: String) throws -> [String: (vr: String?, value: String)] {
        let outcome = try Peer.pydicom.require().run(["-c", walkScript, path])
        guard outcome.status == 0 else {
            throw DICOMError(.io, reason: "pydicom failed on \(path): \(outcome.stderrText)")
        }
        var out: [String: (vr: String?, value: String)] = [:]
        for line in outcome.stdoutText.split(separator: "\n") {
            let parts = line.split(separator: "\t", maxSplits: 2, omittingEmptySubsequences: false)
            guard parts.count == 3 else { continue }
            let vr = parts[1] == "None" ? nil : String(parts[1])
            out[String(parts[0])] = (vr, String(parts[2]).trimmingCharacters(in: .whitespaces))
        }
        return out
    }

    /// Records an issue for every element on which pydicom and our reader disagree.
    static func expectAgreement(file: Part10File, path: String, label: String,
                                sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
        let theirs = try walk(path)
        let ours = ElementSummary.of(file)
        let onlyTheirs = Set(theirs.keys).subtracting(ours.keys).sorted().prefix(5)
        let onlyOurs = Set(ours.keys).subtracting(theirs.keys).sorted().prefix(5)
        #expect(theirs.count == ours.count,
                "\(label): pydicom sees \(theirs.count) elements, we see \(ours.count); only pydicom: \(onlyTheirs), only us: \(onlyOurs)",
                sourceLocation: sourceLocation)
        for (key, their) in theirs.sorted(by: { $0.key < $1.key }) {
            guard let our = ours[key] else {
                Issue.record("\(label): \(key) read by pydicom, not by us", sourceLocation: sourceLocation)
                continue
            }
            // Implicit VR data carries no VR to compare: both readers guess from a dictionary.
            let isExplicit = key.hasPrefix("(0002,") || file.dataSetEncoding.isExplicitVR
            // pydicom reports a UN sequence of undefined length (CP-246) as SQ.
            let isUNSequence = our.vr == .UN && our.element.sequence != nil
            if let vr = their.vr, isExplicit, !(isUNSequence && vr == "SQ") {
                #expect(vr == our.vr.description, "\(label) \(key): VR", sourceLocation: sourceLocation)
            }
            if their.value == "V" || their.value.hasPrefix("V ") {
                let text = ElementSummary.pydicomText(our.element, order: our.order)
                #expect(("V " + text).trimmingCharacters(in: .whitespaces) == their.value, "\(label) \(key): value",
                        sourceLocation: sourceLocation)
            } else {
                #expect(our.value.trimmingCharacters(in: .whitespaces) == their.value, "\(label) \(key)",
                        sourceLocation: sourceLocation)
            }
        }
    }
}

/// Writes `bytes` to a new temporary file and calls `body` with its path; the folder is removed afterwards.
func withTemporaryFile<T>(_ bytes: [UInt8], name: String = "test.dcm", _ body: (String) throws -> T) throws -> T {
    let directory = try TemporaryDirectory(prefix: "codec-tests")
    defer { directory.remove() }
    let path = directory.url.appendingPathComponent(name).path
    try Data(bytes).write(to: URL(fileURLWithPath: path))
    return try body(path)
}

/// dcmdump's (DCMTK) view of a file: one entry per element at every nesting level, compared with ours as a multiset
/// of `depth tag length` (dcmdump prints no paths), plus the text of ASCII text values and the numbers of US/SS/UL/SL.
enum Dcmdump {
    /// Installed, or required by CI=true (the test then fails in ``dump(_:)``).
    static var isAvailable: Bool { Peer.runnable(.dcmdump) }

    struct Line: Hashable, CustomStringConvertible {
        var depth: Int
        var tag: String       // "(0010,0010)", upper case
        var vr: String
        var length: String    // a number, "u/l", or "#=<items>" for sequences and pixel sequences
        var value: String     // text of text values, numbers of integer values, else ""
        var description: String { "\(depth) \(tag) \(vr) \(length) [\(value)]" }
    }

    /// `dcmdump -q -dc +L -Un`: quiet, no automatic corrections, long values in full, UIDs not mapped to names.
    static func dump(_ path: String) throws -> [Line] {
        let outcome = try Peer.dcmdump.require().run(["-q", "-dc", "+L", "-Un", path])
        guard outcome.status == 0 else {
            throw DICOMError(.io, reason: "dcmdump failed on \(path): \(outcome.stderrText)")
        }
        let pattern = #/^( *)\(([0-9a-f]{4}),([0-9a-f]{4})\) (\S\S) (.*)#\s*(\d+|u/l),\s*(\d+) .*$/#
        var lines: [Line] = []
        for raw in outcome.stdoutText.split(separator: "\n") {
            guard let m = try pattern.wholeMatch(in: raw), m.2 != "fffe" else { continue }
            let value = String(m.5).trimmingCharacters(in: .whitespaces)
            var line = Line(depth: m.1.count / 4, tag: "(\(m.2),\(m.3))".uppercased(), vr: String(m.4),
                            length: String(m.6), value: "")
            if let count = value.firstMatch(of: #/^\((?:Sequence|PixelSequence).*#=(\d+)\)$/#) {
                line.length = "#=\(count.1)"
            } else if value.hasPrefix("[") && value.hasSuffix("]") {
                line.value = String(value.dropFirst().dropLast())
                    .trimmingCharacters(in: CharacterSet.whitespaces.union(CharacterSet(charactersIn: "\0")))
            } else if ["US", "SS", "UL", "SL"].contains(line.vr) {
                line.value = value
            }
            lines.append(line)
        }
        return lines
    }

    /// What dcmdump should print for our reading of `file`.
    static func expectedLines(_ file: Part10File) -> [Line] {
        ElementSummary.of(file).map { key, entry in
            var line = Line(depth: entry.depth, tag: String(key.suffix(11)), vr: entry.vr.description, length: "",
                            value: "")
            switch entry.element.value {
            case .sequence(let sequence):
                line.length = "#=\(sequence.items.count)"
            case .fragments(let fragments):
                line.length = "#=\(fragments.items.count)"
            case .bytes(let bytes):
                line.length = String(bytes.count)
                if entry.vr.isText, bytes.allSatisfy({ (0x20..<0x7F).contains($0) || $0 == 0 }) {
                    line.value = (entry.element.string() ?? "").trimmingCharacters(in: .whitespaces)
                } else if [VR.US, .SS, .UL, .SL].contains(entry.vr) {
                    line.value = ElementSummary.pydicomText(entry.element, order: entry.order)
                }
            }
            return line
        }
    }

    /// Records an issue for every element dcmdump and our reader see differently.
    static func expectAgreement(file: Part10File, path: String, label: String,
                                sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
        let theirs = try dump(path)
        let ours = expectedLines(file)
        #expect(theirs.count == ours.count, "\(label): dcmdump prints \(theirs.count) elements, we read \(ours.count)",
                sourceLocation: sourceLocation)
        // Compare what both can know: nesting, tag, length; the VR only where the file states it; values where
        // both print one (dcmdump prints no text for unknown private VRs, we print none for non-ASCII text).
        let explicit = file.dataSetEncoding.isExplicitVR
        var unmatched: [String: [Line]] = [:]
        for line in ours { unmatched["\(line.depth) \(line.tag) \(line.length)", default: []].append(line) }
        for line in theirs {
            let key = "\(line.depth) \(line.tag) \(line.length)"
            let index = unmatched[key]?.firstIndex { our in
                // dcmdump reads a UN sequence (CP-246) as SQ; implicit VR data has no VR to compare.
                let vrAgrees = !explicit || our.vr == line.vr || (our.vr == "UN" && line.vr == "SQ")
                let valueAgrees = our.value.isEmpty || line.value.isEmpty || our.value == line.value
                return vrAgrees && valueAgrees
            }
            if let index {
                unmatched[key]?.remove(at: index)
            } else {
                Issue.record("\(label): dcmdump prints \(line), we read \(unmatched[key] ?? [])",
                             sourceLocation: sourceLocation)
            }
        }
        let remaining = unmatched.filter { !$0.value.isEmpty }.mapValues(\.count)
        for (k, n) in remaining where n > 0 {
            Issue.record("\(label): we read \(k) (\(n)x), which dcmdump does not print", sourceLocation: sourceLocation)
        }
    }
}
