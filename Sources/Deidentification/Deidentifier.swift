import CMS
import DICOMCodec
import DICOMCore
import DICOMDictionary

/// What the de-identifier needs besides the file: the profile options, the secret for keyed mappings and
/// the recipients of the Encrypted Attributes.
public struct DeidentificationSettings: Sendable {
    public var options: Set<ProfileOption>
    /// Key of the HMAC that derives new UIDs, pseudonyms and date shifts.
    public var secret: [UInt8]
    public var recipients: [RecipientCertificate]
    public var cipher: ContentCipher
    public var keyTransport: KeyTransport
    public var patientLookup: PatientLookupTable?
    /// Accept input that is already de-identified, adding a second Encrypted Attributes item.
    public var allowRepeat: Bool
    /// Text of De-identification Method (0012,0063): tool name and version.
    public var toolName: String

    public init(options: Set<ProfileOption> = [], secret: [UInt8], recipients: [RecipientCertificate],
                cipher: ContentCipher = .aes256CBC, keyTransport: KeyTransport = .rsaPKCS1v15,
                patientLookup: PatientLookupTable? = nil, allowRepeat: Bool = false,
                toolName: String = "dicom-deid 0.1.0") {
        self.options = options
        self.secret = secret
        self.recipients = recipients
        self.cipher = cipher
        self.keyTransport = keyTransport
        self.patientLookup = patientLookup
        self.allowRepeat = allowRepeat
        self.toolName = toolName
    }
}

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
        self.profile = Profile(options: settings.options)
        self.uids = UIDMapper(secret: settings.secret)
        self.identityRemovedWithoutLookup = Self.identityRemovedAttributes(settings, lookup: nil)
    }

    /// Decides every change without making any.
    /// - Throws: ``DeidentificationError`` for input already de-identified (unless allowed), or a patient
    ///   missing from the lookup table.
    /// - Parameter recordingKept: list every kept element in ``Plan/kept`` (dry runs, tests); otherwise only
    ///   their number is counted.
    public func plan(_ file: Part10File, recordingKept: Bool = true) throws -> Plan {
        let ds = file.dataSet
        // PS3.15 E.1.1: refuse to de-identify twice unless asked (then a second item is added).
        if !settings.allowRepeat {
            if ds[.patientIdentityRemoved]?.string() == "YES" || ds.contains(.encryptedAttributesSequence) {
                throw DeidentificationError(.alreadyDeidentified,
                    "already de-identified (Patient Identity Removed YES or Encrypted Attributes present); use --allow-repeat to add a layer")
            }
        }
        let order = file.dataSetEncoding.byteOrder
        let originalPatientID = ds[.patientID]?.string(SpecificCharacterSet(ds[.specificCharacterSet])) ?? ""
        var context = WalkContext(
            iodTypes: profile.iodTypes(sopClassUID: ds[.sopClassUID]?.string() ?? ""),
            order: order,
            safePrivate: SafePrivateBlocks(ds, order: order),
            dateShifter: DateShifter(secret: settings.secret, patientID: originalPatientID),
            patient: try patientIdentity(originalPatientID),
            recordKept: recordingKept)
        var plan = Plan()
        walk(ds, prefix: [], typePrefix: [], context: &context, plan: &plan)
        plan.settings = context.patient.lookup.map { Self.identityRemovedAttributes(settings, lookup: $0) }
            ?? identityRemovedWithoutLookup
        return plan
    }

    /// De-identifies `file`: plan, apply, encrypt the originals, set the identity-removed attributes and
    /// regenerate the file meta and preamble.
    /// - Throws: ``DeidentificationError``; ``DICOMError`` when the result cannot be encoded.
    public func deidentify(_ file: Part10File) throws -> DeidentificationResult {
        let plan = try plan(file, recordingKept: false)
        let original = file.dataSet
        let order = file.dataSetEncoding.byteOrder
        // PS3.15 E.1.1 steps 1-3: remove and replace.
        var dataSet = original
        for edit in plan.edits {
            try dataSet.modifyContainer(of: edit.path) { container in
                guard let tag = edit.path.lastTag else { return }
                if let value = edit.newValue, var element = container[tag] {
                    element.value = value
                    container.set(element)
                } else {
                    container.remove(tag)
                }
            }
        }
        // PS3.15 E.1.1 step 5 note: a top-level sequence goes whole when anything inside it changed.
        var modifiedTags = Set(plan.edits.compactMap { $0.path.components.first?.tag })
        var addedTags: [Tag] = []
        for element in plan.settings {
            if original.contains(element.tag) { modifiedTags.insert(element.tag) } else if !Self.restoredByRule.contains(element.tag) {
                addedTags.append(element.tag)
            }
            dataSet.set(element)
        }
        for tag in try GroupLengths.fix(&dataSet, encoding: file.dataSetEncoding) { modifiedTags.insert(tag) }
        let modified = DataSet(original.elements.filter { modifiedTags.contains($0.tag) })

        // PS3.15 E.1.1 steps 4-7: encode, encrypt, store as an Encrypted Attributes Sequence item.
        let item = try EncryptedAttributes.makeItem(modified: modified, sourceOrder: order, addedTags: addedTags,
                                                    settings: settings)
        var encrypted = dataSet[.encryptedAttributesSequence]?.sequence ?? SequenceOfItems(items: [])
        encrypted.items.append(item)
        dataSet.set(DataElement(tag: .encryptedAttributesSequence, vr: .SQ, value: .sequence(encrypted)))

        guard let sopInstanceUID = dataSet[.sopInstanceUID]?.string() else {
            throw DeidentificationError(.missingAttribute, "no SOP Instance UID (0008,0018)")
        }
        var output = file
        output.dataSet = dataSet
        output.layout = .part10
        output.preamble = nil
        output.metaEncoding = .explicitLittle
        output.meta = FileMeta.make(sopClassUID: dataSet[.sopClassUID]?.string() ?? "",
                                    sopInstanceUID: sopInstanceUID, transferSyntax: file.transferSyntax)
        return DeidentificationResult(file: output, plan: plan,
                                      studyInstanceUID: dataSet[.studyInstanceUID]?.string(),
                                      seriesInstanceUID: dataSet[.seriesInstanceUID]?.string(),
                                      sopInstanceUID: sopInstanceUID)
    }

    /// Attributes the re-identifier restores by PS3.15 E.1.2 rules rather than from the added-tags list.
    static let restoredByRule: Set<Tag> = [.patientIdentityRemoved, .deidentificationMethod,
                                           .deidentificationMethodCodeSequence]

    // MARK: - Walking the data set

    struct PatientIdentity {
        var newID: String
        var newName: String
        var lookup: PatientLookupTable.Entry?
    }

    struct WalkContext {
        var iodTypes: [[Tag]: AttributeType]
        var order: ByteOrder
        var safePrivate: SafePrivateBlocks
        var dateShifter: DateShifter
        var patient: PatientIdentity
        var recordKept: Bool
    }

    /// The new Patient ID and Name: from the lookup table, else keyed pseudonyms.
    private func patientIdentity(_ originalID: String) throws -> PatientIdentity {
        if let table = settings.patientLookup {
            guard let entry = table.entries[originalID] else {
                throw DeidentificationError(.patientNotInLookupTable, "Patient ID not found in the lookup table")
            }
            return PatientIdentity(newID: entry.newPatientID, newName: entry.newPatientName ?? entry.newPatientID,
                                   lookup: entry)
        }
        let code = Pseudonym.code(secret: settings.secret, patientID: originalID)
        return PatientIdentity(newID: "ANON-" + code, newName: "ANONYMIZED^" + code, lookup: nil)
    }

    /// Plans the edits of one data set and, through sequences, of every nested item.
    /// - Parameter insideDummy: the data set is an item of a sequence whose action is D: attributes Table
    ///   E.1-1 does not list get dummies too (see ``dummyItemDecision(_:)``).
    private func walk(_ dataSet: DataSet, prefix: [TagPath.Component], typePrefix: [Tag], insideDummy: Bool = false,
                      context: inout WalkContext, plan: inout Plan) {
        var retainedBlocks = Set<Tag>()
        var creatorElements: [DataElement] = []
        for element in dataSet.elements {
            let tag = element.tag
            // Built only when needed: most elements are kept and only counted.
            var path: TagPath { TagPath(prefix + [TagPath.Component(tag: tag)]) }
            if tag.isGroupLength, prefix.isEmpty { continue }        // recomputed after the edits
            if tag.isPrivateCreator {
                creatorElements.append(element)
                continue
            }
            if tag == .encryptedAttributesSequence, prefix.isEmpty, settings.allowRepeat {
                planEarlierLayers(element, plan: &plan)
                continue
            }
            let decision = decide(element, in: dataSet, sequencePath: typePrefix, insideDummy: insideDummy,
                                  context: context)
            if tag.isPrivate, decision.action == .keep || decision.action == .recurse,
               let block = tag.privateCreatorTag {
                retainedBlocks.insert(block)
            }
            switch decision.action {
            case .keep:
                plan.recordKept(context.recordKept ? path : nil, element.vr, decision)
            case .recurse:
                guard case .sequence(let sequence) = element.value else {
                    plan.recordKept(context.recordKept ? path : nil, element.vr, decision)
                    continue
                }
                let itemTypePrefix = typePrefix + [tag]
                for (index, item) in sequence.items.enumerated() {
                    walk(item.dataSet, prefix: prefix + [TagPath.Component(tag: tag, item: index)],
                         typePrefix: itemTypePrefix, insideDummy: insideDummy, context: &context, plan: &plan)
                }
            case .dummy where element.sequence != nil && !tag.isPrivate:
                // D on a sequence: the items stay, so the IOD keeps its Type 1 content (an SR content tree,
                // a Verifying Observer), but every value in them is the profile's or a dummy.
                plan.recordKept(context.recordKept ? path : nil, element.vr,
                                Decision(.dummy, decision.rule + "; items kept, values dummied"))
                let itemTypePrefix = typePrefix + [tag]
                for (index, item) in (element.sequence?.items ?? []).enumerated() {
                    walk(item.dataSet, prefix: prefix + [TagPath.Component(tag: tag, item: index)],
                         typePrefix: itemTypePrefix, insideDummy: true, context: &context, plan: &plan)
                }
            default:
                let value = newValue(for: element, action: decision.action, context: context)
                var edit = Edit(path: path, vr: element.vr, decision: decision, newValue: value)
                if value == nil, decision.action != .remove {
                    // Only a date that does not parse has no replacement: it goes rather than stays.
                    edit.decision = Decision(.remove, decision.rule + "; value not a valid date, removed")
                }
                plan.edits.append(edit)
            }
        }
        // A private creator stays while its block keeps an element (Retain Safe Private), else goes.
        for creator in creatorElements {
            let path = TagPath(prefix + [TagPath.Component(tag: creator.tag)])
            if retainedBlocks.contains(creator.tag) {
                plan.recordKept(path, creator.vr, Decision(.keep, "private creator of a retained block"))
            } else {
                plan.edits.append(Edit(path: path, vr: creator.vr, decision: Decision(.remove, "private creator"),
                                       newValue: nil))
            }
        }
    }

    /// With `--allow-repeat`, the Encrypted Attributes Sequence of earlier layers stays, but its items keep
    /// only what PS3.3 C.12.1.1.4.1 puts there (and this tool's private block): anything else goes.
    private func planEarlierLayers(_ element: DataElement, plan: inout Plan) {
        let allowed: Set<Tag> = [.encryptedContentTransferSyntaxUID, .encryptedContent,
                                 EncryptedAttributes.addedTagsTag, EncryptedAttributes.contentDigestTag]
        let path = TagPath(element.tag)
        plan.recordKept(path, element.vr, Decision(.keep, "earlier de-identification layer"))
        for (index, item) in (element.sequence?.items ?? []).enumerated() {
            for inner in item.dataSet.elements {
                let innerPath = path.appending(item: index, tag: inner.tag)
                let ours = inner.tag == EncryptedAttributes.creatorTag
                    && item.dataSet[inner.tag]?.string() == EncryptedAttributes.privateCreator
                if allowed.contains(inner.tag) || ours {
                    plan.recordKept(innerPath, inner.vr, Decision(.keep, "earlier de-identification layer"))
                } else {
                    plan.edits.append(Edit(path: innerPath, vr: inner.vr,
                                           decision: Decision(.remove, "not part of an Encrypted Attributes item"),
                                           newValue: nil))
                }
            }
        }
    }

    /// The VR that decides: the dictionary's when a standard attribute was written as UN.
    static func effectiveVR(_ element: DataElement) -> VR {
        guard element.vr == .UN, !element.tag.isPrivate, case .single(let vr)? = DataDictionary.vr(for: element.tag) else {
            return element.vr
        }
        return vr
    }

    /// The decision for one element.
    private func decide(_ element: DataElement, in dataSet: DataSet, sequencePath: [Tag], insideDummy: Bool,
                        context: WalkContext) -> Decision {
        let tag = element.tag
        if tag.isPrivate {
            if settings.options.contains(.retainSafePrivate), let creator = dataSet.privateCreator(of: tag),
               context.safePrivate.isSafe(tag, creator: creator) {
                // A kept private sequence is still walked: standard attributes nested in it get the profile.
                return Decision(element.sequence != nil ? .recurse : .keep, "safe private attribute (Retain Safe Private)")
            }
            return Decision(.remove, "private attribute")
        }
        if tag.group == 0x0002 { return Decision(.remove, "file meta element inside the data set") }
        if tag.isGroupLength { return Decision(.remove, "group length inside an item (retired, would go stale)") }
        if tag == .patientID || tag == .patientName {
            return Decision(.dummy, settings.patientLookup == nil ? "keyed pseudonym" : "lookup table")
        }
        let vr = Self.effectiveVR(element)
        if vr == .SQ, element.sequence == nil {
            return Decision(.remove, "sequence encoded as UN bytes: cannot be de-identified item by item")
        }
        if insideDummy, ConfidentialityProfileTable.row(for: tag) == nil {
            return Self.dummyItemDecision(vr)
        }
        return profile.decide(tag: tag, vr: vr, sequencePath: sequencePath[...], iodTypes: context.iodTypes)
    }

    /// UIDs the standard defines (SOP Classes, transfer syntaxes and the other registered UIDs, well-known
    /// frames of reference) identify nobody and keep their meaning; anything else under the DICOM root, or
    /// not shaped like a UID, is mapped like an instance UID.
    static func isStandardUID(_ value: String) -> Bool {
        guard value.hasPrefix("1.2.840.10008."), isUIDShaped(value) else { return false }
        return UIDRegistry.name(for: value) != nil || value.hasPrefix("1.2.840.10008.1.4.")
    }

    /// The decision for an attribute Table E.1-1 does not list, inside an item of a D sequence: coded strings
    /// and numbers are kept (they hold structure: Relationship Type, Value Type, measurements), UIDs mapped,
    /// sequences dummied in turn, and every other value — text, names, dates, opaque bytes — replaced by a
    /// dummy of its VR.
    static func dummyItemDecision(_ vr: VR) -> Decision {
        switch vr {
        case .SQ: return Decision(.dummy, "inside a D sequence: sequence")
        case .CS: return Decision(.keep, "inside a D sequence: coded string kept")
        case .UI: return Decision(.replaceUID, "inside a D sequence: UID")
        case .DS, .IS, .US, .SS, .UL, .SL, .FL, .FD, .SV, .UV, .AT, .OF, .OD, .OL, .OV:
            return Decision(.keep, "inside a D sequence: number kept")
        default: return Decision(.dummy, "inside a D sequence: dummy")
        }
    }

    /// The replacement value for an edit; nil for removal (or when no valid replacement exists).
    private func newValue(for element: DataElement, action: Action, context: WalkContext) -> Value? {
        switch action {
        case .remove, .keep, .recurse:
            return nil
        case .empty:
            if case .sequence(let sequence) = element.value {
                return .sequence(SequenceOfItems(items: [], isUndefinedLength: sequence.isUndefinedLength,
                                                 itemEncoding: sequence.itemEncoding))
            }
            return .bytes([])
        case .dummy:
            if element.tag == .patientID { return .bytes(DummyValue.text(context.patient.newID, .LO)[...]) }
            if element.tag == .patientName { return .bytes(DummyValue.text(context.patient.newName, .PN)[...]) }
            let vr = Self.effectiveVR(element)
            if vr == .UI { return newValue(for: element, action: .replaceUID, context: context) }
            return .bytes(DummyValue.bytes(for: vr, original: element.bytes ?? [])[...])
        case .replaceUID:
            guard element.vr == .UI || element.vr == .UN, element.bytes != nil else {
                return .bytes(DummyValue.bytes(for: element.vr, original: element.bytes ?? [])[...])
            }
            let mapped = element.strings().map { $0.isEmpty || Self.isStandardUID($0) ? $0 : uids.map($0) }
            return .bytes(DummyValue.text(mapped.joined(separator: "\\"), .UI)[...])
        case .shiftDates:
            var shifted: [String] = []
            for value in element.strings() {
                if value.isEmpty { shifted.append(""); continue }
                let moved = Self.effectiveVR(element) == .DT ? context.dateShifter.shiftDateTime(Substring(value))
                                              : context.dateShifter.shiftDate(Substring(value))
                guard let moved else { return nil }
                shifted.append(moved)
            }
            return .bytes(DummyValue.text(shifted.joined(separator: "\\"), Self.effectiveVR(element))[...])
        }
    }

    /// PS3.15 E.1.1 step 6 and the option codes: Patient Identity Removed, De-identification Method and
    /// its Code Sequence, Longitudinal Temporal Information Modified, and Clinical Trial attributes from the
    /// lookup table.
    private static func identityRemovedAttributes(_ settings: DeidentificationSettings,
                                                  lookup: PatientLookupTable.Entry?) -> [DataElement] {
        let options = settings.options.sorted()
        var method = [settings.toolName, ProfileOption.basicProfileCodeMeaning] + options.map(\.codeMeaning)
        method = method.map { String($0.prefix(64)) }
        var codes = [(ProfileOption.basicProfileCodeValue, ProfileOption.basicProfileCodeMeaning)]
        codes += options.map { ($0.codeValue, $0.codeMeaning) }
        let items = codes.map { value, meaning in
            Item(dataSet: DataSet([
                DataElement(tag: Tag(0x0008, 0x0100), vr: .SH, string: value),
                DataElement(tag: Tag(0x0008, 0x0102), vr: .SH, string: "DCM"),
                DataElement(tag: Tag(0x0008, 0x0104), vr: .LO, string: meaning),
            ]))
        }
        let temporal: String
        if settings.options.contains(.retainLongitudinalFullDates) {
            temporal = "UNMODIFIED"
        } else if settings.options.contains(.retainLongitudinalModifiedDates) {
            temporal = "MODIFIED"
        } else {
            temporal = "REMOVED"
        }
        var elements = [
            DataElement(tag: .patientIdentityRemoved, vr: .CS, string: "YES"),
            DataElement(tag: .deidentificationMethod, vr: .LO, string: method.joined(separator: "\\")),
            DataElement(tag: .deidentificationMethodCodeSequence, vr: .SQ, value: .sequence(SequenceOfItems(items: items))),
            DataElement(tag: .longitudinalTemporalInformationModified, vr: .CS, string: temporal),
        ]
        for (tag, value) in (lookup?.clinicalTrial ?? [:]).sorted(by: { $0.key < $1.key }) {
            elements.append(DataElement(tag: Tag(tag), vr: .LO, string: String(value.prefix(64))))
        }
        return elements
    }
}
