import CMS
import DICOMCodec
import DICOMCore
import DICOMDictionary

/// The outcome of re-identifying one file.
public struct ReidentificationResult: Sendable {
    /// The restored file, ready for ``Part10Writer``.
    public var file: Part10File
    /// Which Encrypted Attributes item was opened (0-based) and how many there were.
    public var itemIndex: Int
    public var itemCount: Int
    /// The envelope of the opened item: recipients and content cipher.
    public var envelope: EnvelopeInfo
    /// How many attributes were put back.
    public var restoredCount: Int
    /// The top-level attributes put back, in order (tags only: for audit records).
    public var restoredTags: [Tag]
    /// What the check of the item's binding to this file found.
    public var binding: BindingCheck
}

/// Whether an Encrypted Attributes item was shown to belong to the file that carries it (``FileBinding``).
public enum BindingCheck: Sendable, Equatable {
    /// The item names this file, and the file is as the de-identifier wrote it.
    case verified
    /// The item has no binding (made by another tool, or by a version of this one before bindings): nothing shows
    /// that it belongs to this file.
    case absent
    /// The item names this file but the file changed after de-identification, and the caller accepted that.
    case modifiedAccepted(FileBinding.Difference)
}

/// PS3.15 E.1.2: restores the original attributes from an Encrypted Attributes item the key opens.
public struct Reidentifier: Sendable {
    public let key: RecipientPrivateKey
    public let certificate: RecipientCertificate?
    /// Written as (0002,0012)/(0002,0013) of the restored files.
    public let implementation: ImplementationIdentity
    /// Restore a file changed after de-identification (its binding's digest no longer matches) instead of refusing
    /// it. An item made for another file is refused all the same.
    public let acceptModified: Bool

    public init(key: RecipientPrivateKey, certificate: RecipientCertificate? = nil,
                implementation: ImplementationIdentity = .dicomDeid, acceptModified: Bool = false) {
        self.key = key
        self.certificate = certificate ?? key.certificate
        self.implementation = implementation
        self.acceptModified = acceptModified
    }

    /// Re-identifies `file`.
    /// - Parameter only: when given, restore only these top-level attributes and keep the Encrypted
    ///   Attributes Sequence as it is; Patient Identity Removed becomes NO when a name or ID of the patient
    ///   came back.
    /// - Throws: ``DeidentificationError``; `.itemOfAnotherFile` when the item's binding names another file,
    ///   `.modifiedAfterDeidentification` when the file changed since (unless ``acceptModified``).
    public func reidentify(_ file: Part10File, only: Set<Tag>? = nil) throws(DeidentificationError) -> ReidentificationResult {
        let opened = try open(file)
        let order = file.dataSetEncoding.byteOrder
        // The original pixels a --clean-pixel-data cleaning overwrote: put back into Pixel Data, not restored as
        // attributes of their own.
        // Items with a binding name the block; only older items are searched for it.
        let pixels = opened.binding != nil && opened.originalPixelsCreator == nil ? nil
            : try OriginalPixels.read(opened.modified, creator: opened.originalPixelsCreator)
        let binding = try check(opened, of: file.dataSet, order: order, ignoring: pixels?.tags ?? [])
        var dataSet = file.dataSet
        var restored: [Tag] = []
        if let pixels, only?.contains(.pixelData) ?? true {
            try OriginalPixels.restore(&dataSet, patches: pixels.patches, offsetTable: pixels.offsetTable)
            restored.append(.pixelData)
        }
        // PS3.15 E.1.2 step 2: move every attribute of the Modified Attributes Sequence item back.
        var originals: [DataElement] = []
        originals.reserveCapacity(opened.modified.count)
        for element in opened.modified.elements where only?.contains(element.tag) ?? true {
            if pixels?.tags.contains(element.tag) ?? false { continue }
            do {
                originals.append(try converted(element, to: order))
            } catch {
                throw DeidentificationError(.encodingFailed, cause: error)
            }
            restored.append(element.tag)
        }
        dataSet.set(contentsOf: originals)
        if only == nil {
            // Remove the item used (PS3.15 E.1.2) — unless the layer changed the earlier layers' sequence, whose
            // original just came back; then what the de-identifier added that the original lacked.
            var sequence = file.dataSet[.encryptedAttributesSequence]?.sequence ?? SequenceOfItems(items: [])
            let item = sequence.items.remove(at: opened.index)
            if !opened.modified.contains(.encryptedAttributesSequence) {
                if sequence.items.isEmpty {
                    dataSet.remove(.encryptedAttributesSequence)
                } else {
                    dataSet.set(DataElement(tag: .encryptedAttributesSequence, vr: .SQ, value: .sequence(sequence)))
                }
            }
            for tag in EncryptedAttributes.addedTags(in: item.dataSet, order: order)
            where !opened.modified.contains(tag) {
                dataSet.remove(tag)
            }
            // PS3.15 E.1.2 step 3: Patient Identity Removed NO, method attributes removed — unless the
            // originals held them, in which case they came back above.
            if !opened.modified.contains(.patientIdentityRemoved) {
                dataSet.set(DataElement(tag: .patientIdentityRemoved, vr: .CS, string: "NO"))
            }
            for tag in [Tag.deidentificationMethod, .deidentificationMethodCodeSequence]
            where !opened.modified.contains(tag) {
                dataSet.remove(tag)
            }
        } else if restored.contains(where: PatientIdentifyingAttributes.tags.contains) {
            // The file names the patient again: it must not say the identity was removed.
            dataSet.set(DataElement(tag: .patientIdentityRemoved, vr: .CS, string: "NO"))
        }
        var output = file
        output.dataSet = dataSet
        if output.layout != .rawDataSet, let uid = dataSet[.sopInstanceUID]?.string() {
            output.meta = FileMeta.make(sopClassUID: dataSet[.sopClassUID]?.string() ?? "",
                                        sopInstanceUID: uid, transferSyntax: file.transferSyntax,
                                        implementation: implementation)
            output.metaEncoding = .explicitLittle
        }
        return ReidentificationResult(file: output, itemIndex: opened.index, itemCount: opened.count,
                                      envelope: opened.envelope, restoredCount: restored.count, restoredTags: restored,
                                      binding: binding)
    }

    /// Attributes whose change `acceptModified` never accepts: they say which instance, series, study and kind of
    /// object this is, so another file's item with the SOP Instance UID copied over stays refused.
    static let identifyingUIDs: Set<Tag> = [.sopInstanceUID, .sopClassUID, .studyInstanceUID, .seriesInstanceUID]

    /// Checks that the opened item belongs to `dataSet`: the binding names its SOP Instance UID, and the data
    /// set outside (0400,0500) is what the de-identifier wrote. What an earlier partial restore (`only`) put back
    /// is not a change: those values are the item's own originals (`ignoring`: the original pixels' block, never
    /// an attribute).
    private func check(_ opened: Opened, of dataSet: DataSet, order: ByteOrder,
                       ignoring: Set<Tag>) throws(DeidentificationError) -> BindingCheck {
        guard let binding = opened.binding else { return .absent }
        let uid = dataSet[.sopInstanceUID]?.string()
        // After `--only SOPInstanceUID` the file holds the original UID, which only this item knows.
        guard uid == binding.sopInstanceUID || (uid != nil && uid == opened.modified[.sopInstanceUID]?.string()) else {
            if opened.index < opened.count - 1 {
                throw DeidentificationError(.itemOfAnotherFile,
                    "Encrypted Attributes item \(opened.index + 1) of \(opened.count) belongs to an earlier de-identification of this file: restore the later layers first (this key cannot open item \(opened.count))")
            }
            throw DeidentificationError(.itemOfAnotherFile,
                "Encrypted Attributes item \(opened.index + 1) was made for another file (it names another SOP Instance UID): not restored")
        }
        var difference = binding.difference(from: dataSet)
        if !difference.isEmpty {
            // Only attributes that changed are compared with the originals, in the file's byte order.
            let candidates = Set(difference.changed + difference.added).subtracting(ignoring)
            let inFileOrder: DataSet
            do {
                inFileOrder = try DataSet(opened.modified.elements.filter { candidates.contains($0.tag) })
                    .elementsConverted(from: .littleEndian, to: order)
            } catch {
                throw DeidentificationError(.encodingFailed, cause: error)
            }
            difference = FileBinding.withoutPartialRestores(difference, of: dataSet, originals: inFileOrder,
                                                            originalsHoldIdentityRemoved: opened.modified.contains(.patientIdentityRemoved))
        }
        if difference.isEmpty { return .verified }
        guard acceptModified else {
            throw DeidentificationError(.modifiedAfterDeidentification,
                "changed after de-identification (\(difference)): not restored (--accept-modified restores it anyway)")
        }
        let identifying = difference.tags.filter(Self.identifyingUIDs.contains)
        guard identifying.isEmpty else {
            throw DeidentificationError(.itemOfAnotherFile,
                "changed after de-identification, including \(identifying.map(\.description).joined(separator: " ")), which say what file this is: not restored, even with --accept-modified")
        }
        return .modifiedAccepted(difference)
    }

    /// What opening an item gave.
    struct Opened {
        var index: Int
        var count: Int
        var envelope: EnvelopeInfo
        /// The Modified Attributes item, little endian.
        var modified: DataSet
        /// The binding beside the sequence, when the item has one.
        var binding: FileBinding?
        /// The private creator tag of the original pixels' block in `modified`, when the content names it.
        var originalPixelsCreator: Tag?
    }

    /// Decrypts the newest item this key opens and checks its content parses completely.
    /// - Throws: ``DeidentificationError``.
    func open(_ file: Part10File) throws(DeidentificationError) -> Opened {
        guard let sequence = file.dataSet[.encryptedAttributesSequence]?.sequence, !sequence.items.isEmpty else {
            throw DeidentificationError(.noEncryptedAttributes, "no Encrypted Attributes Sequence (0400,0500): nothing to restore")
        }
        var notForThisKey: [String] = []
        var lastFailure: DeidentificationError?
        // The newest item is the outermost layer: try it first.
        for index in sequence.items.indices.reversed() {
            let item = sequence.items[index].dataSet
            guard let content = item[.encryptedContent]?.bytes else {
                lastFailure = DeidentificationError(.invalidEncryptedContent, "Encrypted Attributes item \(index + 1) has no Encrypted Content (0400,0520)")
                continue
            }
            let der = EncryptedAttributes.derBytes(content)
            // Parsed once: its recipients are reported, then it is decrypted.
            let parsed: ParsedEnvelope
            do {
                parsed = try ParsedEnvelope(der)
            } catch {
                lastFailure = DeidentificationError(.invalidEncryptedContent,
                                                    "Encrypted Content of item \(index + 1) is not CMS Enveloped-data", cause: error)
                continue
            }
            let plaintext: [UInt8]
            do {
                plaintext = try parsed.decrypt(key: key, certificate: certificate)
            } catch where error.code == .notARecipient {
                notForThisKey += parsed.info.recipients.map(\.description)
                continue
            } catch {
                lastFailure = DeidentificationError(.invalidEncryptedContent,
                                                    "cannot decrypt Encrypted Attributes item \(index + 1)", cause: error)
                continue
            }
            let parsedContent = try parseModifiedAttributes(plaintext, item: item, index: index)
            return Opened(index: index, count: sequence.items.count, envelope: parsed.info, modified: parsedContent.modified,
                          binding: parsedContent.binding, originalPixelsCreator: parsedContent.originalPixelsCreator)
        }
        if let lastFailure { throw lastFailure }
        throw DeidentificationError(.notARecipient,
            "encrypted for \(Set(notForThisKey).sorted().joined(separator: "; ")), not for this key")
    }

    /// Parses decrypted content: it must be a complete data set holding a Modified Attributes
    /// Sequence of exactly one item. Anything less means tampering, truncation or the wrong key.
    private func parseModifiedAttributes(_ plaintext: [UInt8], item: DataSet, index: Int) throws(DeidentificationError)
        -> (modified: DataSet, binding: FileBinding?, originalPixelsCreator: Tag?) {
        let uid = item[.encryptedContentTransferSyntaxUID]?.string() ?? TransferSyntax.explicitVRLittleEndian.uid
        guard let syntax = TransferSyntax.lookup(uid: uid), !syntax.isEncapsulated else {
            throw DeidentificationError(.invalidEncryptedContent,
                                        "Encrypted Content Transfer Syntax UID \(quotedUID(uid)) is not one the content can be decoded with")
        }
        let content: DataSet
        do {
            content = try Part10Reader.readDataSet(bytes: plaintext, transferSyntax: syntax)
        } catch {
            throw DeidentificationError(.invalidEncryptedContent,
                "decrypted content of item \(index + 1) does not parse (tampered, truncated or wrong key): \(error.code)")
        }
        guard let sequenceElement = content[.modifiedAttributesSequence], let modified = sequenceElement.sequence else {
            throw DeidentificationError(.invalidModifiedAttributes, "decrypted content has no Modified Attributes Sequence (0400,0550)")
        }
        // CBC has no integrity: a damaged block can still parse. Check the digest written beside the sequence
        // (content from other tools, or from before the digest, has none and is taken as it is). With a binding,
        // the digest covers the whole content but itself; before, the sequence only.
        if content.privateCreator(of: EncryptedAttributes.contentDigestTag) == EncryptedAttributes.privateCreator,
           let digest = content[EncryptedAttributes.contentDigestTag]?.bytes {
            let whole = content.contains(FileBinding.uidTag)
            let covered = whole
                ? EncryptedAttributes.partsCoveredByWholeContentDigest(digest, plaintext: plaintext, syntax: syntax)
                : Self.encodedSequence(sequenceElement, in: content, plaintext: plaintext, syntax: syntax).map { [$0] }
            guard let covered, digest.elementsEqual(EncryptedAttributes.contentDigest(parts: covered, whole: whole)) else {
                throw DeidentificationError(.invalidEncryptedContent,
                    "decrypted content of item \(index + 1) fails its integrity check (tampered or damaged)")
            }
        }
        guard modified.items.count == 1 else {
            throw DeidentificationError(.invalidModifiedAttributes,
                                        "Modified Attributes Sequence has \(modified.items.count) items, not 1")
        }
        let binding = try FileBinding.read(content)
        var pixelsCreator: Tag?
        if content.privateCreator(of: EncryptedAttributes.originalPixelsCreatorTag) == EncryptedAttributes.privateCreator,
           let element = content[EncryptedAttributes.originalPixelsCreatorTag] {
            let tags = element.tags(syntax.byteOrder)
            guard tags.count == 1 else {
                throw DeidentificationError(.invalidModifiedAttributes, "the place of the saved original pixels is not one tag")
            }
            pixelsCreator = tags[0]
        }
        do {
            return (try modified.items[0].dataSet.elementsConverted(from: syntax.byteOrder, to: .littleEndian),
                    binding, pixelsCreator)
        } catch {
            throw DeidentificationError(.encodingFailed, cause: error)
        }
    }

    /// The encoded Modified Attributes Sequence element the digest covers. The de-identifier writes it first and
    /// the digest's private creator right after it, so it is the plaintext up to that creator's 8-byte header
    /// (8 bytes in every uncompressed syntax); otherwise (deflated content, another layout) it is encoded again.
    static func encodedSequence(_ sequence: DataElement, in content: DataSet, plaintext: [UInt8],
                                syntax: TransferSyntax) -> ArraySlice<UInt8>? {
        if !syntax.isDeflated, content.elements.first?.tag == .modifiedAttributesSequence,
           let creator = content[EncryptedAttributes.creatorTag]?.bytes,
           content.elements.count > 1, content.elements[1].tag == EncryptedAttributes.creatorTag,
           creator.startIndex >= 8, creator.startIndex <= plaintext.count {
            return plaintext[0..<(creator.startIndex - 8)]
        }
        let encoded = try? DataSetWriter(target: syntax.encoding, sourceOrder: syntax.byteOrder)
            .encode(DataSet([sequence]))
        return encoded?[...]
    }

    private func converted(_ element: DataElement, to order: ByteOrder) throws(DICOMError) -> DataElement {
        try element.converted(from: .littleEndian, to: order)
    }
}

extension DataSet {
    /// Every element converted between byte orders.
    func elementsConverted(from source: ByteOrder, to target: ByteOrder) throws(DICOMError) -> DataSet {
        guard source != target else { return self }
        var converted: [DataElement] = []
        converted.reserveCapacity(elements.count)
        for element in elements { converted.append(try element.converted(from: source, to: target)) }
        return DataSet(converted)
    }
}
