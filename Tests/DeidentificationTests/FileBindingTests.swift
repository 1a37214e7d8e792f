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

/// The findings of the binding's review, each reproduced.
extension FileBindingTests {
    /// An input can carry group 7FD1 blocks named like ours; they are its own attributes (restored as such), never
    /// taken for the binding or the saved pixels, which the encrypted content places beside the sequence.
    @Test func blocksPlantedInTheInputAreTheInputsOwn() throws {
        let victim = try deidentified("mr-explicit-le.dcm")
        let victimUID = try #require(victim.dataSet[.sopInstanceUID]?.string())
        let victimBinding = FileBinding(dataSet: victim.dataSet, sopInstanceUID: victimUID)
        var planted = try TestEnvironment.fixture("ct-explicit-le.dcm")
        let fake = victimBinding.elements()
        planted.dataSet.set(DataElement(tag: Tag(0x7FD1, 0x0010), vr: .LO, string: "DICOM-DEID BINDING 1"))
        planted.dataSet.set(DataElement(tag: Tag(0x7FD1, 0x0011), vr: .LO, string: "DICOM-DEID ORIGINAL PIXELS 1"))
        planted.dataSet.set(DataElement(tag: Tag(0x7FD1, 0x1010), vr: .UI, string: victimUID))
        planted.dataSet.set(DataElement(tag: Tag(0x7FD1, 0x1011), vr: .OB, bytes: Array(try #require(fake[1].bytes))))
        planted.dataSet.set(DataElement(tag: Tag(0x7FD1, 0x1012), vr: .OB, bytes: Array(try #require(fake[2].bytes))))
        planted.dataSet.set(DataElement(tag: Tag(0x7FD1, 0x1110), vr: .SQ, value: .sequence(SequenceOfItems(items: []))))
        planted = try throughBytes(planted)
        let output = try TestEnvironment.deidentifyThroughBytes(planted, with: try TestEnvironment.deidentifier()).0
        #expect(!output.dataSet.contains(Tag(0x7FD1, 0x0010)), "private attributes are removed from the output")

        // Its item appended to the victim, or in place of the victim's, is another file's.
        var chimera = victim
        var items = try #require(victim.dataSet[.encryptedAttributesSequence]?.sequence)
        items.items += try #require(output.dataSet[.encryptedAttributesSequence]?.sequence).items
        chimera.dataSet.set(DataElement(tag: .encryptedAttributesSequence, vr: .SQ, value: .sequence(items)))
        #expect(throws: DeidentificationError(.itemOfAnotherFile)) { try reidentifier.reidentify(try throughBytes(chimera)) }
        chimera.dataSet.set(try #require(output.dataSet[.encryptedAttributesSequence]))
        #expect(throws: DeidentificationError(.itemOfAnotherFile)) { try reidentifier.reidentify(try throughBytes(chimera)) }

        // Its own restore gives the planted elements back, as they were.
        let restored = try reidentifier.reidentify(output)
        #expect(restored.binding == .verified)
        var back = try throughBytes(restored.file)
        back.dataSet.remove(.patientIdentityRemoved)
        #expect(try TestEnvironment.dataSetBytes(back) == TestEnvironment.dataSetBytes(planted))
    }

    /// After `--only SOPInstanceUID` the file holds its original UID: still this item's file.
    @Test func aFullRestoreAfterRestoringOnlyTheSOPInstanceUID() throws {
        let file = try deidentified("ct-explicit-le.dcm")
        let partial = try throughBytes(try reidentifier.reidentify(file, only: [.sopInstanceUID]).file)
        #expect(try reidentifier.reidentify(partial).binding == .verified)
    }

    /// `--accept-modified` does not take another file's item whose SOP Instance UID was copied along with it.
    @Test func acceptModifiedRefusesAnItemMovedWithItsUID() throws {
        let ct = try deidentified("ct-explicit-le.dcm")
        let mr = try deidentified("mr-explicit-le.dcm")
        var chimera = ct
        chimera.dataSet.set(try #require(mr.dataSet[.encryptedAttributesSequence]))
        chimera.dataSet.set(try #require(mr.dataSet[.sopInstanceUID]))
        let error = #expect(throws: DeidentificationError(.itemOfAnotherFile)) {
            try accepting.reidentify(try throughBytes(chimera))
        }
        #expect(error?.description.contains("which say what file this is") == true, "\(error?.description ?? "")")
    }

    /// A second de-identification's item for another key: the first layer's item is not this file's yet, and the
    /// message says so.
    @Test func anInnerLayerIsNotRestoredBeforeTheOuterOne() throws {
        let once = try deidentified("mr-explicit-le.dcm")
        let forB = Deidentifier(settings: DeidentificationSettings(
            policy: DeidentificationPolicy(allowRepeat: true), keys: MappingKeys(secret: TestEnvironment.secret),
            recipients: Recipients([try TestEnvironment.certificate("test-recipient-b.crt")])))
        let twice = try TestEnvironment.deidentifyThroughBytes(once, with: forB).0
        let error = #expect(throws: DeidentificationError(.itemOfAnotherFile)) { try reidentifier.reidentify(twice) }
        #expect(error?.description.contains("restore the later layers first") == true, "\(error?.description ?? "")")
    }

    /// Twice de-identified, the outer item's original Patient Identity Removed is YES; a partial restore of the name
    /// sets NO, and a full restore afterwards still accepts the file.
    @Test func aPartialRestoreOfAnOuterLayerThenAFullOne() throws {
        let once = try deidentified("mr-explicit-le.dcm")
        let twice = try TestEnvironment.deidentifyThroughBytes(once, with: try TestEnvironment.deidentifier(allowRepeat: true)).0
        let partial = try throughBytes(try reidentifier.reidentify(twice, only: [.patientName]).file)
        #expect(partial.dataSet[.patientIdentityRemoved]?.string() == "NO")
        #expect(try reidentifier.reidentify(partial).binding == .verified)
    }

    /// A malformed binding in genuine encrypted content is one error, never a trap.
    @Test(arguments: ["short digest", "odd index", "no index", "empty UID"])
    func aMalformedBindingIsRefused(_ damage: String) throws {
        let file = try deidentified("ct-explicit-le.dcm")
        let uid = try #require(file.dataSet[.sopInstanceUID]?.string())
        var elements = FileBinding(dataSet: file.dataSet, sopInstanceUID: uid).elements()
        switch damage {
        case "short digest": elements[1] = DataElement(tag: Tag(0x0401, 0x1004), vr: .OB, bytes: [UInt8](repeating: 1, count: 30))
        case "odd index": elements[2] = DataElement(tag: Tag(0x0401, 0x1005), vr: .OB, bytes: [UInt8](repeating: 1, count: 14))
        case "no index": elements.remove(at: 2)
        default: elements[0] = DataElement(tag: Tag(0x0401, 0x1003), vr: .UI, bytes: [])
        }
        let modified = DataSet([DataElement(tag: .patientName, vr: .PN, string: "ORIGINAL^NAME")])
        let content = DataSet([
            DataElement(tag: .modifiedAttributesSequence, vr: .SQ,
                        value: .sequence(SequenceOfItems(items: [Item(dataSet: modified)]))),
            DataElement(tag: Tag(0x0401, 0x0010), vr: .LO, string: "DICOM-DEID 1.0"),
        ] + elements)
        let plaintext = try DataSetWriter(target: .explicitLittle, sourceOrder: .littleEndian).encode(content)
        let envelope = try EnvelopedData.encrypt(plaintext, to: [try TestEnvironment.certificate()])
        let item = Item(dataSet: DataSet([
            DataElement(tag: .encryptedContentTransferSyntaxUID, vr: .UI, string: TransferSyntax.explicitVRLittleEndian.uid),
            DataElement(tag: .encryptedContent, vr: .OB, bytes: ValuePadding.padded(envelope, for: .OB)),
        ]))
        var forged = file
        forged.dataSet.set(DataElement(tag: .encryptedAttributesSequence, vr: .SQ, value: .sequence(SequenceOfItems(items: [item]))))
        let error = #expect(throws: DeidentificationError(.invalidModifiedAttributes)) {
            try reidentifier.reidentify(try throughBytes(forged))
        }
        #expect(error?.description.contains("binding") == true)
    }
}
