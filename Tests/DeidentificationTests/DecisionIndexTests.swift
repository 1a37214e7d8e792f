import DICOMCodec
import DICOMCore
import DICOMDictionary
import Deidentification
import Testing

/// Issue 23: the decisions that do not depend on the file are made once per run and reused for the next files;
/// a file must get exactly the decisions a fresh de-identifier makes for it, and a script's must stay its own.
struct DecisionIndexTests {
    static let optionSets: [Set<ProfileOption>] = [
        [], [.cleanDescriptors, .retainSafePrivate, .retainLongitudinalModifiedDates, .cleanStructuredContent],
    ]

    @Test(arguments: optionSets)
    func aFileGetsTheDecisionsOfAFreshDeidentifierAfterOthers(options: Set<ProfileOption>) throws {
        let warm = try TestEnvironment.deidentifier(options: options)
        let files = try TestEnvironment.fixtureNames.map { ($0, try TestEnvironment.fixture($0)) }
        for (_, file) in files { _ = try? warm.plan(file) }
        var compared = 0
        for (name, file) in files {
            guard let expected = try? TestEnvironment.deidentifier(options: options).plan(file) else { continue }
            let plan = try warm.plan(file)
            #expect(plan.edits.map(\.path) == expected.edits.map(\.path), "\(name)")
            #expect(plan.edits.map(\.decision) == expected.edits.map(\.decision), "\(name)")
            #expect(plan.kept.map(\.path) == expected.kept.map(\.path), "\(name)")
            #expect(plan.kept.map(\.decision) == expected.kept.map(\.decision), "\(name)")
            #expect(plan.keptCount == expected.keptCount, "\(name)")
            compared += 1
        }
        #expect(compared >= 10)
    }

    /// One profile serving a run with a lookup table and one without (a pseudonym's source differs).
    @Test func aProfileSharedWithALookupTableRunDecidesForEach() throws {
        let profile = Profile(options: [])
        func deidentifier(_ lookup: PatientLookupTable?) throws -> Deidentifier {
            Deidentifier(settings: DeidentificationSettings(
                policy: DeidentificationPolicy(profile: profile),
                keys: MappingKeys(secret: TestEnvironment.secret, patientLookup: lookup),
                recipients: Recipients([try TestEnvironment.certificate()])))
        }
        let table = try PatientLookupTable(csv: "original_patient_id,new_patient_id\nCANARY-PID-0001,TRIAL-007\n")
        let file = try TestEnvironment.fixture("mr-explicit-le.dcm")
        let without = try deidentifier(nil).plan(file)
        let with = try deidentifier(table).plan(file)
        let fresh = try TestEnvironment.deidentifier(lookup: table).plan(file)
        #expect(with.edits.map(\.decision) == fresh.edits.map(\.decision))
        #expect(with.edits.map(\.decision) != without.edits.map(\.decision))
    }

    /// Empties Institution Name when it holds "SECRET", keeps it otherwise: a decision made from the value.
    struct EmptiesSecrets: ElementScript {
        func evaluate(_ element: DataElement, in context: ScriptContext) throws(DeidentificationError) -> ScriptOutcome {
            (element.string(context.characterSet) ?? "").contains("SECRET") ? .empty : .keep
        }
    }

    @Test func aScriptDecidesForEachFile() throws {
        let rules = [Rule(.tag(.institutionName), .script(EmptiesSecrets()), origin: .builtIn("test script")),
                     Rule(.everythingElse, .keep, origin: .builtIn("keep everything"))]
        let profile = Profile(options: [], rules: rules, name: "script test")
        let deidentifier = Deidentifier(settings: DeidentificationSettings(
            policy: DeidentificationPolicy(profile: profile),
            keys: MappingKeys(secret: TestEnvironment.secret),
            recipients: Recipients([try TestEnvironment.certificate()])))
        var file = try TestEnvironment.fixture("ct-explicit-le.dcm")
        for (value, emptied) in [("PLAIN HOSPITAL", false), ("SECRET HOSPITAL", true), ("PLAIN AGAIN", false)] {
            file.dataSet.set(DataElement(tag: .institutionName, vr: .LO, string: value))
            let plan = try deidentifier.plan(file)
            let edit = plan.edits.first { $0.path == TagPath(.institutionName) }
            #expect((edit?.decision.action == .empty) == emptied, "\(value)")
        }
    }
}
