import CMS
import DICOMCodec
import DICOMCore
import DICOMDictionary
import Deidentification
import Testing

/// Every Table E.1-1 attribute found in a fixture, at any nesting level, gets the Basic Profile action the
/// table and the IOD's attribute Types call for, and its original top-level element is kept in the
/// encrypted Modified Attributes.
struct ProfileActionTests {
    static let fixtures = TestEnvironment.fixtureNames

    /// The outcome Table E.1-1 asks for, resolved for the attribute's Type in the IOD — worked out here from
    /// the generated tables, independently of the engine's Profile.
    enum Outcome: Equatable, CustomStringConvertible {
        case keep, recurse, remove, empty, dummy, replaceUID
        var description: String {
            switch self {
            case .keep: "K"
            case .recurse: "K (items)"
            case .remove: "X"
            case .empty: "Z"
            case .dummy: "D"
            case .replaceUID: "U"
            }
        }
    }

    /// The Basic Profile outcome for an attribute of VR `vr` with Type `type` (nil: not in the IOD).
    static func outcome(_ code: ProfileActionCode, vr: VR, type: AttributeType?) -> Outcome {
        let sequence = vr == .SQ
        let type1 = type == .type1 || type == .type1C
        let type2 = type == .type2 || type == .type2C
        let dummy: Outcome = vr == .UI ? .replaceUID : .dummy
        switch code {
        case .dummy: return dummy
        case .zero: return .empty
        case .remove: return type1 ? dummy : (type2 ? .empty : .remove)   // an IOD-required X is D or Z
        case .keep: return sequence ? .recurse : .keep
        case .clean: return sequence ? .recurse : .remove
        case .replaceUID: return sequence ? .recurse : .replaceUID
        case .zeroOrDummy: return type1 ? dummy : .empty
        case .removeOrZero: return type1 || type2 ? .empty : .remove
        case .removeOrDummy: return type1 || type2 ? dummy : .remove
        case .removeOrZeroOrDummy: return type1 ? dummy : (type2 ? .empty : .remove)
        case .removeOrZeroOrReplaceUID:
            // Reference sequences keep their items with UIDs mapped whatever their Type (referential integrity).
            if sequence { return .recurse }
            return type1 ? .replaceUID : (type2 ? .empty : .remove)
        }
    }

    /// One element of the original, with what the table says about it.
    struct Visit {
        var path: TagPath
        var element: DataElement
        var code: ProfileActionCode?
        var outcome: Outcome?
        /// An enclosing sequence was removed, emptied or replaced: the element cannot be in the output.
        var insideReplaced: Bool
    }

    /// Every element of `dataSet` at every nesting level, in order.
    static func visits(_ file: Part10File) -> [Visit] {
        let types = IODAttributeTypes.iodKey(forSOPClassUID: file.dataSet[Tag(0x0008, 0x0016)]?.string() ?? "")
            .map(IODAttributeTypes.types(forIOD:)) ?? [:]
        var out: [Visit] = []
        func walk(_ ds: DataSet, prefix: [TagPath.Component], typePrefix: [Tag], replaced: Bool) {
            for element in ds.elements {
                let tag = element.tag
                let path = TagPath(prefix + [TagPath.Component(tag: tag)])
                var visit = Visit(path: path, element: element, code: nil, outcome: nil, insideReplaced: replaced)
                if !tag.isPrivate, !tag.isGroupLength, let row = ConfidentialityProfileTable.row(for: tag),
                   let code = row.action(.basicProfile) {
                    visit.code = code
                    // An overlay group goes whole (its Type 1 Overlay Data with it): nothing is left to require it.
                    visit.outcome = isOverlay(tag) ? .remove : outcome(code, vr: element.vr, type: types[typePrefix + [tag]])
                }
                out.append(visit)
                guard let sequence = element.sequence else { continue }
                // K and U* clean the items; D keeps them with every value dummied; anything else drops them.
                let itemsGone = replaced || tag.isPrivate || isOverlay(tag)
                    || (visit.outcome.map { $0 != .recurse && $0 != .keep && $0 != .dummy } ?? false)
                for (index, item) in sequence.items.enumerated() {
                    walk(item.dataSet, prefix: prefix + [TagPath.Component(tag: tag, item: index)],
                         typePrefix: typePrefix + [tag], replaced: itemsGone)
                }
            }
        }
        walk(file.dataSet, prefix: [], typePrefix: [], replaced: false)
        return out
    }

    static func isOverlay(_ tag: Tag) -> Bool { tag.group & 0xFF01 == 0x6000 && tag.group <= 0x601E }

    static let patientName = Tag(0x0010, 0x0010), patientID = Tag(0x0010, 0x0020)

    // MARK: - Basic Profile, every attribute of every fixture

    @Test(arguments: fixtures)
    func outputObeysTheResolvedActionOfEveryTableRow(_ name: String) throws {
        let (original, output) = try TestEnvironment.deidentified(name)
        let mapper = UIDMapper(secret: TestEnvironment.secret)
        var checked = 0
        var seen = Set<String>()
        for visit in Self.visits(original) {
            guard let outcome = visit.outcome else { continue }
            if !visit.insideReplaced { seen.insert(outcome.description) }
            let found = output.dataSet.element(at: visit.path)
            let context = "\(name) \(visit.path) (\(visit.code.map(String.init(describing:)) ?? "") -> \(outcome))"
            if visit.insideReplaced {
                #expect(found == nil, "\(context): inside a replaced sequence, yet present")
                continue
            }
            checked += 1
            let originalBytes = visit.element.bytes.map(Array.init)
            switch outcome {
            case .remove:
                #expect(found == nil, "\(context): not removed")
            case .empty where visit.path.depth == 0 && (visit.path.lastTag == Self.patientName || visit.path.lastTag == Self.patientID):
                // Z allows a dummy: the engine writes the keyed pseudonym.
                let text = try #require(found?.string(), "\(context): missing")
                #expect(text.hasPrefix("ANON"), "\(context): '\(text)' is not a pseudonym")
            case .empty:
                let element = try #require(found, "\(context): missing")
                if let sequence = element.sequence {
                    #expect(sequence.items.isEmpty, "\(context): sequence not emptied")
                } else {
                    #expect(element.bytes?.isEmpty == true, "\(context): value not emptied")
                }
            case .dummy:
                let element = try #require(found, "\(context): missing")
                if let sequence = element.sequence {
                    #expect(sequence.items.count == visit.element.sequence?.items.count,
                            "\(context): a dummy sequence keeps its items")
                } else {
                    let bytes = try #require(element.bytes.map(Array.init), "\(context): no value")
                    #expect(!bytes.isEmpty, "\(context): dummy is empty")
                    #expect(bytes != originalBytes || originalBytes?.allSatisfy({ $0 == 0 }) == true,
                            "\(context): dummy equals the original")
                }
            case .replaceUID:
                let element = try #require(found, "\(context): missing")
                let expected = visit.element.strings().map { $0.isEmpty ? "" : mapper.map($0) }
                #expect(element.strings() == expected, "\(context): not the keyed mapping of the original")
                for (old, new) in zip(visit.element.strings(), element.strings()) where !old.isEmpty {
                    #expect(new.hasPrefix("2.25.") && new != old, "\(context): '\(new)' is not a new 2.25. UID")
                }
            case .keep:
                let element = try #require(found, "\(context): missing")
                #expect(element.bytes.map(Array.init) == originalBytes, "\(context): value changed")
            case .recurse:
                let element = try #require(found, "\(context): missing")
                #expect(element.sequence?.items.count == visit.element.sequence?.items.count,
                        "\(context): items not kept")
            }
        }
        #expect(checked > 10, "\(name): only \(checked) table attributes checked")
        if name.hasPrefix("ct-") {
            #expect(seen.isSuperset(of: ["X", "Z", "D", "U"]), "\(name): outcomes seen \(seen.sorted())")
        }
    }

    /// D on a sequence (SR Content Sequence, Verifying Observer Sequence) keeps the items, so the IOD keeps
    /// its Type 1 content, but no text Table E.1-1 does not list (Text Value, names, dates) survives: coded
    /// strings and numbers stay, everything else is a dummy.
    @Test func dummySequenceKeepsSRStructureWithDummyValues() throws {
        let (original, output) = try TestEnvironment.deidentified("sr-basic-text-explicit-le.dcm")
        for tag in [Tag(0x0040, 0xA730), Tag(0x0040, 0xA073)] {
            let before = try #require(original.dataSet[tag]?.sequence?.items, "\(tag) not in the fixture")
            let after = try #require(output.dataSet[tag]?.sequence?.items, "\(tag) missing")
            #expect(after.count == before.count, "\(tag)")
        }
        func texts(_ ds: DataSet, _ out: inout [(Tag, String)]) {
            for element in ds.elements {
                if let sequence = element.sequence {
                    for item in sequence.items { texts(item.dataSet, &out) }
                } else if element.vr.isText, element.vr != .CS, element.vr != .UI, element.vr != .DS, element.vr != .IS {
                    out.append((element.tag, element.string() ?? ""))
                }
            }
        }
        var values: [(Tag, String)] = []
        texts(try #require(output.dataSet[Tag(0x0040, 0xA730)]?.sequence).items.first?.dataSet ?? DataSet(), &values)
        for item in output.dataSet[Tag(0x0040, 0xA730)]?.sequence?.items ?? [] { texts(item.dataSet, &values) }
        #expect(!values.isEmpty)
        for (tag, value) in values {
            #expect(value.isEmpty || value == "ANONYMIZED" || value.hasPrefix("19000101") || value == "000000.00",
                    "\(tag) = '\(value)' is not a dummy")
        }
        let restored = try Reidentifier(key: try TestEnvironment.key(), certificate: try TestEnvironment.certificate())
            .reidentify(output).file
        let content = Tag(0x0040, 0xA730)
        #expect(restored.dataSet[content]?.sequence?.items.count == original.dataSet[content]?.sequence?.items.count)
    }

    @Test(arguments: fixtures)
    func planDecisionsMatchTheResolvedActions(_ name: String) throws {
        let original = try TestEnvironment.fixture(name)
        let plan = try TestEnvironment.deidentifier().plan(original)
        var edits: [TagPath: Edit] = [:]
        for edit in plan.edits { edits[edit.path] = edit }
        var kept: [TagPath: Decision] = [:]
        for entry in plan.kept { kept[entry.path] = entry.decision }

        for visit in Self.visits(original) where !visit.insideReplaced {
            guard let outcome = visit.outcome, let code = visit.code else { continue }
            let context = "\(name) \(visit.path) (\(code) -> \(outcome))"
            let edit = edits[visit.path]
            let isPatientIdentity = visit.path.depth == 0
                && (visit.path.lastTag == Self.patientName || visit.path.lastTag == Self.patientID)
            if let edit, !isPatientIdentity, ![.dummy, .zero, .remove, .keep, .replaceUID, .clean].contains(code) {
                // Compound codes say in the rule which alternative the IOD Type chose.
                #expect(edit.decision.refinement.description.contains(code.description), "\(context): rule '\(edit.decision.refinement)'")
            }
            switch outcome {
            case .remove: #expect(edit?.decision.action == .remove, "\(context): planned \(String(describing: edit?.decision))")
            case .empty:
                #expect(edit?.decision.action == (isPatientIdentity ? .dummy : .empty),
                        "\(context): planned \(String(describing: edit?.decision))")
            case .dummy where visit.element.sequence != nil:
                // A D sequence is not replaced whole: its items are walked with dummies (listed as kept).
                #expect(edit == nil && kept[visit.path]?.action == .dummy, "\(context): planned \(String(describing: kept[visit.path]))")
            case .dummy:
                #expect(edit?.decision.action == .dummy, "\(context): planned \(String(describing: edit?.decision))")
            case .replaceUID:
                #expect(edit?.decision.action == .replaceUID, "\(context): planned \(String(describing: edit?.decision))")
            case .keep:
                #expect(edit == nil && kept[visit.path]?.action == .keep, "\(context): not planned as kept")
            case .recurse:
                #expect(edit == nil, "\(context): a sequence to clean item by item was edited whole")
            }
        }
    }

    /// PS3.15 E.1.1 step 5: each top-level element that changed (itself or anything inside it) is in the
    /// Modified Attributes Sequence item with its original bytes.
    @Test(arguments: fixtures)
    func modifiedAttributesHoldEveryChangedTopLevelElementVerbatim(_ name: String) throws {
        let (original, output) = try TestEnvironment.deidentified(name)
        let modified = try TestEnvironment.modifiedAttributes(of: output)
        let order = original.dataSetEncoding.byteOrder
        var changed = Set<Tag>()
        for visit in Self.visits(original) where visit.outcome != nil && visit.outcome != .keep
            && visit.outcome != .recurse && !visit.insideReplaced {
            changed.insert(visit.path.components[0].tag)
        }
        for element in original.dataSet.elements where element.tag.isPrivate || Self.isOverlay(element.tag) {
            changed.insert(element.tag)
        }
        #expect(!changed.isEmpty)
        for tag in changed.sorted() {
            let originalElement = try #require(original.dataSet[tag])
            let kept = try #require(modified[tag], "\(name) \(tag): not in the Modified Attributes")
            let expected = try TestEnvironment.explicitLittleBytes(originalElement, from: order)
            let actual = try TestEnvironment.explicitLittleBytes(kept, from: .littleEndian)
            #expect(expected == actual, "\(name) \(tag): kept bytes differ from the original")
        }
        // Nothing the profile left alone is in there (an edit that changes nothing, like emptying an empty
        // sequence, still counts as an edit).
        let edited = Set(try TestEnvironment.deidentifier().plan(original).edits.map { $0.path.components[0].tag })
        for element in modified.elements where original.dataSet.contains(element.tag) && !edited.contains(element.tag) {
            let outputElement = output.dataSet[element.tag]
            let unchanged = outputElement.map {
                (try? TestEnvironment.explicitLittleBytes($0, from: output.dataSetEncoding.byteOrder))
                    == (try? TestEnvironment.explicitLittleBytes(element, from: .littleEndian))
            } ?? false
            #expect(!unchanged, "\(name) \(element.tag): unchanged, yet in the Modified Attributes")
        }
    }

    /// The same original UID gets the same new UID in every file: references between instances survive.
    @Test func uidReplacementIsConsistentAcrossFixtures() throws {
        var mapping: [String: String] = [:]
        var outputs: [String: Part10File] = [:]
        for name in Self.fixtures {
            let (original, output) = try TestEnvironment.deidentified(name)
            outputs[name] = output
            for visit in Self.visits(original) where visit.outcome == .replaceUID && !visit.insideReplaced {
                let new = output.dataSet.element(at: visit.path)?.strings() ?? []
                for (old, replacement) in zip(visit.element.strings(), new) where !old.isEmpty {
                    if let earlier = mapping[old] {
                        #expect(earlier == replacement, "\(name) \(visit.path): \(old) mapped two ways")
                    }
                    mapping[old] = replacement
                }
            }
        }
        #expect(mapping.count > 20)
        // The CT's SOP Instance UID and the RT Structure Set's Contour Image reference to it.
        let ct = try #require(outputs["ct-explicit-le.dcm"]?.dataSet[Tag(0x0008, 0x0018)]?.string())
        let contourImage = try #require(TagPath(parsing: "(3006,0010)[0].(3006,0012)[0].(3006,0014)[0].(3006,0016)[0].(0008,1155)"))
        let rt = try #require(outputs["rtstruct-explicit-le.dcm"]?.dataSet.element(at: contourImage)?.string())
        #expect(ct == rt)
        #expect(ct.hasPrefix("2.25.") && !ct.hasPrefix("2.25.219749739517710845855461874076206640715"))
        // Every CT transfer syntax gives the same new SOP Instance UID (and the file meta agrees).
        for name in Self.fixtures where name.hasPrefix("ct-") {
            #expect(outputs[name]?.dataSet[Tag(0x0008, 0x0018)]?.string() == ct, "\(name)")
            #expect(outputs[name]?.meta[Tag(0x0002, 0x0003)]?.string() == ct, "\(name) file meta")
        }
    }

    // MARK: - What the Basic Profile always does

    @Test(arguments: fixtures)
    func curvesOverlaysPaddingAndPrivateAttributesAreRemoved(_ name: String) throws {
        let (_, output) = try TestEnvironment.deidentified(name)
        for element in output.dataSet.elements {
            let tag = element.tag
            #expect(!(tag.group & 0xFF01 == 0x5000 && tag.group <= 0x501E), "\(name) \(tag): curve kept")
            #expect(!Self.isOverlay(tag), "\(name) \(tag): overlay kept")
            #expect(tag != .dataSetTrailingPadding, "\(name): trailing padding kept")
        }
        // No private element anywhere, except the engine's own added-tags block in the Encrypted Attributes item.
        func expectNoPrivate(_ ds: DataSet, _ where_: String) {
            for element in ds.elements {
                #expect(!element.tag.isPrivate, "\(name) \(where_)\(element.tag): private attribute kept")
                guard element.tag != TestEnvironment.encryptedAttributesSequence else { continue }
                for item in element.sequence?.items ?? [] { expectNoPrivate(item.dataSet, "\(where_)\(element.tag)>") }
            }
        }
        expectNoPrivate(output.dataSet, "")
    }

    @Test(arguments: fixtures)
    func identityRemovedAttributesAreSet(_ name: String) throws {
        let (_, output) = try TestEnvironment.deidentified(name)
        #expect(output.dataSet[Tag(0x0012, 0x0062)]?.string() == "YES")
        #expect(output.dataSet[Tag(0x0012, 0x0063)]?.string()?.isEmpty == false)
        #expect(Self.methodCodes(output) == ["113100"])
        #expect(output.dataSet[Tag(0x0028, 0x0303)]?.string() == "REMOVED")
    }

    static func methodCodes(_ file: Part10File) -> Set<String> {
        let items = file.dataSet[Tag(0x0012, 0x0064)]?.sequence?.items ?? []
        for item in items {
            #expect(item.dataSet[Tag(0x0008, 0x0102)]?.string() == "DCM")
            #expect(item.dataSet[Tag(0x0008, 0x0104)]?.string()?.isEmpty == false)
        }
        return Set(items.compactMap { $0.dataSet[Tag(0x0008, 0x0100)]?.string() })
    }

    @Test(arguments: ProfileOption.allCases)
    func methodCodeSequenceNamesTheProfileAndEachOption(_ option: ProfileOption) throws {
        let (_, output) = try TestEnvironment.deidentified("mr-explicit-le.dcm", options: [option])
        #expect(Self.methodCodes(output) == ["113100", option.codeValue])
    }

    @Test func methodCodeSequenceListsEveryOptionChosen() throws {
        var all = Set(ProfileOption.allCases)
        all.remove(.retainLongitudinalFullDates)
        let (_, output) = try TestEnvironment.deidentified("ct-explicit-le.dcm", options: all)
        #expect(Self.methodCodes(output) == Set(["113100"] + all.map(\.codeValue)))
        #expect(Set(all.map(\.codeValue)).count == all.count)
    }

    // MARK: - Options

    @Test func retainUIDsKeepsEveryUID() throws {
        let (original, output) = try TestEnvironment.deidentified("ct-explicit-le.dcm", options: [.retainUIDs])
        var checked = 0
        for visit in Self.visits(original) where visit.element.vr == .UI && !visit.insideReplaced
            && visit.outcome != nil && visit.outcome != .remove {
            #expect(output.dataSet.element(at: visit.path)?.bytes.map(Array.init) == visit.element.bytes.map(Array.init),
                    "\(visit.path)")
            checked += 1
        }
        #expect(checked >= 6)
        let sop = original.dataSet[Tag(0x0008, 0x0018)]?.string()
        #expect(output.meta[Tag(0x0002, 0x0003)]?.string() == sop)
        let referenced = try #require(TagPath(parsing: "(0008,1140)[0].(0008,1155)"))
        #expect(output.dataSet.element(at: referenced)?.string() == original.dataSet.element(at: referenced)?.string())
    }

    @Test func retainLongitudinalFullDatesKeepsDates() throws {
        let (original, output) = try TestEnvironment.deidentified("ct-explicit-le.dcm", options: [.retainLongitudinalFullDates])
        for tag in [Tag(0x0008, 0x0020), Tag(0x0008, 0x0021), Tag(0x0008, 0x0023), Tag(0x0008, 0x002A)] {
            #expect(output.dataSet[tag]?.string() == original.dataSet[tag]?.string(), "\(tag)")
        }
        #expect(output.dataSet[Tag(0x0028, 0x0303)]?.string() == "UNMODIFIED")
    }

    /// Dates move back by the patient's keyed number of days; intervals between them are kept.
    @Test(arguments: ["ct-explicit-le.dcm", "ct-explicit-be.dcm", "mr-explicit-le.dcm"])
    func retainLongitudinalModifiedDatesShiftsEveryDateByTheSameDays(_ name: String) throws {
        let (original, output) = try TestEnvironment.deidentified(name, options: [.retainLongitudinalModifiedDates])
        let expectedShift = DateShifter(secret: TestEnvironment.secret, patientID: "CANARY-PID-0001").days
        #expect(expectedShift >= 1)
        var shifts: [Int] = []
        for tag in [Tag(0x0008, 0x0020), Tag(0x0008, 0x0021), Tag(0x0008, 0x0022), Tag(0x0008, 0x0023),
                    Tag(0x0008, 0x002A)] {
            guard let before = original.dataSet[tag]?.string() else { continue }
            let after = try #require(output.dataSet[tag]?.string(), "\(name) \(tag) missing")
            #expect(after != before, "\(name) \(tag) not shifted")
            shifts.append(try Self.days(from: String(after.prefix(8)), to: String(before.prefix(8))))
            #expect(after.dropFirst(8) == before.dropFirst(8), "\(name) \(tag): time part changed")
        }
        #expect(shifts.count >= 3)
        #expect(shifts.allSatisfy { $0 == expectedShift }, "\(name): shifts \(shifts), expected \(expectedShift)")
        // Patient's Birth Date has no Modified Dates column in Table E.1-1: Z.
        #expect(output.dataSet[Tag(0x0010, 0x0030)]?.bytes?.isEmpty == true)
        #expect(output.dataSet[Tag(0x0028, 0x0303)]?.string() == "MODIFIED")
    }

    /// Days from `a` to `b`, both `YYYYMMDD` (proleptic Gregorian, via the Julian day number).
    static func days(from a: String, to b: String) throws -> Int {
        func julianDay(_ text: String) throws -> Int {
            let digits = Array(text.utf8).map { Int($0) - 48 }
            try #require(digits.count == 8 && digits.allSatisfy { (0...9).contains($0) }, "not a date: \(text)")
            let y = digits[0...3].reduce(0) { $0 * 10 + $1 }, m = digits[4] * 10 + digits[5], d = digits[6] * 10 + digits[7]
            let a = (14 - m) / 12, yy = y + 4800 - a, mm = m + 12 * a - 3
            return d + (153 * mm + 2) / 5 + 365 * yy + yy / 4 - yy / 100 + yy / 400 - 32045
        }
        return try julianDay(b) - julianDay(a)
    }

    @Test(arguments: ["ct-explicit-le.dcm", "ct-implicit-le.dcm", "ct-explicit-be.dcm", "ct-deflated.dcm"])
    func retainSafePrivateKeepsOnlyTheSafeBlock(_ name: String) throws {
        let registry = try #require(CanaryRegistry.shared)
        let safe = try #require(registry.safePrivateValues.first)
        let (_, output) = try TestEnvironment.deidentified(name, options: [.retainSafePrivate])
        let tag = try #require(safe.elementTag)
        #expect(output.dataSet[tag]?.string() == safe.value)
        #expect(output.dataSet[Tag(tag.group, 0x0010)]?.string() == "Philips PET Private Group")
        let otherPrivate = output.dataSet.elements.filter { $0.tag.isPrivate && $0.tag.group != tag.group }
        #expect(otherPrivate.isEmpty, "\(name): \(otherPrivate.map(\.tag)) kept")
        // Without the option the safe value goes too.
        let (_, basic) = try TestEnvironment.deidentified(name)
        #expect(basic.dataSet[tag] == nil && basic.dataSet[Tag(tag.group, 0x0010)] == nil)
    }

    struct Retention: Sendable, CustomTestStringConvertible {
        var option: ProfileOption
        var file: String
        var tags: [Tag]
        var testDescription: String { option.rawValue }
    }

    static let retentions: [Retention] = [
        Retention(option: .retainDeviceIdentity, file: "ct-explicit-le.dcm",
                  tags: [Tag(0x0008, 0x1010), Tag(0x0018, 0x1000), Tag(0x0018, 0x1002)]),
        Retention(option: .retainInstitutionIdentity, file: "ct-explicit-le.dcm",
                  tags: [Tag(0x0008, 0x0080), Tag(0x0008, 0x0081), Tag(0x0008, 0x1040)]),
        Retention(option: .retainPatientCharacteristics, file: "ct-explicit-le.dcm",
                  tags: [Tag(0x0010, 0x0040), Tag(0x0010, 0x1010), Tag(0x0010, 0x1020), Tag(0x0010, 0x1030)]),
    ]

    @Test(arguments: retentions)
    func retainOptionKeepsItsAttributes(_ retention: Retention) throws {
        let (original, output) = try TestEnvironment.deidentified(retention.file, options: [retention.option])
        let (_, basic) = try TestEnvironment.deidentified(retention.file)
        for tag in retention.tags {
            let value = try #require(original.dataSet[tag]?.string(), "\(tag) not in the fixture")
            #expect(output.dataSet[tag]?.string() == value, "\(retention.option) \(tag)")
            #expect(basic.dataSet[tag]?.string() != value, "\(tag) kept by the Basic Profile too")
        }
    }

    /// The Clean options have no cleaning rule for these fixtures' attributes except dates: each falls back to
    /// the Basic Profile, so nothing survives that the Basic Profile removes or replaces.
    @Test(arguments: [ProfileOption.cleanDescriptors, .cleanGraphics, .cleanStructuredContent],
          ["ct-explicit-le.dcm", "sr-basic-text-explicit-le.dcm", "rtstruct-explicit-le.dcm"])
    func cleanOptionKeepsNothingTheBasicProfileRemoves(_ option: ProfileOption, _ name: String) throws {
        let (original, output) = try TestEnvironment.deidentified(name, options: [option])
        let (_, basic) = try TestEnvironment.deidentified(name)
        for visit in Self.visits(original) where visit.element.sequence == nil {
            guard let before = visit.element.bytes, !before.isEmpty else { continue }
            let keptByOption = output.dataSet.element(at: visit.path)?.bytes.map(Array.init) == Array(before)
            let keptByBasic = basic.dataSet.element(at: visit.path)?.bytes.map(Array.init) == Array(before)
            #expect(!keptByOption || keptByBasic, "\(name) \(option) \(visit.path): original value kept")
        }
        let description = Tag(0x0008, 0x1030)
        #expect(output.dataSet[description]?.string() != original.dataSet[description]?.string())
    }

    // MARK: - Patient identity

    @Test func keyedPseudonymIsStablePerPatientAndSecret() throws {
        var ids: [String: String] = [:]
        for name in Self.fixtures {
            let (original, output) = try TestEnvironment.deidentified(name)
            let originalID = try #require(original.dataSet[Self.patientID]?.string())
            let newID = try #require(output.dataSet[Self.patientID]?.string())
            #expect(newID != originalID && !newID.contains("CANARY"))
            if let earlier = ids[originalID] { #expect(earlier == newID, "\(name): another pseudonym for the same patient") }
            ids[originalID] = newID
            let newName = try #require(output.dataSet[Self.patientName]?.string())
            #expect(!newName.contains("CANARY"), "\(name)")
        }
        #expect(ids.count == 3, "three patients in the fixtures")
        #expect(Set(ids.values).count == ids.count, "different patients share a pseudonym")

        let otherSecret = Deidentifier(settings: DeidentificationSettings(
            keys: MappingKeys(secret: Array("another secret".utf8)), recipients: Recipients([try TestEnvironment.certificate()])))
        let (other, _) = try TestEnvironment.deidentifyThroughBytes(try TestEnvironment.fixture("mr-explicit-le.dcm"), with: otherSecret)
        #expect(other.dataSet[Self.patientID]?.string() != ids["CANARY-PID-0001"])
    }

    static let lookupCSV = """
        original_patient_id,new_patient_id,new_patient_name,clinical_trial_subject_id
        CANARY-PID-0001,TRIAL-007,TRIAL^SUBJECT^007,SUBJ-007
        CANARY-PID-UTF8,TRIAL-008,,SUBJ-008

        """

    @Test func lookupTableReplacesIdentityAndInsertsClinicalTrialAttributes() throws {
        let table = try PatientLookupTable(csv: Self.lookupCSV)
        let subjectID = Tag(0x0012, 0x0040)
        for name in ["mr-explicit-le.dcm", "ct-explicit-le.dcm", "sc-utf8-explicit-le.dcm"] {
            let (original, output) = try TestEnvironment.deidentified(name, lookup: table)
            let utf8 = name.hasPrefix("sc-utf8")
            #expect(output.dataSet[Self.patientID]?.string() == (utf8 ? "TRIAL-008" : "TRIAL-007"), "\(name)")
            #expect(output.dataSet[Self.patientName]?.string() == (utf8 ? "TRIAL-008" : "TRIAL^SUBJECT^007"), "\(name)")
            #expect(output.dataSet[subjectID]?.string() == (utf8 ? "SUBJ-008" : "SUBJ-007"), "\(name)")

            // Re-identification puts back the original, or removes the attribute when the original lacked it.
            let restored = try Reidentifier(key: try TestEnvironment.key(), certificate: try TestEnvironment.certificate())
                .reidentify(output).file
            #expect(restored.dataSet[subjectID]?.string() == original.dataSet[subjectID]?.string(), "\(name)")
            #expect(restored.dataSet[Self.patientID]?.string() == original.dataSet[Self.patientID]?.string(), "\(name)")
        }
        let mr = try TestEnvironment.fixture("mr-explicit-le.dcm")
        #expect(mr.dataSet[subjectID] == nil, "the MR fixture must lack Clinical Trial Subject ID for this test")
    }

    @Test func patientMissingFromLookupTableIsRefusedWithoutNamingThePatient() throws {
        let table = try PatientLookupTable(csv: "original_patient_id,new_patient_id\nSOMEONE-ELSE,TRIAL-1\n")
        let deidentifier = try TestEnvironment.deidentifier(lookup: table)
        let file = try TestEnvironment.fixture("ct-explicit-le.dcm")
        do {
            _ = try deidentifier.deidentify(file)
            Issue.record("de-identified a patient missing from the lookup table")
        } catch {
            #expect(error.code == .patientNotInLookupTable)
            let message = error.description
            #expect(!message.contains("CANARY") && !message.contains("\n"), "message: \(message)")
        }
    }
}
