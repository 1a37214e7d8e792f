import CTPScript
import DICOMCodec
import DICOMCore
import DICOMDictionary
import DICOMTestSupport
import Deidentification
import Foundation
import ProfileFiles
import Testing

/// The native YAML profile format: the shipped example applied and reversed, and every kind of bad file
/// refused with one line naming the file, the line and the rule.
struct NativeProfileTests {
    static let functions = ProfileRequest.functionCompiler(keyedBy: nil)

    static var examplePath: String { ProfileTestSupport.profiles.appendingPathComponent("examples/site-profile.yaml").path }

    @Test func exampleProfileReads() throws {
        let definition = try NativeProfileParser.load(path: Self.examplePath, functions: Self.functions)
        #expect(definition.base == .basic)
        #expect(definition.options == [.retainLongitudinalModifiedDates, .retainPatientCharacteristics])
        #expect(definition.parameters == ["SITE": "Example Site 07"])
        // 6 rules of its own, then the 130 entries of the E.3.10-1 safe list.
        #expect(definition.rules.count == 6 + 130)
        guard case .file(let path, let line) = definition.rules[0].origin else {
            Issue.record("rule without a file origin")
            return
        }
        #expect(path == Self.examplePath)
        #expect(line == 15)
    }

    @Test(arguments: ProfileTestSupport.fixtureNames)
    func exampleProfileAppliesAndReverses(_ name: String) throws {
        let profile = try NativeProfileParser.load(path: Self.examplePath, functions: Self.functions).makeProfile(name: "site-profile.yaml")
        let deidentifier = try ProfileTestSupport.deidentifier(profile: profile)
        let original = try ProfileTestSupport.fixture(name)
        let (output, restored) = try ProfileTestSupport.roundTrip(original, deidentifier)
        let ds = output.dataSet
        #expect(restored == (try ProfileTestSupport.expectedRestoration(original)), "not restored byte for byte")
        if let description = original.dataSet[.studyDescription]?.string() {
            #expect(ds[.studyDescription]?.string() == description, "StudyDescription kept by the profile")
        }
        if let accession = original.dataSet[.accessionNumber]?.string() {
            #expect(ds[.accessionNumber]?.string() == CTPFunctions.hash(accession, maxLength: 16), "CTP's @hash")
        }
        if original.dataSet.contains(.institutionName) {
            #expect(ds[.institutionName]?.string() == "Example Site 07")
        }
        // Rules the file does not override still come from the Basic Profile.
        #expect(ds[.patientID]?.string() != original.dataSet[.patientID]?.string())
        #expect(ds[.patientIdentityRemoved]?.string() == "YES")
        #expect(ds[.deidentificationMethod]?.string()?.contains("site-profile.yaml") == true)
        #expect(!ds.contains(.deidentificationMethodCodeSequence), "a site profile claims no CID 7050 codes")
        if let date = original.dataSet[.studyDate]?.string(), !date.isEmpty {
            let shifted = ds[.studyDate]?.string()
            #expect(shifted != nil && shifted != date, "StudyDate shifted (Modified Dates option)")
        }
    }

    @Test func dryRunOriginNamesTheFileAndLine() throws {
        let profile = try NativeProfileParser.load(path: Self.examplePath, functions: Self.functions).makeProfile(name: "site-profile.yaml")
        let plan = try ProfileTestSupport.deidentifier(profile: profile).plan(try ProfileTestSupport.fixture("ct-explicit-le.dcm"))
        let institution = plan.edits.first { $0.path.lastTag == .institutionName }
        #expect(institution?.decision.origin == .file(path: Self.examplePath, line: 20))
        #expect(institution?.decision.action == .replace)
        let study = plan.kept.first { $0.path.lastTag == .studyDescription }
        #expect(study?.decision.origin == .file(path: Self.examplePath, line: 15))
        let patientID = plan.edits.first { $0.path.lastTag == .patientID }
        #expect(patientID?.decision.origin == .builtIn("Patient ID pseudonym"))
    }

    @Test func privateDispositionsMatchByCreatorWhereverTheBlockSits() throws {
        let csv = """
        group,private_creator,element,action,vr,comment
        0019,ACME TEST,0C,keep,DS,a harmless number
        0019,ACME TEST,0D,remove,LO,a name
        """
        let path = try ProfileTestSupport.temporaryFile("dispositions.csv", csv)
        let yaml = "version: 1\nbase: basic\nprivate-dispositions: [\(path)]\n"
        let profile = try NativeProfileParser.parse(yaml, file: "p.yaml").makeProfile(name: "p.yaml")
        var file = try ProfileTestSupport.fixture("ct-explicit-le.dcm")
        // The same creator in block 0x10 and in block 0x12; another creator in block 0x11.
        for (creatorTag, creator) in [(Tag(0x0019, 0x0010), "ACME TEST"), (Tag(0x0019, 0x0011), "OTHER"),
                                      (Tag(0x0019, 0x0012), "ACME TEST ")] {
            file.dataSet.set(DataElement(tag: creatorTag, vr: .LO, string: creator))
        }
        for tag in [Tag(0x0019, 0x100C), Tag(0x0019, 0x100D), Tag(0x0019, 0x110C), Tag(0x0019, 0x120C), Tag(0x0019, 0x120D)] {
            file.dataSet.set(DataElement(tag: tag, vr: .LO, string: "FAKE-\(tag.element)"))
        }
        let (output, restored) = try ProfileTestSupport.roundTrip(file, try ProfileTestSupport.deidentifier(profile: profile))
        let ds = output.dataSet
        #expect(ds.contains(Tag(0x0019, 0x100C)))
        #expect(ds.contains(Tag(0x0019, 0x120C)))
        #expect(!ds.contains(Tag(0x0019, 0x100D)))
        #expect(!ds.contains(Tag(0x0019, 0x120D)))
        #expect(!ds.contains(Tag(0x0019, 0x110C)), "same element byte under another creator")
        #expect(ds.contains(Tag(0x0019, 0x0010)) && ds.contains(Tag(0x0019, 0x0012)), "creators of kept blocks stay")
        #expect(!ds.contains(Tag(0x0019, 0x0011)), "creator of a removed block goes")
        #expect(restored == (try ProfileTestSupport.expectedRestoration(file)))
        let plan = try ProfileTestSupport.deidentifier(profile: profile).plan(file)
        #expect(plan.removedPrivateByCreator["OTHER"] == 1)
    }

    /// A kept private sequence is cleaned inside also when an implicit VR file gives it VR UN (CP-246).
    @Test(arguments: ["ct-implicit-le.dcm", "ct-explicit-le.dcm"])
    func keptPrivateSequenceIsCleanedInside(_ name: String) throws {
        let profile = try NativeProfileParser.parse("version: 1\nbase: basic\nrules:\n  - match: private\n    action: keep\n", file: "p.yaml")
            .makeProfile(name: "p.yaml")
        let original = try ProfileTestSupport.fixture(name)
        let sequenceTag = Tag(0x0009, 0x1005)
        let originalNames = (original.dataSet[sequenceTag]?.sequence?.items ?? []).compactMap { $0.dataSet[.patientName]?.string() }
        #expect(!originalNames.isEmpty, "the fixture has a Patient's Name inside (0009,1005)")
        let (output, restored) = try ProfileTestSupport.roundTrip(original, try ProfileTestSupport.deidentifier(profile: profile))
        let names = (output.dataSet[sequenceTag]?.sequence?.items ?? []).compactMap { $0.dataSet[.patientName]?.string() }
        #expect(names.count == originalNames.count)
        #expect(Set(names).isDisjoint(with: originalNames), "\(names)")
        #expect(restored == (try ProfileTestSupport.expectedRestoration(original)))
    }

    /// Issue 22: a profile with `base: none` still gets the safety every profile has. Patient Identity Removed
    /// is YES only when nothing identifying was kept, the originals are encrypted and restored, and private
    /// attributes no rule names go even though the catch-all keeps everything else.
    @Test func baseNoneProfileKeepsTheSafetyRules() throws {
        let yaml = """
        version: 1
        base: none
        rules:
          - match: PatientID
            action: set
            value: ANON
          - match: group 0010
            action: remove
          - match: (0019,"ACME TEST",0C)
            action: keep
          - match: everything-else
            action: keep
        """
        let profile = try NativeProfileParser.parse(yaml, file: "none.yaml").makeProfile(name: "none.yaml")
        var file = try ProfileTestSupport.fixture("ct-explicit-le.dcm")
        file.dataSet.set(DataElement(tag: Tag(0x0019, 0x0010), vr: .LO, string: "ACME TEST"))
        file.dataSet.set(DataElement(tag: Tag(0x0019, 0x100C), vr: .DS, string: "42"))
        file.dataSet.set(DataElement(tag: Tag(0x0019, 0x100D), vr: .LO, string: "SMITH^JOHN"))
        file.dataSet.set(DataElement(tag: Tag(0x0029, 0x0010), vr: .LO, string: "OTHER"))
        file.dataSet.set(DataElement(tag: Tag(0x0029, 0x1001), vr: .LO, string: "SMITH^JOHN"))
        file.dataSet.set(DataElement(tag: Tag(0x0000, 0x0902), vr: .LO, string: "SMITH^JOHN"))
        let deidentifier = try ProfileTestSupport.deidentifier(profile: profile)
        let (output, restored) = try ProfileTestSupport.roundTrip(file, deidentifier)
        let ds = output.dataSet
        #expect(ds[.patientIdentityRemoved]?.string() == "YES", "nothing identifying kept: YES is earned")
        #expect(ds[.encryptedAttributesSequence]?.sequence?.items.count == 1, "the originals are encrypted")
        #expect(restored == (try ProfileTestSupport.expectedRestoration(file)), "not restored byte for byte")
        #expect(ds.contains(Tag(0x0019, 0x100C)), "a private attribute a rule names is kept")
        #expect(ds.contains(Tag(0x0019, 0x0010)), "with its creator")
        #expect(!ds.contains(Tag(0x0019, 0x100D)), "an unnamed private attribute of a kept block goes")
        #expect(!ds.contains(Tag(0x0029, 0x1001)) && !ds.contains(Tag(0x0029, 0x0010)), "an unnamed private block goes")
        #expect(!ds.contains(Tag(0x0000, 0x0902)), "command group elements go")
        let plan = try deidentifier.plan(file)
        #expect(plan.removedPrivateByCreator["OTHER"] == 1)
        #expect(plan.removedPrivateByCreator["ACME TEST"] == 1)

        // The same profile keeping Patient's Name earns NO, not YES.
        let keepingName = yaml.replacingOccurrences(of: "  - match: group 0010", with: "  - match: PatientName\n    action: keep\n  - match: group 0010")
        let keeping = try NativeProfileParser.parse(keepingName, file: "none.yaml").makeProfile(name: "none.yaml")
        let kept = try ProfileTestSupport.deidentifier(profile: keeping).deidentify(file).file.dataSet
        #expect(kept[.patientIdentityRemoved]?.string() == "NO")
    }

    // MARK: - Bad files

    @Test(arguments: [
        ("version: 1\nbase: basic\nrules:\n  - match: [unclosed\n", "p.yaml:5: malformed YAML"),
        // Found by fuzzing: Yams read this as a base-60 integer and trapped on the overflow.
        ("version: 44444:44444444444:5::444:4444444:5\nbase: basic\n", "p.yaml:1: unsupported version"),
        ("version: 2\n", "p.yaml:1: unsupported version"),
        ("version: 1\nbase: basic\nrules:\n  - match: StudyDescription\n    action: keep\n  - match: PatientName\n    action: frobnicate\n",
         "p.yaml:6: rule 2: unknown action 'frobnicate'"),
        ("version: 1\nbase: basic\nrules:\n  - match: (0010,00ZZ)\n    action: keep\n", "p.yaml:4: rule 1: cannot read match '(0010,00ZZ)'"),
        ("version: 1\nbase: basic\nrules:\n  - match: NoSuchKeyword\n    action: keep\n", "p.yaml:4: rule 1: cannot read match 'NoSuchKeyword'"),
        ("version: 1\nbase: basic\noptions: [retainEverything]\n", "p.yaml:3: unknown option 'retainEverything'"),
        ("version: 1\nbase: basic\nrulez: []\n", "p.yaml:3: unknown key 'rulez'"),
        ("version: 1\nbase: medium\n", "p.yaml:2: base must be 'basic' or 'none'"),
        ("version: 1\nbase: basic\nrules:\n  - match: InstitutionName\n    action: set\n    value: \"{SITE}\"\n",
         "p.yaml:4: rule 1: unknown parameter {SITE}"),
        ("version: 1\nbase: basic\nrules:\n  - match: InstitutionName\n    action: set\n", "p.yaml:4: rule 1: action set needs a value:"),
        ("version: 1\nbase: none\nrules:\n  - match: PatientName\n    action: remove\n", "p.yaml: a profile with base: none must have an 'everything-else' rule"),
        ("- just\n- a list\n", "p.yaml:1: the profile must be a mapping"),
        ("version: 1\nbase: basic\nrules:\n  - match: AccessionNumber\n    action: function\n    value: \"@frobnicate(this)\"\n",
         "p.yaml:4: function '@frobnicate(this)': unknown function @frobnicate"),
        ("version: 1\nbase: basic\nprivate-dispositions: [/nonexistent/d.csv]\n", "/nonexistent/d.csv: cannot read private dispositions"),
        // Issue 24: a missing version, set values the VR cannot hold, rules that can never match, a profile that
        // removes what every output needs, and template placeholders left in place.
        ("base: basic\n", "p.yaml: no version: (write 'version: 1' first)"),
        ("version: 1\nbase: basic\nrules:\n  - match: InstitutionName\n    action: set\n    value: \"" + String(repeating: "A", count: 88) + "\"\n",
         "p.yaml:4: rule 1: value of set: '" + String(repeating: "A", count: 88) + "' does not fit the VR LO of (0008,0080): 88 characters, at most 64"),
        ("version: 1\nbase: basic\nrules:\n  - match: StudyDate\n    action: set\n    value: not-a-date\n",
         "p.yaml:4: rule 1: value of set: 'not-a-date' does not fit the VR DA of (0008,0020): not a date YYYYMMDD"),
        ("version: 1\nbase: basic\nrules:\n  - match: PatientSex\n    action: set\n    value: x\n",
         "p.yaml:4: rule 1: value of set: 'x' does not fit the VR CS"),
        ("version: 1\nbase: none\nrules:\n  - match: everything-else\n    action: keep\n  - match: StudyDescription\n    action: remove\n",
         "p.yaml:6: rule 2 can never match: the earlier rule at p.yaml:4 (everything else)"),
        ("version: 1\nbase: basic\nrules:\n  - match: PatientName\n    action: remove\n  - match: (0010,0010)\n    action: keep\n",
         "p.yaml:6: rule 2 can never match"),
        ("version: 1\nbase: basic\nrules:\n  - match: group 0010\n    action: remove\n  - match: PatientSex\n    action: keep\n",
         "p.yaml:6: rule 2 can never match"),
        ("version: 1\nbase: basic\nrules:\n  - match: (50xx,xxxx)\n    action: remove\n  - match: (5000,3000)\n    action: keep\n",
         "p.yaml:6: rule 2 can never match"),
        ("version: 1\nbase: none\nprivate-dispositions: [d.csv]\nrules:\n  - match: everything-else\n    action: keep\n",
         "p.yaml:3: private-dispositions can never match"),
        ("version: 1\nbase: basic\nrules:\n  - match: SOPInstanceUID\n    action: remove\n",
         "p.yaml:4: the rule for (0008,0018) removes (0008,0018) SOP Instance UID, which every output needs"),
        ("version: 1\nbase: none\nrules:\n  - match: group 0008\n    action: empty\n  - match: everything-else\n    action: keep\n",
         "p.yaml:4: the rule for group 0008 removes (0008,0016) SOP Class UID"),
        ("version: 1\nbase: none\nrules:\n  - match: everything-else\n    action: remove\n",
         "p.yaml:4: the rule for everything else removes (0008,0016) SOP Class UID"),
        ("version: 1\nbase: basic\nparameters:\n  SITE: Insert your site name\n", "p.yaml:4: parameter SITE is still the placeholder of the template ('insert your')"),
        ("version: 1\nbase: basic\nparameters:\n  ROOT: 1.2.3.xxxx\n", "p.yaml:4: parameter ROOT is still the placeholder"),
        ("version: 1\nbase: basic\nparameters:\n  P: ABCD-WXYZ\n", "p.yaml:4: parameter P is still the placeholder"),
        ("version: 1\nbase: basic\nparameters:\n  ROOT: 1.2.abc\nrules:\n  - match: StudyInstanceUID\n    action: function\n    value: \"@hashuid(@ROOT,this)\"\n",
         "p.yaml:6: function '@hashuid(@ROOT,this)': parameter ROOT, the UID root of @hashuid: not a UID root"),
        ("version: 1\nbase: basic\nrules:\n  - match: AccessionNumber\n    action: function\n    value: \"@lookup(this,acc)\"\n",
         "p.yaml:4: function '@lookup(this,acc)': @lookup needs a lookup table"),
        // Nesting a YAML parser would recurse into until the stack runs out: refused first.
        ("version: 1\nbase: basic\nrules: " + String(repeating: "[", count: 100_000), "p.yaml:3: nested deeper than 64 levels"),
        ("version: 1\nbase: basic\nrules:\n" + String(repeating: "- ", count: 100_000) + "x\n", "p.yaml:4: nested too deeply"),
    ])
    func badProfilesGiveOneLineErrors(_ text: String, _ expected: String) {
        do {
            _ = try NativeProfileParser.parse(text, file: "p.yaml", functions: Self.functions)
            Issue.record("accepted: \(text)")
        } catch {
            #expect(error.description.hasPrefix(expected), "\(error.description)")
            #expect(!error.description.contains("\n"))
        }
    }

    @Test(arguments: [
        ("group,creator,element,action\n", "d.csv:1: the header must be"),
        ("group,private_creator,element,action\n0018,ACME,0C,keep\n", "d.csv:2: group '0018' is not an odd (private) group"),
        ("group,private_creator,element,action\n0019,ACME,0G,keep\n", "d.csv:2: element '0G' is not an element byte"),
        ("group,private_creator,element,action\n0019,ACME,0C,shred\n", "d.csv:2: unknown action 'shred'"),
        ("group,private_creator,element,action\n0019,ACME,0C,keep\n0019,ACME,0C,remove\n", "d.csv:3: (0019,\"ACME\",0C) is listed twice (first on line 2)"),
        ("group,private_creator,element,action\n0019,\"ACME,0C,keep\n", "d.csv:2: unbalanced double quote"),
        ("", "d.csv: no header line"),
    ])
    func badDispositionFilesGiveOneLineErrors(_ text: String, _ expected: String) {
        do {
            _ = try PrivateDispositions.parse(text, file: "d.csv")
            Issue.record("accepted: \(text)")
        } catch {
            #expect(error.description.hasPrefix(expected), "\(error.description)")
        }
    }

    @Test func shippedSafeListReadsAsDispositions() throws {
        let rules = try PrivateDispositions.load(path: ProfileTestSupport.profiles.appendingPathComponent("private/ps3.15-e.3.10-1-safe.csv").path)
        #expect(rules.count == 130)
        // Every entry agrees with the generated Table E.3.10-1 the Retain Safe Private Option uses.
        for rule in rules {
            guard case .privateAttribute(let key) = rule.matcher else {
                Issue.record("not a private attribute rule")
                continue
            }
            #expect(SafePrivateAttributes.isSafe(creator: key.creator, group: key.group, elementByte: key.elementByte), "\(key)")
        }
    }
}

