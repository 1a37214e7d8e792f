import CMS
import DICOMCodec
import DICOMCore
import Deidentification
import Testing

/// What de-identification and re-identification refuse, and how: each refusal is a
/// ``DeidentificationError`` with a one-line message that holds no patient value; damaged input never crashes
/// and is never restored to something other than the original.
struct ErrorTests {
    static let ct = "ct-explicit-le.dcm"

    static func reidentifier(_ name: String = "test-recipient-a") throws -> Reidentifier {
        Reidentifier(key: try TestEnvironment.key("\(name).key"), certificate: try TestEnvironment.certificate("\(name).crt"))
    }

    /// Checks the message is one line without any canary text.
    static func expectClean(_ error: DeidentificationError?, _ context: String = "") {
        guard let error else { return }
        #expect(!error.description.contains("\n"), "\(context): multi-line message")
        #expect(!error.description.contains("CANARY"), "\(context): message holds a patient value: \(error.description)")
        #expect(!error.description.isEmpty)
    }

    /// The restored data set equals the original, byte for byte (Patient Identity Removed NO aside).
    static func expectRestoresOriginal(_ restored: Part10File, _ original: Part10File, _ context: String) throws {
        var file = try Part10Reader.read(bytes: try Part10Writer.encode(restored))
        if !original.dataSet.contains(Tag(0x0012, 0x0062)) {
            #expect(file.dataSet[Tag(0x0012, 0x0062)]?.string() == "NO", "\(context)")
            file.dataSet.remove(Tag(0x0012, 0x0062))
        }
        let same = try TestEnvironment.dataSetBytes(file) == TestEnvironment.dataSetBytes(original)
        #expect(same, "\(context): restored data set differs from the original")
    }

    // MARK: - De-identifying twice

    @Test func alreadyDeidentifiedInputIsRefusedWithoutAllowRepeat() throws {
        let (_, once) = try TestEnvironment.deidentified(Self.ct)
        let error = #expect(throws: DeidentificationError.self) {
            _ = try TestEnvironment.deidentifier().deidentify(once)
        }
        #expect(error?.code == .alreadyDeidentified)
        Self.expectClean(error)
    }

    /// Allow repeat adds a second item; re-identifying peels the outer layer (giving back the first
    /// de-identified output), then the inner one (giving back the original).
    @Test(arguments: ["ct-explicit-le.dcm", "ct-explicit-be.dcm", "sc-group-lengths-explicit-le.dcm"])
    func allowRepeatAddsALayerThatReidentificationPeelsInOrder(_ name: String) throws {
        let (original, once) = try TestEnvironment.deidentified(name)
        let (twice, _) = try TestEnvironment.deidentifyThroughBytes(once, with: try TestEnvironment.deidentifier(allowRepeat: true))
        #expect(twice.dataSet[TestEnvironment.encryptedAttributesSequence]?.sequence?.items.count == 2)

        let outer = try Self.reidentifier().reidentify(twice)
        #expect(outer.itemIndex == 1 && outer.itemCount == 2)
        let peeled = try Part10Reader.read(bytes: try Part10Writer.encode(outer.file))
        let sameAsOnce = try TestEnvironment.dataSetBytes(peeled) == TestEnvironment.dataSetBytes(once)
        #expect(sameAsOnce, "\(name): the outer layer did not restore the first de-identified output")
        #expect(peeled.dataSet[TestEnvironment.encryptedAttributesSequence]?.sequence?.items.count == 1)

        let inner = try Self.reidentifier().reidentify(peeled)
        #expect(inner.itemIndex == 0 && inner.itemCount == 1)
        try Self.expectRestoresOriginal(inner.file, original, name)
    }

    // MARK: - Keys and recipients

    @Test func wrongKeyIsNotARecipientAndNamesTheRecipients() throws {
        let (_, output) = try TestEnvironment.deidentified(Self.ct)
        let error = #expect(throws: DeidentificationError.self) {
            _ = try Self.reidentifier("test-recipient-b").reidentify(output)
        }
        #expect(error?.code == .notARecipient)
        Self.expectClean(error)
        let a = try TestEnvironment.certificate()
        #expect(error?.description.contains(a.issuer) == true, "\(String(describing: error))")
        #expect(error?.description.contains(a.serialNumberHex) == true, "\(String(describing: error))")
    }

    @Test func everyRecipientCanRestore() throws {
        let original = try TestEnvironment.fixture(Self.ct)
        let deidentifier = Deidentifier(settings: DeidentificationSettings(
            keys: MappingKeys(secret: TestEnvironment.secret),
            recipients: Recipients([try TestEnvironment.certificate(), try TestEnvironment.certificate("test-recipient-b.crt")])))
        let (output, _) = try TestEnvironment.deidentifyThroughBytes(original, with: deidentifier)
        for recipient in ["test-recipient-a", "test-recipient-b"] {
            let restored = try Self.reidentifier(recipient).reidentify(output)
            #expect(restored.envelope.recipients.count == 2)
            try Self.expectRestoresOriginal(restored.file, original, recipient)
        }
    }

    @Test func inputWithoutEncryptedAttributesHasNothingToRestore() throws {
        let error = #expect(throws: DeidentificationError.self) {
            _ = try Self.reidentifier().reidentify(try TestEnvironment.fixture(Self.ct))
        }
        #expect(error?.code == .noEncryptedAttributes)
        Self.expectClean(error)
    }

    // MARK: - Damaged Encrypted Content

    /// `file` with the Encrypted Content of its first item replaced by `change(value)`.
    static func withEncryptedContent(_ file: Part10File, _ change: ([UInt8]) -> [UInt8]) throws -> Part10File {
        var copy = file
        var sequence = try #require(copy.dataSet[TestEnvironment.encryptedAttributesSequence]?.sequence)
        let value = try #require(sequence.items[0].dataSet[TestEnvironment.encryptedContent]?.bytes)
        sequence.items[0].dataSet.set(DataElement(tag: TestEnvironment.encryptedContent, vr: .OB, bytes: change(Array(value))))
        copy.dataSet.set(DataElement(tag: TestEnvironment.encryptedAttributesSequence, vr: .SQ, value: .sequence(sequence)))
        return copy
    }

    /// Positions as fractions of the value: headers, recipient info, IV, middle and last ciphertext blocks.
    static let flipPositions: [Double] = [0, 0.001, 0.01, 0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.97, 0.99, 1]

    @Test(arguments: flipPositions)
    func flippedEncryptedContentByteIsRefused(_ position: Double) throws {
        let (_, output) = try TestEnvironment.deidentified(Self.ct)
        let count = try #require(output.dataSet[TestEnvironment.encryptedAttributesSequence]?.sequence?.items[0]
            .dataSet[TestEnvironment.encryptedContent]?.bytes?.count)
        let der = TestEnvironment.der(output.dataSet[TestEnvironment.encryptedAttributesSequence]?.sequence?.items[0]
            .dataSet[TestEnvironment.encryptedContent]?.bytes ?? [])
        // The last DER byte, not the OB padding byte after an odd-length DER.
        let offset = min(Int(Double(count) * position), der.count - 1)
        let damaged = try Self.withEncryptedContent(output) { value in
            var bytes = value
            bytes[offset] ^= 0x5A
            return bytes
        }
        // Every DER byte matters: headers and algorithm identifiers (malformed), recipient identifiers (not a
        // recipient), the encrypted key (unwrap fails), IV and ciphertext (CBC decrypts, then the content
        // digest fails). A CMSError or a crash would fail here too.
        let error = #expect(throws: DeidentificationError.self, "flip at \(offset) of \(count)") {
            _ = try Self.reidentifier().reidentify(damaged)
        }
        Self.expectClean(error, "flip at \(offset)")
    }

    @Test(arguments: [2, 16, 64, 1000])
    func truncatedEncryptedContentIsRefused(_ removed: Int) throws {
        let (_, output) = try TestEnvironment.deidentified(Self.ct)
        let damaged = try Self.withEncryptedContent(output) { Array($0.dropLast(removed)) }
        let error = #expect(throws: DeidentificationError.self) { _ = try Self.reidentifier().reidentify(damaged) }
        Self.expectClean(error)
    }

    @Test func emptyEncryptedContentIsRefused() throws {
        let (_, output) = try TestEnvironment.deidentified(Self.ct)
        let damaged = try Self.withEncryptedContent(output) { _ in [] }
        let error = #expect(throws: DeidentificationError.self) { _ = try Self.reidentifier().reidentify(damaged) }
        Self.expectClean(error)
    }

    // MARK: - Well-encrypted but wrong content

    /// Encrypts `content` (a data set, Explicit VR Little Endian) for recipient A and puts it in the item.
    static func withEncryptedDataSet(_ file: Part10File, _ content: DataSet) throws -> Part10File {
        let plaintext = try DataSetWriter(target: .explicitLittle, sourceOrder: .littleEndian).encode(content)
        var envelope = try EnvelopedData.encrypt(plaintext, to: [try TestEnvironment.certificate()])
        if envelope.count % 2 == 1 { envelope.append(0) }
        return try withEncryptedContent(file) { _ in envelope }
    }

    static func modifiedAttributesSequence(items: Int) -> DataElement {
        let item = Item(dataSet: DataSet([DataElement(tag: Tag(0x0010, 0x0020), vr: .LO, string: "RESTORED-ID")]))
        return DataElement(tag: TestEnvironment.modifiedAttributesSequence, vr: .SQ,
                           value: .sequence(SequenceOfItems(items: Array(repeating: item, count: items))))
    }

    @Test(arguments: [0, 2])
    func modifiedAttributesSequenceWithOtherThanOneItemIsRefused(_ items: Int) throws {
        let (_, output) = try TestEnvironment.deidentified(Self.ct)
        let damaged = try Self.withEncryptedDataSet(output, DataSet([Self.modifiedAttributesSequence(items: items)]))
        let error = #expect(throws: DeidentificationError.self) { _ = try Self.reidentifier().reidentify(damaged) }
        #expect(error?.code == .invalidModifiedAttributes)
        Self.expectClean(error)
    }

    @Test func missingModifiedAttributesSequenceIsRefused() throws {
        let (_, output) = try TestEnvironment.deidentified(Self.ct)
        let content = DataSet([DataElement(tag: Tag(0x0010, 0x0020), vr: .LO, string: "NOT-IN-A-SEQUENCE")])
        let damaged = try Self.withEncryptedDataSet(output, content)
        let error = #expect(throws: DeidentificationError.self) { _ = try Self.reidentifier().reidentify(damaged) }
        #expect(error?.code == .invalidModifiedAttributes)
        Self.expectClean(error)
    }

    @Test func wellFormedSingleItemIsAccepted() throws {
        // The control for the two tests above: the same construction with one item restores its content.
        let (_, output) = try TestEnvironment.deidentified(Self.ct)
        let crafted = try Self.withEncryptedDataSet(output, DataSet([Self.modifiedAttributesSequence(items: 1)]))
        let restored = try Self.reidentifier().reidentify(crafted)
        #expect(restored.file.dataSet[Tag(0x0010, 0x0020)]?.string() == "RESTORED-ID")
    }

    // MARK: - Partial restore

    @Test func restoringOnlyPatientIDKeepsTheRestDeidentified() throws {
        let (original, output) = try TestEnvironment.deidentified(Self.ct)
        let patientID = Tag(0x0010, 0x0020), patientName = Tag(0x0010, 0x0010)
        let restored = try Self.reidentifier().reidentify(output, only: [patientID])
        #expect(restored.restoredCount == 1)
        let file = restored.file
        #expect(file.dataSet[patientID]?.string() == original.dataSet[patientID]?.string())
        #expect(file.dataSet[patientName]?.string() == output.dataSet[patientName]?.string())
        #expect(file.dataSet[TestEnvironment.encryptedAttributesSequence]?.sequence?.items.count == 1)
        // The patient's ID is back: the file no longer claims its identity was removed.
        #expect(file.dataSet[Tag(0x0012, 0x0062)]?.string() == "NO")
        // The kept item still restores everything afterwards (the binding recognises the partial restore).
        try Self.expectRestoresOriginal(try Self.reidentifier().reidentify(file).file, original, "after partial restore")
    }
}

/// The one error design (issue 13 item 4): throw site recorded in this module, underlying errors chained.
struct ErrorDesignTests {
    @Test func refusalRecordsItsThrowSiteInThisModule() throws {
        let (_, once) = try TestEnvironment.deidentified(ErrorTests.ct)
        let error = try #require(throws: DeidentificationError.self) {
            _ = try TestEnvironment.deidentifier().deidentify(once)
        }
        #expect(error.code == .alreadyDeidentified)
        #expect(error.thrownAt.fileID == "Deidentification/Deidentifier.swift")
        #expect(error.cause == nil)
    }

    @Test func envelopeThatDoesNotParseKeepsTheCryptoErrorAsItsCause() throws {
        let (_, output) = try TestEnvironment.deidentified(ErrorTests.ct)
        let damaged = try ErrorTests.withEncryptedContent(output) { _ in Array(repeating: 0x30, count: 16) }
        let error = try #require(throws: DeidentificationError.self) { _ = try ErrorTests.reidentifier().reidentify(damaged) }
        #expect(error.code == .invalidEncryptedContent)
        #expect(error.thrownAt.fileID == "Deidentification/Reidentifier.swift")
        let cause = try #require(error.cause as? CMSError)
        #expect(error.description == "Encrypted Content of item 1 is not CMS Enveloped-data: \(cause)")
        #expect(error.causeChain.count == 2)
    }

    @Test func wrappedErrorOfAnotherModuleReadsAsItsCause() {
        let encoding = DICOMError(.unencodable, path: TagPath(Tag(0x0010, 0x0010)), reason: "too long")
        let wrapped = DeidentificationError(.encodingFailed, cause: encoding)
        #expect(wrapped.description == encoding.description)
        #expect((wrapped.cause as? DICOMError)?.code == .unencodable)
        #expect(wrapped == DeidentificationError(.encodingFailed))
        #expect(DeidentificationError(.ruleFailed).description == "profile rule failed")
    }
}
