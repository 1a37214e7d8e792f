import DICOMCodec
import DICOMCore
import DICOMTestSupport
import Foundation
import Testing

/// Edits by tag path at any nesting level: the written file is exactly the file built with the edit made by hand,
/// so every defined length of the containers around the edit is recomputed, and nothing else moves.
struct EditingTests {
    /// Values of the nested elements, so a test can build the expected file with one of them changed.
    struct Leaf {
        var classUID = "1.2.840.10008.5.1.4.1.1.2\0"
        var instanceUID: String? = "1.2.3.4.5.6\0"
        var extra: String?   // (0008,1160) Referenced Frame Number, absent at first
        var seriesUID = "1.2.3.9\0"
        var patientName = "Doe^John"
    }

    /// A file whose (0008,1115) and (0008,1140) are of defined length, in defined-length items, next to an
    /// undefined-length sequence holding an unedited copy of the leaf; `leaf` gives the values under (0008,1140).
    static func build(_ syntax: Syntax, _ leaf: Leaf = Leaf()) -> [UInt8] {
        let e = syntax.encoding
        func referenceBytes(_ leaf: Leaf) -> [UInt8] {
            var reference = ByteBuilder(e)
            reference.element(Tag(0x0008, 0x1150), "UI", leaf.classUID)
            if let instance = leaf.instanceUID { reference.element(Tag(0x0008, 0x1155), "UI", instance) }
            if let extra = leaf.extra { reference.element(Tag(0x0008, 0x1160), "IS", extra) }
            return reference.bytes
        }
        var series = ByteBuilder(e)
        series.sequence(Tag(0x0008, 0x1140), definedLengthItems: [referenceBytes(leaf)])
        series.element(Tag(0x0020, 0x000E), "UI", leaf.seriesUID)
        var b = ByteBuilder(e)
        b.element(Tag(0x0008, 0x0020), "DA", "20240101")
        b.sequence(Tag(0x0008, 0x1115), definedLengthItems: [series.bytes, []])
        b.element(Tag(0x0008, 0x1250), "SQ", undefinedLength: true)
        b.item(undefinedLength: true)
        b.raw(referenceBytes(Leaf()))   // the same leaf, unedited, in containers of undefined length
        b.itemEnd()
        b.sequenceEnd()
        b.element(Tag(0x0010, 0x0010), "PN", leaf.patientName)
        return Sample.part10(syntax, b.bytes)
    }

    static let leafPath = "(0008,1115)[0].(0008,1140)[0]"

    static func path(_ text: String) throws -> TagPath { try #require(TagPath(parsing: text)) }

    /// Applies `edit` to the file read from `build(syntax)` and expects the output to equal `build(syntax, expected)`.
    func expectEdit(_ syntax: Syntax, expected: Leaf, sourceLocation: Testing.SourceLocation = #_sourceLocation,
                    _ edit: (inout DataSet) throws -> Void) throws {
        var file = try Part10Reader.read(bytes: Self.build(syntax))
        try edit(&file.dataSet)
        let written = try Part10Writer.encode(file)
        let wanted = Self.build(syntax, expected)
        if let at = firstDifference(written, wanted) {
            let message = "edited \(syntax) file differs from the expected one at offset \(at): "
                + "wrote \(window(written, at)), expected \(window(wanted, at))"
            Issue.record(Comment(rawValue: message), sourceLocation: sourceLocation)
        }
        // And it reads back with the same lengths and forms.
        let again = try Part10Reader.read(bytes: written)
        #expect(again.dataSet[Tag(0x0008, 0x1115)]?.sequence?.isUndefinedLength == false, sourceLocation: sourceLocation)
        #expect(again.dataSet[Tag(0x0008, 0x1250)]?.sequence?.isUndefinedLength == true, sourceLocation: sourceLocation)
    }

    @Test(arguments: Syntax.allCases)
    func settingANestedValueRecomputesEveryEnclosingLength(_ syntax: Syntax) throws {
        var expected = Leaf()
        expected.instanceUID = "1.2.3.4.5.6.7.8.9.10.11.12"   // even: no padding
        try expectEdit(syntax, expected: expected) { ds in
            try ds.set(DataElement(tag: Tag(0x0008, 0x1155), vr: .UI, string: "1.2.3.4.5.6.7.8.9.10.11.12"),
                       at: try Self.path(Self.leafPath + ".(0008,1155)"))
        }
    }

    @Test(arguments: Syntax.allCases)
    func insertingANestedElementPutsItInTagOrder(_ syntax: Syntax) throws {
        var expected = Leaf()
        expected.extra = "12"
        try expectEdit(syntax, expected: expected) { ds in
            try ds.set(DataElement(tag: Tag(0x0008, 0x1160), vr: .IS, string: "12"),
                       at: try Self.path(Self.leafPath + ".(0008,1160)"))
        }
    }

    @Test(arguments: Syntax.allCases)
    func removingANestedElementShrinksEveryEnclosingLength(_ syntax: Syntax) throws {
        var expected = Leaf()
        expected.instanceUID = nil
        try expectEdit(syntax, expected: expected) { ds in
            let removed = try ds.remove(at: try Self.path(Self.leafPath + ".(0008,1155)"))
            #expect(removed?.string() == "1.2.3.4.5.6")
        }
    }

    @Test(arguments: Syntax.allCases)
    func replacingAnElementInTheMiddleLevelKeepsItsNeighbours(_ syntax: Syntax) throws {
        var expected = Leaf()
        expected.seriesUID = "9.8.7.6.5.4.3.2.1\0"
        try expectEdit(syntax, expected: expected) { ds in
            let path = try Self.path("(0008,1115)[0].(0020,000E)")
            let old = try #require(ds.element(at: path))
            var new = old
            new.value = .bytes(Array("9.8.7.6.5.4.3.2.1\0".utf8)[...])
            try ds.set(new, at: path)
        }
    }

    @Test(arguments: Syntax.allCases)
    func replacingATopLevelElementByIndex(_ syntax: Syntax) throws {
        var expected = Leaf()
        expected.patientName = "Roe^Jane^Middle "
        try expectEdit(syntax, expected: expected) { ds in
            let index = try #require(ds.index(of: Tag(0x0010, 0x0010)))
            ds.replace(at: index, with: DataElement(tag: Tag(0x0010, 0x0010), vr: .PN, string: "Roe^Jane^Middle"))
        }
    }

    @Test func editingAPathThroughAMissingItemThrows() throws {
        var file = try Part10Reader.read(bytes: Self.build(.explicitLittle))
        let element = DataElement(tag: Tag(0x0008, 0x1155), vr: .UI, string: "1.2")
        #expect(throws: DICOMError(.noSuchElement)) { try file.dataSet.set(element, at: try Self.path("(0008,1115)[5].(0008,1155)")) }
        #expect(throws: DICOMError(.noSuchElement)) { try file.dataSet.set(element, at: try Self.path("(0008,9999)[0].(0008,1155)")) }
        #expect(throws: DICOMError(.noSuchElement)) {
            try file.dataSet.set(element, at: try Self.path("(0010,0010)[0].(0008,1155)"))   // not a sequence
        }
        // Nothing changed.
        #expect(try Part10Writer.encode(file) == Self.build(.explicitLittle))
    }

    /// `set(contentsOf:)` gives the data set `set(_:)` one element at a time gives: merged in one pass when both
    /// are in tag order, element by element otherwise (duplicates, a data set out of order).
    @Test func settingManyElementsMatchesSettingThemOneByOne() {
        func element(_ tag: UInt16, _ text: String) -> DataElement {
            DataElement(tag: Tag(0x0010, tag), vr: .LO, string: text)
        }
        func summary(_ ds: DataSet) -> [String] { ds.elements.map { "\($0.tag)=\($0.string() ?? "")" } }
        let sorted = DataSet([element(0x0010, "a"), element(0x0020, "b"), element(0x0040, "c")])
        let unsorted = DataSet([element(0x0040, "c"), element(0x0010, "a"), element(0x0020, "b")])
        let additions: [[DataElement]] = [
            [],
            [element(0x0005, "first")],
            [element(0x0005, "first"), element(0x0020, "B"), element(0x0030, "new"), element(0x0050, "last")],
            [element(0x0010, "A"), element(0x0020, "B"), element(0x0040, "C")],
            [element(0x0030, "x"), element(0x0015, "y")],              // not in order
            [element(0x0030, "x"), element(0x0030, "y")],              // the same tag twice: the last wins
        ]
        for base in [sorted, unsorted, DataSet()] {
            for new in additions {
                var oneByOne = base
                for e in new { oneByOne.set(e) }
                var merged = base
                merged.set(contentsOf: new)
                #expect(summary(merged) == summary(oneByOne))
                // Look-ups still find every element (the order flag stays right).
                for e in oneByOne.elements { #expect(merged[e.tag]?.string() == e.string()) }
            }
        }
    }

    @Test func elementAtPathFindsEveryLevel() throws {
        let file = try Part10Reader.read(bytes: Self.build(.implicitLittle))
        let ds = file.dataSet
        #expect(ds.element(at: try Self.path("(0010,0010)"))?.string() == "Doe^John")
        #expect(ds.element(at: try Self.path("(0008,1115)[0].(0020,000E)"))?.string() == "1.2.3.9")
        #expect(ds.element(at: try Self.path(Self.leafPath + ".(0008,1150)"))?.string() == "1.2.840.10008.5.1.4.1.1.2")
        #expect(ds.element(at: try Self.path("(0008,1250)[0].(0008,1155)"))?.string() == "1.2.3.4.5.6")
        #expect(ds.element(at: try Self.path("(0008,1115)[1].(0020,000E)")) == nil)
        #expect(ds.element(at: try Self.path("(0008,1115)[2].(0020,000E)")) == nil)
    }

    @Test(.enabled(if: Pydicom.isAvailable, Comment(rawValue: Peer.skipReason(.pydicom))), arguments: Syntax.allCases)
    func pydicomReadsTheEditedFile(_ syntax: Syntax) throws {
        var file = try Part10Reader.read(bytes: Self.build(syntax))
        try file.dataSet.set(DataElement(tag: Tag(0x0008, 0x1155), vr: .UI, string: "1.2.3.4.5.6.7.8.9.10.11.12"),
                             at: try Self.path(Self.leafPath + ".(0008,1155)"))
        try file.dataSet.set(DataElement(tag: Tag(0x0020, 0x0013), vr: .IS, string: "42"),
                             at: try Self.path("(0008,1250)[0].(0020,0013)"))
        try file.dataSet.remove(at: try Self.path(Self.leafPath + ".(0008,1150)"))
        let written = try Part10Writer.encode(file)
        let edited = try Part10Reader.read(bytes: written)
        try withTemporaryFile(written) { path in
            try Pydicom.expectAgreement(file: edited, path: path, label: "edited \(syntax)")
            let script = """
            import sys, pydicom
            ds = pydicom.dcmread(sys.argv[1])
            r = ds.ReferencedSeriesSequence[0].ReferencedImageSequence[0]
            print(r.ReferencedSOPInstanceUID, "ReferencedSOPClassUID" in r, ds[0x00081250][0].InstanceNumber)
            """
            let outcome = try Peer.pydicom.require().run(["-c", script, path])
            #expect(outcome.status == 0, "\(outcome.stderrText)")
            #expect(outcome.stdoutText == "1.2.3.4.5.6.7.8.9.10.11.12 False 42\n")
        }
    }
}
