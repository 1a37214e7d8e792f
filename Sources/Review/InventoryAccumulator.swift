import DICOMCodec
import DICOMCore
import DICOMDictionary
import Deidentification

/// What the inventory has gathered so far from some files; one per worker, merged at the end. Its size
/// grows with the number of distinct attribute paths, not with the number of files or values (values are
/// kept only as examples, when asked, at most ``InventoryOptions/exampleLimit`` per row).
struct InventoryAccumulator {
    /// The free-text VRs whose keeping is flagged.
    static let freeTextVRs: Set<String> = ["LO", "LT", "ST", "UT", "SH", "PN", "UC"]
    /// Modalities that often carry burned-in text.
    static let burnedInModalities: Set<String> = ["US", "SC", "XA", "RF", "ES"]

    /// One step of a row's path, ordered as a person reads a dump: by group, then creator, then element.
    struct Component: Comparable {
        var group: UInt16
        var creator: String
        /// The element, or its low byte for a private attribute; -1 for a private creator.
        var element: Int
        var key: String
        var label: String

        static func < (a: Component, b: Component) -> Bool {
            (a.group, a.creator, a.element, a.key) < (b.group, b.creator, b.element, b.key)
        }
    }

    /// A decision as counted per row; its texts are made only for the report.
    struct DecisionKey: Hashable {
        var decision: Decision?

        var action: String { decision?.action.description ?? "unplanned" }
        var rule: String { decision?.refinement.description ?? "" }
        var origin: String { decision?.origin?.description ?? "" }
    }

    /// One step of a row's identity: a tag (a private data element by group and element byte under its
    /// creator), without building any text.
    struct RowPart: Hashable {
        var tag: UInt32
        var creator: String
    }

    struct RowState {
        var components: [Component]
        var keyword: String
        var vrs: Set<String> = []
        var files = 0
        var lastFile = -1
        var occurrences = 0
        var distinct: DistinctCounter
        var minLength: Int?
        var maxLength: Int?
        var decisions: [DecisionKey: Int] = [:]
        var isPrivateData = false
        var creatorNamed = false
        var notInDictionary = false
        var examples: [String] = []
    }

    let options: InventoryOptions
    var rows: [[RowPart]: RowState] = [:]
    var files = 0
    var failedFiles = 0
    var skippedFiles = 0
    var summary = Inventory.Summary()
    var fileFlags: [(index: Int, flags: Inventory.FileFlags)] = []

    init(options: InventoryOptions) { self.options = options }

    // MARK: - One file

    /// Adds one file, its plan (made recording kept elements) giving each attribute's decision.
    /// - Parameter pixelText: what OCR read in the pixels (`--ocr`), or why it could not; nil when not read.
    mutating func add(_ file: Part10File, plan: Plan, index: Int, path: String,
                      pixelText: Result<PixelTextScan, LeftoverCheckError>? = nil) {
        files += 1
        var decisions: [TagPath: Decision] = [:]
        decisions.reserveCapacity(plan.edits.count + plan.kept.count + plan.walked.count)
        for edit in plan.edits { decisions[edit.path] = edit.decision }
        for kept in plan.kept { decisions[kept.path] = kept.decision }
        for walked in plan.walked { decisions[walked.path] = walked.decision }
        let charset = SpecificCharacterSet(file.dataSet[Tag(0x0008, 0x0005)])
        let context = WalkContext(decisions: decisions, charset: charset, fileIndex: index)
        var identity: [RowPart] = []
        walk(file.dataSet, container: nil, item: 0, identity: &identity, components: [], inherited: nil,
             context: context)
        addFileFacts(file, index: index, path: path, pixelText: pixelText)
    }

    /// What stays the same over one file's walk.
    struct WalkContext {
        var decisions: [TagPath: Decision]
        var charset: SpecificCharacterSet
        var fileIndex: Int
    }

    private mutating func walk(_ dataSet: DataSet, container: TagPath?, item: Int, identity: inout [RowPart],
                               components: [Component], inherited: Decision?,
                               context: WalkContext) {
        for element in dataSet.elements {
            let tag = element.tag
            let tagPath = container.map { $0.appending(item: item, tag: tag) } ?? TagPath(tag)
            identity.append(Self.part(tag, in: dataSet))
            defer { identity.removeLast() }
            let decision = context.decisions[tagPath] ?? Self.unrecorded(element, inherited: inherited)
            let options = self.options
            // Texts for the row (keys, labels, dictionary facts) are made once, when the row is new.
            Self.record(element, decision: decision,
                        into: &rows[identity, default: Self.newRow(tag: tag, components: components + [Self.component(tag, in: dataSet)],
                                                                   in: dataSet, cap: options.distinctValueCap)],
                        options: options, charset: context.charset, fileIndex: context.fileIndex)
            if case .sequence(let sequence) = element.value {
                let inner = components + [rows[identity]?.components.last ?? Self.component(tag, in: dataSet)]
                for (index, child) in sequence.items.enumerated() {
                    walk(child.dataSet, container: tagPath, item: index, identity: &identity,
                         components: inner, inherited: decision, context: context)
                }
            }
        }
    }

    /// The identity step of `tag`: private data elements by group, element byte and creator; creators by
    /// group and creator; everything else by tag.
    private static func part(_ tag: Tag, in dataSet: DataSet) -> RowPart {
        if tag.isPrivate, !tag.isGroupLength {
            if tag.isPrivateCreator {
                return RowPart(tag: UInt32(tag.group) << 16 | 0xFFFF,
                               creator: dataSet[tag]?.bytes.map(TextDecoding.trimmedASCII) ?? "")
            }
            if tag.element >= 0x1000, let creator = dataSet.privateCreator(of: tag) {
                return RowPart(tag: UInt32(tag.group) << 16 | UInt32(tag.element & 0xFF), creator: creator)
            }
        }
        return RowPart(tag: tag.combined, creator: "")
    }

    /// The decision for an element the plan does not list: one inside a sequence removed, emptied or kept as a
    /// whole takes the sequence's decision.
    private static func unrecorded(_ element: DataElement, inherited: Decision?) -> Decision? {
        if let inherited, inherited.action != .recurse { return inherited }
        guard element.sequence != nil else { return inherited }
        return Decision(.recurse, .sequenceItemsWalked)
    }

    private static func component(_ tag: Tag, in dataSet: DataSet) -> Component {
        let group = hex4(tag.group)
        if tag.isPrivate, !tag.isGroupLength {
            if tag.isPrivateCreator {
                let creator = dataSet[tag]?.bytes.map(TextDecoding.trimmedASCII) ?? ""
                return Component(group: tag.group, creator: creator, element: -1,
                                 key: "(\(group),\"\(creator)\")", label: "(\(group),\"\(creator)\")")
            }
            if tag.element >= 0x1000, let creator = dataSet.privateCreator(of: tag) {
                let key = privateDataKey(group: tag.group, creator: creator, elementByte: UInt8(tag.element & 0xFF))
                return Component(group: tag.group, creator: creator, element: Int(tag.element & 0xFF), key: key,
                                 label: key)
            }
        }
        let key = tag.description
        let label = tag.isPrivate ? key : (DataDictionary.keyword(for: tag) ?? key)
        return Component(group: tag.group, creator: "", element: Int(tag.element), key: key, label: label)
    }

    /// The row key of a private data element: `(0019,"SIEMENS MR HEADER",0C)`.
    static func privateDataKey(group: UInt16, creator: String, elementByte: UInt8) -> String {
        "(\(hex4(group)),\"\(creator)\",\(hex2(elementByte)))"
    }

    private static func newRow(tag: Tag, components: [Component], in dataSet: DataSet, cap: Int) -> RowState {
        var state = RowState(components: components, keyword: "", distinct: DistinctCounter(cap: cap))
        if tag.isPrivate {
            if !tag.isPrivateCreator, !tag.isGroupLength, tag.element >= 0x1000 {
                state.isPrivateData = true
                if let creator = dataSet.privateCreator(of: tag) {
                    let known = PrivateDictionary.vr(creator: creator, group: tag.group,
                                                     elementByte: UInt8(tag.element & 0xFF)) != nil
                    state.creatorNamed = known
                    state.notInDictionary = !known
                } else {
                    state.notInDictionary = true
                }
            }
        } else if let info = DataDictionary.info(for: tag) {
            state.keyword = info.keyword
        } else {
            state.notInDictionary = true
        }
        return state
    }

    private static func record(_ element: DataElement, decision: Decision?, into state: inout RowState,
                               options: InventoryOptions, charset: SpecificCharacterSet, fileIndex: Int) {
        state.occurrences += 1
        if state.lastFile != fileIndex {
            state.lastFile = fileIndex
            state.files += 1
        }
        // A sequence is a sequence whatever VR it was written with (a private one read as UN, CP-246).
        let vr = element.sequence != nil ? "SQ" : element.vr.description
        if !state.vrs.contains(vr) { state.vrs.insert(vr) }
        state.decisions[DecisionKey(decision: decision), default: 0] += 1
        if state.isPrivateData, let decision, !Self.isCatchAllPrivate(decision) { state.creatorNamed = true }

        var hash = ValueHash()
        let length: Int
        var text: String?
        switch element.value {
        case .sequence:
            return
        case .bytes(let bytes):
            var value = bytes
            if Self.isText(vr) {
                value = ValuePadding.trimmingTrailing(value)
            }
            length = value.count
            hash.combine(value)
            if options.showValues, state.examples.count < options.exampleLimit {
                text = Self.isText(vr) ? charset.decode(value) : Self.hexPreview(value)
            }
        case .fragments(let fragments):
            length = fragments.items.reduce(0) { $0 + $1.count }
            for fragment in fragments.items { hash.combine(fragment) }
            if options.showValues, state.examples.count < options.exampleLimit {
                text = "(\(fragments.items.count) fragments, \(length) bytes)"
            }
        }
        state.distinct.insert(hash.value)
        state.minLength = min(state.minLength ?? length, length)
        state.maxLength = max(state.maxLength ?? length, length)
        if var text {
            if text.count > Self.exampleLength { text = String(text.prefix(Self.exampleLength)) + "…" }
            if !state.examples.contains(text) { state.examples.append(text) }
        }
    }

    /// Longest example kept, in characters.
    static let exampleLength = 200

    /// Rules that take every private attribute no earlier rule named: Table E.1-1's private row in the built-in
    /// profile, a native profile's `match: private`, a CTP script's `remove privategroups`. They name no creator.
    static let catchAllPrivateRules: Set<String> = ["private attribute", "private attributes", "private groups removed"]

    static func isCatchAllPrivate(_ decision: Decision) -> Bool {
        guard case .rule(let note) = decision.refinement else { return false }
        return catchAllPrivateRules.contains(note)
    }

    static func isText(_ vr: String) -> Bool {
        ["AE", "AS", "CS", "DA", "DS", "DT", "IS", "LO", "LT", "PN", "SH", "ST", "TM", "UC", "UI", "UR", "UT"]
            .contains(vr)
    }

    static func hexPreview(_ bytes: ArraySlice<UInt8>) -> String {
        let shown = bytes.prefix(16).map { hex2($0) }.joined(separator: " ")
        return bytes.count > 16 ? shown + " … (\(bytes.count) bytes)" : shown
    }

    private mutating func addFileFacts(_ file: Part10File, index: Int, path: String,
                                       pixelText: Result<PixelTextScan, LeftoverCheckError>?) {
        let dataSet = file.dataSet
        let sopClassUID = dataSet[Tag(0x0008, 0x0016)]?.string() ?? file.meta[Tag(0x0002, 0x0002)]?.string() ?? ""
        let sopClass = sopClassUID.isEmpty ? "" : (UIDRegistry.name(for: sopClassUID) ?? sopClassUID)
        let modality = dataSet[Tag(0x0008, 0x0060)]?.string() ?? ""
        if !sopClass.isEmpty { summary.sopClasses[sopClass, default: 0] += 1 }
        if !modality.isEmpty { summary.modalities[modality, default: 0] += 1 }
        if let manufacturer = dataSet[Tag(0x0008, 0x0070)]?.string(), !manufacturer.isEmpty {
            summary.manufacturers[manufacturer, default: 0] += 1
        }
        var flags: [String] = []
        if dataSet[Tag(0x0028, 0x0301)]?.string()?.uppercased() == "YES" { flags.append(InventoryFlag.burnedInAnnotation.rawValue) }
        if Self.burnedInModalities.contains(modality.uppercased()) { flags.append(InventoryFlag.burnedInModality.rawValue) }
        if Self.isBurnedInSOPClass(sopClassUID) { flags.append(InventoryFlag.burnedInSOPClass.rawValue) }
        var scan: PixelTextScan?
        switch pixelText {
        case .success(let read):
            scan = read
            if read.textBoxes > 0 { flags.append(InventoryFlag.textInPixels.rawValue) }
            if !read.matches.isEmpty || read.identifyingLines > 0 { flags.append(InventoryFlag.identifyingTextInPixels.rawValue) }
        case .failure:
            flags.append(InventoryFlag.pixelsNotRead.rawValue)
        case nil:
            break
        }
        if !flags.isEmpty {
            fileFlags.append((index, Inventory.FileFlags(file: path, flags: flags, modality: modality, sopClass: sopClass,
                                                         textBoxes: scan?.textBoxes, matchedTerms: scan?.matches.count,
                                                         identifyingLines: scan?.identifyingLines)))
        }
    }

    /// Secondary capture (PS3.4 A.8: 1.2.840.10008.5.1.4.1.1.7 and .7.x), video (…1.1.77.1.x.1.1, …1.1.77.1.x.1.2)
    /// and encapsulated documents (…1.1.104.x).
    static func isBurnedInSOPClass(_ uid: String) -> Bool {
        let base = "1.2.840.10008.5.1.4.1.1."
        guard uid.hasPrefix(base) else { return false }
        let rest = uid.dropFirst(base.count)
        if rest == "7" || rest.hasPrefix("7.") || rest.hasPrefix("104.") { return true }
        if rest.hasPrefix("77.1.") {
            let parts = rest.split(separator: ".")
            // 77.1.<kind>.1.1 (video endoscopic/microscopic/photographic), 77.1.<kind>.1 is the still image.
            return parts.count == 5 && parts[3] == "1"
        }
        return false
    }

    // MARK: - Merging and results

    mutating func merge(_ other: InventoryAccumulator) {
        files += other.files
        failedFiles += other.failedFiles
        skippedFiles += other.skippedFiles
        for (name, count) in other.summary.sopClasses { summary.sopClasses[name, default: 0] += count }
        for (name, count) in other.summary.modalities { summary.modalities[name, default: 0] += count }
        for (name, count) in other.summary.manufacturers { summary.manufacturers[name, default: 0] += count }
        fileFlags += other.fileFlags
        for (identity, theirs) in other.rows {
            guard var mine = rows.removeValue(forKey: identity) else {
                rows[identity] = theirs
                continue
            }
            mine.vrs.formUnion(theirs.vrs)
            // A worker never sees one file twice, and each file goes to one worker.
            mine.files += theirs.files
            mine.occurrences += theirs.occurrences
            mine.distinct.merge(theirs.distinct)
            if let low = theirs.minLength { mine.minLength = min(mine.minLength ?? low, low) }
            if let high = theirs.maxLength { mine.maxLength = max(mine.maxLength ?? high, high) }
            for (key, count) in theirs.decisions { mine.decisions[key, default: 0] += count }
            mine.creatorNamed = mine.creatorNamed || theirs.creatorNamed
            for example in theirs.examples where mine.examples.count < options.exampleLimit && !mine.examples.contains(example) {
                mine.examples.append(example)
            }
            rows[identity] = mine
        }
    }

    /// The finished inventory, rows in path order and file flags in input order.
    func inventory(tool: String, profile: String) -> Inventory {
        let ordered = rows.values.sorted { $0.components.lexicographicallyPrecedes($1.components) }
        let rows = ordered.map(row)
        let flags = fileFlags.sorted { $0.index < $1.index }.map(\.flags)
        return Inventory(tool: tool, files: files + failedFiles, failedFiles: failedFiles, skippedFiles: skippedFiles,
                         profile: profile,
                         distinctValueCap: options.distinctValueCap, summary: summary, rows: rows, fileFlags: flags)
    }

    private func row(_ state: RowState) -> Inventory.Row {
        let ranked = state.decisions.sorted { a, b in
            a.value != b.value ? a.value > b.value : (a.key.action, a.key.rule) < (b.key.action, b.key.rule)
        }
        let top = ranked.first?.key ?? DecisionKey(decision: nil)
        let actions = Set(state.decisions.keys.map(\.action))
        let kept = actions.contains("keep")
        var flags: [InventoryFlag] = []
        if kept, !state.vrs.isDisjoint(with: Self.freeTextVRs) { flags.append(.freeTextKept) }
        if kept, state.isPrivateData { flags.append(.privateKept) }
        if state.isPrivateData, !state.creatorNamed { flags.append(.unknownCreator) }
        if state.notInDictionary { flags.append(.notInDictionary) }
        let isSequence = state.minLength == nil
        return Inventory.Row(
            key: state.components.last?.key ?? "", keyword: state.keyword,
            path: state.components.map(\.label).joined(separator: "[*]."),
            vrs: state.vrs.sorted(), files: state.files, occurrences: state.occurrences,
            distinctValues: isSequence ? 0 : state.distinct.count,
            distinctIsEstimate: isSequence ? false : state.distinct.isEstimate,
            minLength: state.minLength, maxLength: state.maxLength,
            action: actions.count > 1 ? "mixed" : top.action, rule: top.rule, origin: top.origin,
            flags: flags.map(\.rawValue), examples: options.showValues ? state.examples : nil)
    }
}
