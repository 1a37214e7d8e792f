import CMS
import DICOMCodec
import DICOMCore
import DICOMDictionary
import Deidentification
import Testing

/// The Encrypted Attributes item is bound to its file: an item moved to another file, and a file changed after
/// de-identification, are refused (PS3.15 E.1.2 restores only what belongs to the file).
@Suite struct FileBindingTests {
    let reidentifier: Reidentifier
    let accepting: Reidentifier

    init() throws {
        reidentifier = Reidentifier(key: try TestEnvironment.key(), certificate: try TestEnvironment.certificate())
        accepting = Reidentifier(key: try TestEnvironment.key(), certificate: try TestEnvironment.certificate(),
                                 acceptModified: true)
    }

    /// A fixture de-identified, written and read back, as a receiver holds it.
    func deidentified(_ name: String, allowRepeat: Bool = false) throws -> Part10File {
        try TestEnvironment.deidentifyThroughBytes(try TestEnvironment.fixture(name),
                                                   with: try TestEnvironment.deidentifier(allowRepeat: allowRepeat)).0
    }

    /// `file` written and read back.
    func throughBytes(_ file: Part10File) throws -> Part10File {
        try Part10Reader.read(bytes: try Part10Writer.encode(file))
    }

    @Test func anItemMovedFromAnotherFileIsRefused() throws {
        let ct = try deidentified("ct-explicit-le.dcm")
        let mr = try deidentified("mr-explicit-le.dcm")
        var chimera = ct
        chimera.dataSet.set(try #require(mr.dataSet[.encryptedAttributesSequence]))
        #expect(throws: DeidentificationError(.itemOfAnotherFile)) { try reidentifier.reidentify(try throughBytes(chimera)) }
        // --accept-modified does not make another file's item acceptable.
        #expect(throws: DeidentificationError(.itemOfAnotherFile)) { try accepting.reidentify(try throughBytes(chimera)) }
        // Nor does --only: a partial restore would put the other patient's name on this image.
        #expect(throws: DeidentificationError(.itemOfAnotherFile)) {
            try reidentifier.reidentify(try throughBytes(chimera), only: [.patientName])
        }
    }

    @Test func anItemAppendedFromAnotherFileIsRefused() throws {
        let ct = try deidentified("ct-explicit-le.dcm")
        let mr = try deidentified("mr-explicit-le.dcm")
        var sequence = try #require(ct.dataSet[.encryptedAttributesSequence]?.sequence)
        sequence.items.append(try #require(mr.dataSet[.encryptedAttributesSequence]?.sequence?.items.first))
        var chimera = ct
        chimera.dataSet.set(DataElement(tag: .encryptedAttributesSequence, vr: .SQ, value: .sequence(sequence)))
        let error = #expect(throws: DeidentificationError(.itemOfAnotherFile)) {
            try reidentifier.reidentify(try throughBytes(chimera))
        }
        #expect(error?.description.contains("item 2") == true)
    }

    /// The three changes the issue tried, and an added attribute: refused, naming the tag; restored when accepted.
    @Test(arguments: [
        ("kept attribute changed", "changed (0008,0060)"),
        ("pixel byte changed", "changed (7FE0,0010)"),
        ("kept attribute removed", "removed (0008,0060)"),
        ("attribute added", "added (0008,1030)"),
    ])
    func aFileChangedAfterDeidentificationIsRefused(_ change: String, _ named: String) throws {
        var file = try deidentified("ct-explicit-le.dcm")
        switch change {
        case "kept attribute changed":
            file.dataSet.set(DataElement(tag: .modality, vr: .CS, string: "MR"))
        case "pixel byte changed":
            var pixels = Array(try #require(file.dataSet[.pixelData]?.bytes))
            pixels[10] ^= 1
            file.dataSet.set(DataElement(tag: .pixelData, vr: .OW, bytes: pixels))
        case "kept attribute removed":
            file.dataSet.remove(.modality)
        default:
            file.dataSet.set(DataElement(tag: .studyDescription, vr: .LO, string: "ADDED"))
        }
        file = try throughBytes(file)
        let error = #expect(throws: DeidentificationError(.modifiedAfterDeidentification)) {
            try reidentifier.reidentify(file)
        }
        #expect(error?.description.contains(named) == true, "\(error?.description ?? "")")

        let restored = try accepting.reidentify(file)
        guard case .modifiedAccepted(let difference) = restored.binding else {
            Issue.record("expected the change to be accepted and reported, got \(restored.binding)")
            return
        }
        #expect(difference.description == named)
        #expect(restored.file.dataSet[.patientIdentityRemoved]?.string() == "NO")
    }

    /// Values, not their encoding, are bound: a receiver that rewrites the file in another VR encoding keeps it
    /// restorable.
    @Test func aFileRewrittenWithExplicitVRStillBelongs() throws {
        let implicit = try deidentified("ct-implicit-le.dcm")
        var explicit = implicit
        explicit.transferSyntax = .explicitVRLittleEndian
        explicit.dataSetEncoding = TransferSyntax.explicitVRLittleEndian.encoding
        explicit.meta.set(DataElement(tag: Tag(0x0002, 0x0010), vr: .UI, string: TransferSyntax.explicitVRLittleEndian.uid))
        let rewritten = try throughBytes(explicit)
        #expect(rewritten.transferSyntax == .explicitVRLittleEndian)
        #expect(try reidentifier.reidentify(rewritten).binding == .verified)
    }

    /// Each layer of a twice de-identified file is bound to the file as that layer left it.
    @Test func bothLayersOfARepeatedDeidentificationAreBound() throws {
        let once = try deidentified("mr-explicit-le.dcm")
        let twice = try TestEnvironment.deidentifyThroughBytes(once, with: try TestEnvironment.deidentifier(allowRepeat: true)).0
        let outer = try reidentifier.reidentify(twice)
        #expect(outer.binding == .verified)
        let inner = try reidentifier.reidentify(try throughBytes(outer.file))
        #expect(inner.binding == .verified)
    }

    /// PS3.15 E.1.2 for a partial restore: once a name or an ID of the patient is back, the file does not say its
    /// identity was removed; other attributes leave it as it was.
    @Test func aPartialRestoreOfANameOrIDSaysPatientIdentityRemovedNO() throws {
        let file = try deidentified("ct-explicit-le.dcm")
        let withName = try reidentifier.reidentify(file, only: [.patientName])
        #expect(withName.file.dataSet[.patientIdentityRemoved]?.string() == "NO")
        #expect(withName.file.dataSet.contains(.encryptedAttributesSequence))
        let withID = try reidentifier.reidentify(file, only: [.patientID])
        #expect(withID.file.dataSet[.patientIdentityRemoved]?.string() == "NO")
        let withDate = try reidentifier.reidentify(file, only: [.studyDate])
        #expect(withDate.file.dataSet[.patientIdentityRemoved]?.string() == "YES")
    }

    /// The binding as written: digest, index and UID of the output, readable by a receiver who can decrypt.
    @Test func theBindingNamesTheOutputAndListsItsElements() throws {
        let file = try deidentified("sc-utf8-explicit-le.dcm")
        let uid = try #require(file.dataSet[.sopInstanceUID]?.string())
        let binding = FileBinding(dataSet: file.dataSet, sopInstanceUID: uid)
        #expect(binding.digest.count == 32)
        #expect(binding.index.map(\.tag) == file.dataSet.elements.map(\.tag).filter {
            $0 != .encryptedAttributesSequence && $0.element != 0
        })
        #expect(binding.difference(from: file.dataSet).isEmpty)
        var changed = file.dataSet
        changed.remove(.encryptedAttributesSequence)
        #expect(binding.difference(from: changed).isEmpty, "(0400,0500) is outside the binding")
    }
}

extension FileBindingTests {
    /// After `--only`, the values put back are the item's own originals, so a later full restore still accepts the
    /// file; any other change made after that is still refused.
    @Test func aPartialRestoreIsNotAChangeButAnotherChangeAfterItIs() throws {
        let file = try deidentified("ct-explicit-le.dcm")
        let partial = try throughBytes(try reidentifier.reidentify(file, only: [.patientName, .studyDate]).file)
        #expect(try reidentifier.reidentify(partial).binding == .verified)
        var tampered = partial
        tampered.dataSet.set(DataElement(tag: .modality, vr: .CS, string: "MR"))
        let error = #expect(throws: DeidentificationError(.modifiedAfterDeidentification)) {
            try reidentifier.reidentify(try throughBytes(tampered))
        }
        #expect(error?.description.contains("changed (0008,0060)") == true)
        // A restored attribute whose value is not the original is a change too.
        var wrongName = partial
        wrongName.dataSet.set(DataElement(tag: .patientName, vr: .PN, string: "SOMEONE^ELSE"))
        #expect(throws: DeidentificationError(.modifiedAfterDeidentification)) {
            try reidentifier.reidentify(try throughBytes(wrongName))
        }
    }
}
