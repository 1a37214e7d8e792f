import CMS
import DICOMCodec
import DICOMCore
import DICOMDictionary
import Diagnostics

/// The outcome of de-identifying one file.
public struct DeidentificationResult: Sendable {
    /// The de-identified file, ready for ``Part10Writer``.
    public var file: Part10File
    public var plan: Plan
    public var studyInstanceUID: String?
    public var seriesInstanceUID: String?
    public var sopInstanceUID: String
}

/// PS3.15 E.1.1: applies the profile, keeps the originals in an encrypted Modified Attributes Sequence.
public struct Deidentifier: Sendable {
    public let settings: DeidentificationSettings
    public let profile: Profile
    let uids: UIDMapper
    /// The identity-removed attributes without lookup-table entries: the same for every file, made once.
    private let identityRemovedWithoutLookup: [DataElement]

    public init(settings: DeidentificationSettings) {
        self.settings = settings
        let profile = settings.policy.profile ?? Profile(options: settings.policy.options)
        self.profile = profile
        self.uids = UIDMapper(secret: settings.keys.secret)
        self.identityRemovedWithoutLookup = Self.identityRemovedAttributes(settings, profile: profile, lookup: nil)
    }

    /// Decides every change without making any.
    /// - Throws: ``DeidentificationError`` for input already de-identified (unless allowed), a patient
    ///   missing from the lookup table, or a profile rule that refuses the file.
    /// - Parameter recordingKept: list every kept element in ``Plan/kept`` (dry runs, tests); otherwise only
    ///   their number is counted.
    public func plan(_ file: Part10File, recordingKept: Bool = true) throws(DeidentificationError) -> Plan {
        try applyProfile(to: file, recordingKept: recordingKept).plan
    }

    /// De-identifies `file`: plan, apply, encrypt the originals, set the identity-removed attributes and
    /// regenerate the file meta and preamble.
    /// - Parameter distinctInstance: when given, the new SOP Instance UID is derived from the original and these
    ///   bytes (a digest of the input), so an input that shares its SOP Instance UID with different content gets
    ///   a UID of its own. The original is restored on re-identification as always.
    /// - Throws: ``DeidentificationError``; `.encodingFailed` with the ``DICOMCodec/DICOMError`` as its cause when
    ///   the result cannot be encoded, `.cryptoFailed` with the ``CMS/CMSError`` when encryption fails.
    public func deidentify(_ file: Part10File, distinctInstance: [UInt8]? = nil) throws(DeidentificationError) -> DeidentificationResult {
        // PS3.15 E.1.1 steps 1-3: remove and replace, in one pass that also records the plan.
        let (plan, applied) = try applyProfile(to: file, recordingKept: false)
        let original = file.dataSet
        let order = file.dataSetEncoding.byteOrder
        var dataSet = applied
        // PS3.15 E.1.1 step 5 note: a top-level sequence goes whole when anything inside it changed.
        var modifiedTags = TagSet()
        for index in plan.edits.indices {
            if let tag = plan.edits[index].path.components.first?.tag { modifiedTags.insert(tag) }
        }
        var addedTags: [Tag] = []
        for element in plan.settings {
            if original.contains(element.tag) { modifiedTags.insert(element.tag) } else if !Self.restoredByRule.contains(element.tag) {
                addedTags.append(element.tag)
            }
            dataSet.set(element)
        }
        if let distinctInstance, let originalUID = original[.sopInstanceUID]?.string() {
            let hex = distinctInstance.map { String($0, radix: 16) }.joined()
            dataSet.set(DataElement(tag: .sopInstanceUID, vr: .UI, string: uids.map(originalUID + "/distinct/" + hex)))
            modifiedTags.insert(.sopInstanceUID)
        }
        // PS3.15 E.3.1: blank the burned-in text; the overwritten bytes travel in the Modified Attributes item.
        var pixelBlock: [DataElement] = []
        if let pixelPlan = plan.pixelCleaning, pixelPlan.claimsOption, !pixelPlan.rectangles.isEmpty {
            let cleaned = try cleanPixels(dataSet, file: file, plan: pixelPlan)
            dataSet.set(cleaned.element)
            for element in cleaned.rewrittenAttributes {
                dataSet.set(element)
                modifiedTags.insert(element.tag)
            }
            // PS3.15 E.1-1 note 12: the icon is a small copy of the image, with its text.
            if dataSet.remove(.iconImageSequence) != nil { modifiedTags.insert(.iconImageSequence) }
            pixelBlock = try OriginalPixels.elements(patches: cleaned.patches, originalOffsetTable: cleaned.originalOffsetTable,
                                                     avoiding: DataSet(original.elements.filter { modifiedTags.contains($0.tag) }),
                                                     order: order)
        }
        for tag in try GroupLengths.fix(&dataSet, encoding: file.dataSetEncoding) { modifiedTags.insert(tag) }
        guard let sopInstanceUID = dataSet[.sopInstanceUID]?.string() else {
            throw DeidentificationError(.missingAttribute, "no SOP Instance UID (0008,0018)")
        }
        var modified = DataSet(original.elements.filter { modifiedTags.contains($0.tag) })
        for element in pixelBlock { modified.set(element) }
        // The item is bound to this output: its SOP Instance UID and a digest of everything outside (0400,0500),
        // which is final from here on. The binding and the place of the pixel block go beside the Modified
        // Attributes Sequence, where no element of the input can reach.
        let binding = FileBinding(dataSet: dataSet, sopInstanceUID: sopInstanceUID)

        // PS3.15 E.1.1 steps 4-7: encode, encrypt, store as an Encrypted Attributes Sequence item.
        let item = try EncryptedAttributes.makeItem(modified: modified, sourceOrder: order, addedTags: addedTags,
                                                    binding: binding, originalPixelsCreator: pixelBlock.first?.tag,
                                                    settings: settings)
        var encrypted = dataSet[.encryptedAttributesSequence]?.sequence ?? SequenceOfItems(items: [])
        encrypted.items.append(item)
        dataSet.set(DataElement(tag: .encryptedAttributesSequence, vr: .SQ, value: .sequence(encrypted)))

        var output = file
        output.dataSet = dataSet
        output.layout = .part10
        output.preamble = nil
        output.metaEncoding = .explicitLittle
        output.meta = FileMeta.make(sopClassUID: dataSet[.sopClassUID]?.string() ?? "",
                                    sopInstanceUID: sopInstanceUID, transferSyntax: file.transferSyntax,
                                    implementation: settings.implementation)
        return DeidentificationResult(file: output, plan: plan,
                                      studyInstanceUID: dataSet[.studyInstanceUID]?.string(),
                                      seriesInstanceUID: dataSet[.seriesInstanceUID]?.string(),
                                      sopInstanceUID: sopInstanceUID)
    }

    /// Clean Pixel Data Option (CID 7050).
    static let cleanPixelDataCode = DeidentificationMethodCode.cleanPixelDataOption.value

    /// The code of an item that is the Basic Profile's or an option's (CID 7050, scheme DCM); nil for any other.
    static func confidentialityProfileCode(_ item: DataSet) -> String? {
        guard item[Tag(0x0008, 0x0102)]?.string() == "DCM", let value = item[Tag(0x0008, 0x0100)]?.string() else { return nil }
        let known = value == ProfileOption.basicProfileCodeValue || value == cleanPixelDataCode
            || ProfileOption.allCases.contains { $0.codeValue == value }
        return known ? value : nil
    }

    /// Attributes the re-identifier restores by PS3.15 E.1.2 rules rather than from the added-tags list.
    static let restoredByRule: Set<Tag> = [.patientIdentityRemoved, .deidentificationMethod,
                                           .deidentificationMethodCodeSequence]

    /// Applies the profile to the data set of `file` in one recursive pass: the plan (with the
    /// identity-removed attributes to set) and the data set with every edit made.
    private func applyProfile(to file: Part10File, recordingKept: Bool) throws(DeidentificationError) -> (plan: Plan, dataSet: DataSet) {
        let ds = file.dataSet
        // PS3.15 E.1.1: refuse to de-identify twice unless asked (then a second item is added).
        if !settings.policy.allowRepeat {
            if ds[.patientIdentityRemoved]?.string() == "YES" || ds.contains(.encryptedAttributesSequence) {
                throw DeidentificationError(.alreadyDeidentified,
                    "already de-identified (Patient Identity Removed YES or Encrypted Attributes present)")
            }
        }
        let order = file.dataSetEncoding.byteOrder
        let characterSet = SpecificCharacterSet(ds[.specificCharacterSet])
        let originalPatientID = ds[.patientID]?.string(characterSet) ?? ""
        let patientKey = Self.patientKey(ds, characterSet)
        let patient = try patientIdentity(originalPatientID, key: patientKey.key)
        // Scripts keyed on the Patient ID get the same derivation as the built-in pseudonym when there is none.
        let scriptKey = patientKey.note == nil ? nil
            : "(no Patient ID)" + patientKey.key.split(separator: "\u{0}", omittingEmptySubsequences: false).joined(separator: "|")
        let iod = profile.iodContext(sopClassUID: ds[.sopClassUID]?.string() ?? "")
        var pass = ApplicationPass(
            deidentifier: self, root: ds, characterSet: characterSet, iod: iod,
            order: order,
            safePrivate: profile.rules.usesSafePrivate ? SafePrivateBlocks(ds, order: order) : nil,
            dateShifter: DateShifter(secret: settings.keys.secret, patientID: patientKey.key),
            patient: patient, recordKept: recordingKept)
        pass.patientKeyWithoutID = scriptKey
        let applied = try pass.apply(ds, prefix: [], typePrefix: [], insideDummy: false) ?? ds
        // The decisions that did not depend on this file are made for the next files of its IOD.
        iod.decisions.learn(pass.learned)
        var plan = pass.plan
        if let note = patientKey.note {
            // Say what was derived from it, and only what this profile derives.
            if profile.patientKeyUse.builtIn, settings.keys.patientLookup == nil { plan.notes.append(note) }
            if profile.patientKeyUse.scripts {
                plan.notes.append(note.replacing("pseudonym and date shift",
                                              with: "the script's keys on Patient ID (@integer, @hash, @hashptid, @hashdate)"))
            }
        }
        plan.settings = patient.lookup.map { Self.identityRemovedAttributes(settings, profile: profile, lookup: $0) }
            ?? identityRemovedWithoutLookup
        // PS3.15 E.1.1 step 6: YES only where nothing that identifies the patient was kept.
        if !plan.keptIdentifyingAttributes.isEmpty {
            plan.settings.removeAll { $0.tag == .patientIdentityRemoved }
            plan.settings.insert(DataElement(tag: .patientIdentityRemoved, vr: .CS, string: "NO"), at: 0)
            let kept = plan.keptIdentifyingAttributes.sorted().map { tag in
                "\(tag)" + (DataDictionary.keyword(for: tag).map { " \($0)" } ?? "")
            }
            plan.notes.append("Patient Identity Removed NO: the profile kept " + kept.joined(separator: ", "))
        }
        plan.pixelCleaning = try pixelPlan(file)
        if let pixels = plan.pixelCleaning {
            Self.recordPixelCleaning(pixels, in: &plan)
        }
        if let additions = profile.additions {
            let owned = additions.ownedTags.subtracting([.patientIdentityRemoved])
            plan.settings.removeAll { owned.contains($0.tag) }
            let context = ScriptContext(container: ds, root: ds, isRoot: true, characterSet: characterSet,
                                        patientKeyWithoutID: scriptKey)
            for element in try additions.additions(original: ds, context: context)
            where element.tag != .patientIdentityRemoved {
                plan.settings.removeAll { $0.tag == element.tag }
                plan.settings.append(element)
            }
        }
        // The output claims only what was done, whoever wrote the codes (a CTP script's own (0012,0064) too):
        // no Basic Profile or option code from a profile that keeps what the Basic Profile would not, and
        // Clean Pixel Data (113101) only where this tool cleaned the pixels.
        let pixelsCleaned = plan.pixelCleaning?.claimsOption == true
        let weaker = profile.comparison.keepsWhatBasicRemoves
        if let index = plan.settings.firstIndex(where: { $0.tag == .deidentificationMethodCodeSequence }),
           let sequence = plan.settings[index].sequence {
            let items = sequence.items.filter { item in
                guard let code = Self.confidentialityProfileCode(item.dataSet) else { return true }
                return code == Self.cleanPixelDataCode ? pixelsCleaned : !weaker
            }
            if items.isEmpty {
                plan.settings.remove(at: index)
            } else if items.count < sequence.items.count {
                plan.settings[index].value = .sequence(SequenceOfItems(items: items))
            }
        }
        return (plan, applied)
    }
}
