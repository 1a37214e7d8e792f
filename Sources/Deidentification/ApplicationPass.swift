import DICOMCodec
import DICOMCore
import DICOMDictionary

/// One recursive pass over an instance: each element is matched against the profile's rules, its action
/// resolved and applied, and the change recorded in the ``Plan``, items included (PS3.15 E.1.1 steps 1-3).
struct ApplicationPass {
    let deidentifier: Deidentifier
    /// The instance's root data set (element scripts read other attributes from it).
    let root: DataSet
    let characterSet: SpecificCharacterSet
    let iodTypes: [[Tag]: AttributeType]
    /// The decisions of earlier files for the same IOD, read without locking.
    private let known: [DecisionIndex.Key: Profile.Resolution]
    /// The decisions this pass made that ``known`` did not hold (for ``DecisionIndex/learn(_:)``).
    private(set) var learned: [DecisionIndex.Key: Profile.Resolution] = [:]
    let order: ByteOrder
    /// The instance's safe private blocks, under the Retain Safe Private Option.
    let safePrivate: SafePrivateBlocks?
    let dateShifter: DateShifter
    let patient: PatientIdentity
    /// List kept elements in the plan (dry runs), not only count them.
    let recordKept: Bool
    /// What keys the patient in scripts when the instance has no Patient ID.
    var patientKeyWithoutID: String? = nil
    private(set) var plan = Plan()

    init(deidentifier: Deidentifier, root: DataSet, characterSet: SpecificCharacterSet,
         iod: Profile.IODContext, order: ByteOrder, safePrivate: SafePrivateBlocks?,
         dateShifter: DateShifter, patient: PatientIdentity, recordKept: Bool) {
        self.deidentifier = deidentifier
        self.root = root
        self.characterSet = characterSet
        self.iodTypes = iod.types
        self.known = iod.decisions.snapshot()
        self.order = order
        self.safePrivate = safePrivate
        self.dateShifter = dateShifter
        self.patient = patient
        self.recordKept = recordKept
        // About one edit per top-level element: one allocation instead of a regrowth at every power of two.
        plan.edits.reserveCapacity(root.count)
    }

    private var settings: DeidentificationSettings { deidentifier.settings }

    /// Applies the profile to `dataSet` and, through sequences, to every nested item.
    /// - Parameters:
    ///   - prefix: the path of the item holding `dataSet` (empty at the root).
    ///   - typePrefix: the sequence tags leading to it, for IOD Types.
    ///   - insideDummy: the data set is an item of a sequence whose action is D: attributes Table E.1-1 does
    ///     not list get dummies too.
    /// - Returns: the changed data set, or nil when nothing in it changed.
    mutating func apply(_ dataSet: DataSet, prefix: [TagPath.Component], typePrefix: [Tag],
                        insideDummy: Bool) throws(DeidentificationError) -> DataSet? {
        var output: [DataElement?] = []
        var changed = false
        var retainedBlocks = Set<Tag>()
        var creatorIndices: [Int] = []
        func update(_ index: Int, _ element: DataElement?) {
            if output.isEmpty { output = dataSet.elements.map { $0 } }
            output[index] = element
            changed = true
        }
        for (index, element) in dataSet.elements.enumerated() {
            let tag = element.tag
            // Built only when needed: most elements are kept and only counted.
            var path: TagPath {
                var components = prefix
                components.append(TagPath.Component(tag: tag))
                return TagPath(components)
            }
            // Recomputed after the edits; the command group's goes with the group (a safety rule removes it).
            if tag.isGroupLength, prefix.isEmpty, tag.group != 0x0000 {
                if recordKept { plan.walked.append((path, element.vr, Self.recomputedGroupLength)) }
                continue
            }
            if tag.isPrivateCreator {
                creatorIndices.append(index)
                continue
            }
            if tag == .encryptedAttributesSequence, prefix.isEmpty, settings.policy.allowRepeat {
                if let kept = keepEarlierLayers(element) { update(index, kept) }
                continue
            }
            // A sequence is a sequence whatever VR it was written with (a private one read as UN in an implicit
            // VR file, CP-246): its items are walked like any other's.
            let vr = element.sequence != nil ? .SQ : Self.effectiveVR(element)
            let subject = MatchSubject(tag: tag, vr: vr, isUndecodedSequence: vr == .SQ && element.sequence == nil,
                                       isInsideItem: !prefix.isEmpty, isInsideDummiedItem: insideDummy,
                                       container: dataSet, safePrivate: safePrivate)
            let usesLookup = settings.keys.patientLookup != nil
            let key = DecisionIndex.Key(subject, sequencePath: typePrefix, usesLookup: usesLookup)
            let resolution: Profile.Resolution
            if let key, let decided = known[key] ?? learned[key] {
                resolution = decided
            } else {
                do {
                    resolution = try deidentifier.profile.resolve(
                        subject, element: element, sequencePath: typePrefix[...], iodTypes: iodTypes,
                        usesLookup: usesLookup,
                        scriptContext: { ScriptContext(container: dataSet, root: root, isRoot: prefix.isEmpty,
                                                       characterSet: characterSet, patientKeyWithoutID: patientKeyWithoutID) })
                } catch where !prefix.isEmpty {
                    // Name the item the rule failed in: the same rule may pass at the top level.
                    throw error.located(in: "\(TagPath(prefix + [TagPath.Component(tag: tag)]))")
                }
                if let key, !resolution.dependsOnFile { learned[key] = resolution }
            }
            let decision = resolution.decision
            if tag.isPrivate, decision.action == .keep || decision.action == .recurse,
               let block = tag.privateCreatorTag {
                retainedBlocks.insert(block)
            }
            switch decision.action {
            case .keep:
                plan.recordKept(recordKept ? path : nil, element.vr, decision)
                noteIfIdentifying(element)
            case .recurse:
                guard let sequence = element.sequence else {
                    plan.recordKept(recordKept ? path : nil, element.vr, decision)
                    noteIfIdentifying(element)
                    continue
                }
                if recordKept { plan.walked.append((path, element.vr, decision)) }
                if let items = try applyToItems(of: sequence, tag: tag, prefix: prefix, typePrefix: typePrefix,
                                                insideDummy: insideDummy) {
                    update(index, DataElement(tag: tag, vr: element.vr, value: .sequence(items), header: element.header))
                }
            case .dummy where resolution.dummiesItems:
                plan.recordKept(recordKept ? path : nil, element.vr, decision)
                if let sequence = element.sequence,
                   let items = try applyToItems(of: sequence, tag: tag, prefix: prefix, typePrefix: typePrefix,
                                                insideDummy: true) {
                    update(index, DataElement(tag: tag, vr: element.vr, value: .sequence(items), header: element.header))
                }
            default:
                if case .anyPrivate? = resolution.matcher, decision.action == .remove {
                    plan.removedPrivateByCreator[subject.creator ?? "(no private creator)", default: 0] += 1
                }
                if decision.action == .replace, let replacement = resolution.replacement,
                   PatientIdentifyingAttributes.tags.contains(tag),
                   Self.spaceTrimmed(replacement) == Self.spaceTrimmed(element.string(characterSet) ?? "") {
                    noteIfIdentifying(element)    // "replaced" by its own value (a script copying `this`)
                }
                var value = newValue(for: element, action: decision.action, replacement: resolution.replacement)
                var edit = Edit(path: path, vr: element.vr, decision: decision, newValue: value)
                if value == nil, decision.action != .remove {
                    // Only a date that does not parse has no replacement (``Profile/unusableValueDecision``).
                    edit.decision = Profile.unusableValueDecision(decision, type: iodTypes[typePrefix + [tag]])
                    value = newValue(for: element, action: edit.decision.action, replacement: nil)
                    edit.newValue = value
                }
                plan.edits.append(edit)
                if let value {
                    var replaced = element
                    replaced.value = value
                    update(index, replaced)
                } else {
                    update(index, nil)
                }
            }
        }
        for index in creatorIndices {
            let creator = dataSet.elements[index]
            let path = TagPath(prefix + [TagPath.Component(tag: creator.tag)])
            let decision = Profile.creatorDecision(blockRetained: retainedBlocks.contains(creator.tag))
            if decision.action == .keep {
                plan.recordKept(path, creator.vr, decision)
            } else {
                plan.edits.append(Edit(path: path, vr: creator.vr, decision: decision, newValue: nil))
                update(index, nil)
            }
        }
        return changed ? DataSet(output.compactMap { $0 }) : nil
    }

    /// A top-level group length: written anew once the edits are made.
    static let recomputedGroupLength = Decision(.replace, .groupLengthRecomputed)

    /// `text` without leading and trailing spaces (DICOM padding).
    private static func spaceTrimmed(_ text: String) -> Substring {
        var trimmed = Substring(text)
        while trimmed.first == " " { trimmed.removeFirst() }
        while trimmed.last == " " { trimmed.removeLast() }
        return trimmed
    }

    /// Records a kept attribute that identifies the patient (a set look-up per kept element, nothing more).
    private mutating func noteIfIdentifying(_ element: DataElement) {
        if PatientIdentifyingAttributes.tags.contains(element.tag), PatientIdentifyingAttributes.hasValue(element) {
            plan.keptIdentifyingAttributes.insert(element.tag)
        }
    }

    /// Applies the profile to every item of `sequence`, the sequence element `tag`.
    /// - Returns: the changed sequence, or nil when no item changed.
    private mutating func applyToItems(of sequence: SequenceOfItems, tag: Tag, prefix: [TagPath.Component],
                                       typePrefix: [Tag], insideDummy: Bool) throws(DeidentificationError) -> SequenceOfItems? {
        var result = sequence
        var changed = false
        let itemTypePrefix = typePrefix + [tag]
        for (index, item) in sequence.items.enumerated() {
            if let applied = try apply(item.dataSet, prefix: prefix + [TagPath.Component(tag: tag, item: index)],
                                       typePrefix: itemTypePrefix, insideDummy: insideDummy) {
                result.items[index].dataSet = applied
                changed = true
            }
        }
        return changed ? result : nil
    }

    /// With `--allow-repeat`, the Encrypted Attributes Sequence of earlier layers stays, but its items keep
    /// only what PS3.3 C.12.1.1.4.1 puts there (and this tool's private block): anything else goes.
    /// - Returns: the sequence element with those removed, or nil when nothing was removed.
    private mutating func keepEarlierLayers(_ element: DataElement) -> DataElement? {
        let allowed: Set<Tag> = [.encryptedContentTransferSyntaxUID, .encryptedContent,
                                 EncryptedAttributes.addedTagsTag, EncryptedAttributes.contentDigestTag]
        let path = TagPath(element.tag)
        plan.recordKept(path, element.vr, Decision(.keep, .earlierLayer))
        guard var sequence = element.sequence else { return nil }
        var changed = false
        for (index, item) in sequence.items.enumerated() {
            for inner in item.dataSet.elements {
                let innerPath = path.appending(item: index, tag: inner.tag)
                let ours = inner.tag == EncryptedAttributes.creatorTag
                    && item.dataSet[inner.tag]?.string() == EncryptedAttributes.privateCreator
                if allowed.contains(inner.tag) || ours {
                    plan.recordKept(innerPath, inner.vr, Decision(.keep, .earlierLayer))
                } else {
                    plan.edits.append(Edit(path: innerPath, vr: inner.vr,
                                           decision: Decision(.remove, .outsideEncryptedAttributesItem),
                                           newValue: nil))
                    sequence.items[index].dataSet.remove(inner.tag)
                    changed = true
                }
            }
        }
        guard changed else { return nil }
        var result = element
        result.value = .sequence(sequence)
        return result
    }

    // MARK: - New values

    /// The VR that decides: the dictionary's when a standard attribute was written as UN.
    static func effectiveVR(_ element: DataElement) -> VR {
        guard element.vr == .UN, !element.tag.isPrivate, case .single(let vr)? = DataDictionary.vr(for: element.tag) else {
            return element.vr
        }
        return vr
    }

    /// UIDs the standard defines (SOP Classes, transfer syntaxes and the other registered UIDs, well-known
    /// frames of reference) identify nobody and keep their meaning; anything else under the DICOM root, or
    /// not shaped like a UID, is mapped like an instance UID.
    static func isStandardUID(_ value: String) -> Bool {
        guard value.hasPrefix("1.2.840.10008."), isUIDShaped(value) else { return false }
        return UIDRegistry.name(for: value) != nil || value.hasPrefix("1.2.840.10008.1.4.")
    }

    /// The replacement value for an edit; nil for removal (or when no valid replacement exists).
    /// - Parameter replacement: the text a rule sets, for ``Action/replace``.
    private func newValue(for element: DataElement, action: Action, replacement: String?) -> Value? {
        switch action {
        case .remove, .keep, .recurse:
            return nil
        case .empty:
            if case .sequence(let sequence) = element.value {
                return .sequence(SequenceOfItems(items: [], isUndefinedLength: sequence.isUndefinedLength,
                                                 itemEncoding: sequence.itemEncoding))
            }
            return .bytes([])
        case .replace:
            if element.sequence != nil { return newValue(for: element, action: .empty, replacement: nil) }
            let bytes = ValuePadding.padded(characterSet.encode(replacement ?? ""), for: Self.effectiveVR(element))
            return .bytes(bytes[...])
        case .dummy:
            if element.tag == .patientID { return .bytes(DummyValue.text(patient.newID, .LO)[...]) }
            if element.tag == .patientName { return .bytes(DummyValue.text(patient.newName, .PN)[...]) }
            let vr = Self.effectiveVR(element)
            if vr == .UI { return newValue(for: element, action: .replaceUID, replacement: nil) }
            return .bytes(DummyValue.bytes(for: vr, original: element.bytes ?? [])[...])
        case .replaceUID:
            guard element.vr == .UI || element.vr == .UN, element.bytes != nil else {
                return .bytes(DummyValue.bytes(for: element.vr, original: element.bytes ?? [])[...])
            }
            let mapped = element.strings().map { $0.isEmpty || Self.isStandardUID($0) ? $0 : deidentifier.uids.map($0) }
            return .bytes(DummyValue.text(mapped.joined(separator: "\\"), .UI)[...])
        case .shiftDates:
            var shifted: [String] = []
            for value in element.strings() {
                if value.isEmpty { shifted.append(""); continue }
                let moved = Self.effectiveVR(element) == .DT ? dateShifter.shiftDateTime(Substring(value))
                                              : dateShifter.shiftDate(Substring(value))
                guard let moved else { return nil }
                shifted.append(moved)
            }
            return .bytes(DummyValue.text(shifted.joined(separator: "\\"), Self.effectiveVR(element))[...])
        }
    }
}
