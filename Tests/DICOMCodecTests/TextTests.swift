import DICOMCodec
import DICOMCore
import DICOMTestSupport
import Foundation
import Testing

/// Text views of values: Specific Character Set decoding, multi-valued strings, tag paths as text, error text.
struct TextTests {
    static func charset(_ value: String) -> SpecificCharacterSet {
        SpecificCharacterSet(DataElement(tag: Tag(0x0008, 0x0005), vr: .CS, string: value))
    }

    @Test func readsTheRepertoireFromSpecificCharacterSet() {
        #expect(SpecificCharacterSet(nil).repertoire == .ascii)
        #expect(Self.charset("").repertoire == .ascii)
        #expect(Self.charset("ISO_IR 6").repertoire == .ascii)
        #expect(Self.charset("ISO_IR 100").repertoire == .latin1)
        #expect(Self.charset("ISO 2022 IR 100").repertoire == .latin1)
        #expect(Self.charset("ISO_IR 192").repertoire == .utf8)
        #expect(Self.charset("ISO_IR 192 ").repertoire == .utf8)          // padded to even length
        #expect(Self.charset("\\ISO 2022 IR 87").repertoire == .ascii)    // first value empty: default repertoire
        #expect(Self.charset("ISO_IR 144").repertoire == .other("ISO_IR 144"))
    }

    @Test func decodesLatin1() {
        // "Müller^Jürgen" in ISO 8859-1.
        let bytes: [UInt8] = [0x4D, 0xFC, 0x6C, 0x6C, 0x65, 0x72, 0x5E, 0x4A, 0xFC, 0x72, 0x67, 0x65, 0x6E, 0x20]
        let element = DataElement(tag: Tag(0x0010, 0x0010), vr: .PN, bytes: bytes)
        #expect(element.string(Self.charset("ISO_IR 100")) == "Müller^Jürgen")
        #expect(Self.charset("ISO_IR 100").encode("Müller^Jürgen") == Array(bytes.dropLast()))
        #expect(Self.charset("ISO_IR 100").encode("Zoë 王") == [0x5A, 0x6F, 0xEB, 0x20, 0x3F])
    }

    @Test func decodesUTF8() {
        let text = "Wang^XiaoDong=王^小東"
        var bytes = Array(text.utf8)
        if bytes.count % 2 == 1 { bytes.append(0x20) }
        let element = DataElement(tag: Tag(0x0010, 0x0010), vr: .PN, bytes: bytes)
        #expect(element.string(Self.charset("ISO_IR 192")) == text)
        #expect(element.strings(Self.charset("ISO_IR 192")) == [text])
        #expect(Self.charset("ISO_IR 192").encode(text) == Array(text.utf8))
    }

    /// The character set of a fixture, read from the file, decodes its names.
    @Test(arguments: [("sc-latin1-explicit-le.dcm", SpecificCharacterSet.Repertoire.latin1),
                      ("sc-utf8-explicit-le.dcm", .utf8)])
    func decodesTheFixtureCharacterSets(_ name: String, _ repertoire: SpecificCharacterSet.Repertoire) throws {
        let path = RepositoryPaths.fixtures.appendingPathComponent(name).path
        try #require(FileManager.default.fileExists(atPath: path), "Fixtures/\(name) comes from Scripts/make-fixtures.py")
        let file = try Part10Reader.read(contentsOf: path)
        let charset = SpecificCharacterSet(file.dataSet[Tag(0x0008, 0x0005)])
        #expect(charset.repertoire == repertoire)
        let name = try #require(file.dataSet[Tag(0x0010, 0x0010)]?.string(charset))
        #expect(!name.contains("\u{FFFD}"), "\(name)")
        #expect(name.unicodeScalars.contains { $0.value > 0x7F }, "the fixture's name has non-ASCII letters: \(name)")
        if Pydicom.isAvailable {
            let python = try Peer.pydicom.require()
            let outcome = try python.run(["-c", "import sys, pydicom; print(pydicom.dcmread(sys.argv[1]).PatientName)", path])
            #expect(outcome.stdoutText.trimmingCharacters(in: .newlines) == name)
        }
    }

    @Test func splitsMultipleValuesOnBackslash() {
        func values(_ text: String) -> [String] {
            DataElement(tag: Tag(0x0008, 0x0008), vr: .CS, bytes: Array(text.utf8)).strings()
        }
        #expect(values("ORIGINAL\\PRIMARY\\AXIAL ") == ["ORIGINAL", "PRIMARY", "AXIAL"])
        #expect(values(" 1.5\\ -2 \\3") == ["1.5", "-2", "3"])
        #expect(values("A\\\\B") == ["A", "", "B"])          // an empty value in the middle is a value
        #expect(values("\\") == ["", ""])
        #expect(values("SINGLE") == ["SINGLE"])
        #expect(values("") == [""])
        #expect(DataElement(tag: Tag(0x0008, 0x0018), vr: .UI, bytes: Array("1.2.3\0".utf8)).strings() == ["1.2.3"])
        let sequence = DataElement(tag: Tag(0x0008, 0x1115), vr: .SQ, value: .sequence(SequenceOfItems(items: [])))
        #expect(sequence.strings() == [])
        #expect(sequence.string() == nil)
    }

    @Test func readsUnsignedShortsInEitherOrder() {
        let element = DataElement(tag: Tag(0x0028, 0x0010), vr: .US, bytes: [0x01, 0x02, 0x03, 0x04, 0x05])
        #expect(element.uint16s(.littleEndian) == [0x0201, 0x0403])
        #expect(element.uint16s(.bigEndian) == [0x0102, 0x0304])
    }

    @Test(arguments: ["(0010,0010)", "(0008,1115)[0].(0020,000E)", "(0008,1115)[0].(0008,1140)[12].(0008,1155)",
                      "(7FE0,0010)", "(0029,1001)[3]", "(FFFE,E000)"])
    func tagPathTextRoundTrips(_ text: String) throws {
        let path = try #require(TagPath(parsing: text))
        #expect(path.description == text)
        #expect(TagPath(parsing: path.description) == path)
    }

    @Test func tagPathParsingAcceptsOtherSpellings() throws {
        #expect(TagPath(parsing: "(0008,1115)[0].(0020,000e)")?.description == "(0008,1115)[0].(0020,000E)")
        #expect(TagPath(parsing: "00081115[1].0020000E")?.description == "(0008,1115)[1].(0020,000E)")
        #expect(TagPath(parsing: "0008,1115[2].0020,000E")?.description == "(0008,1115)[2].(0020,000E)")
        let path = try #require(TagPath(parsing: "(0008,1115)[0].(0008,1140)[1].(0008,1155)"))
        #expect(path.depth == 2)
        #expect(path.lastTag == Tag(0x0008, 0x1155))
        #expect(path.tags == [Tag(0x0008, 0x1115), Tag(0x0008, 0x1140), Tag(0x0008, 0x1155)])
        #expect(TagPath(Tag(0x0008, 0x1115)).appending(item: 2, tag: Tag(0x0020, 0x000E)).description
                == "(0008,1115)[2].(0020,000E)")
    }

    @Test(arguments: ["", "(0008,111)", "(0008,1115)[x]", "(0008,1115)[0", "(0008,1115)]0[", "(0008,1115)..(0010,0010)x",
                      "(GGGG,0010)", "(0008,1115)(0020,000E)", "."])
    func tagPathParsingRejectsMalformedText(_ text: String) {
        #expect(TagPath(parsing: text) == nil, "\(text)")
    }

    @Test func errorDescriptionSaysWhereOnOneLine() {
        var path = TagPath(Tag(0x0008, 0x1115)).appending(item: 0, tag: Tag(0x0020, 0x000E))
        path.components[0].item = 0
        let error = DICOMError(.truncated, offset: 0x1A2, path: path, file: "in.dcm", reason: "need 4 bytes, 2 left")
        // In words, not code names; the path with keywords.
        #expect(error.description
                == "truncated at byte 0x1A2 in (0008,1115) ReferencedSeriesSequence[0] > (0020,000E) SeriesInstanceUID of in.dcm: need 4 bytes, 2 left")
        #expect(DICOMError(.trailingGarbage, offset: 2).description == "bytes after the last element at byte 0x2")
        #expect(error.withoutFile.description.hasSuffix("SeriesInstanceUID: need 4 bytes, 2 left"))
        #expect(error == DICOMError(.truncated))
        #expect(error != DICOMError(.lengthExceedsParent))
        let quoting = DICOMError(.unsupportedTransferSyntax, offset: 0, reason: "transfer syntax '1.2\n3\r\t'")
        #expect(!quoting.description.contains("\n") && !quoting.description.contains("\r"), "\(quoting)")
        #expect(quoting.description.contains("1.2"))
    }
}
