import CTPScript
import DICOMCodec
import DICOMCore
import DICOMDictionary
import DICOMTestSupport
import Deidentification
import Foundation
import MappingStore
import ProfileFiles
import Testing

/// CTP scripts run as dicom-deid profiles: RICORD and CTP's TCIA-Basic reversed byte for byte on every
/// fixture and pydicom corpus file, applied inside sequences too, and bad scripts refused before anything.
struct CTPProfileTests {
    static let ricord = ProfileTestSupport.profiles.appendingPathComponent("ricord/ricord.script").path
    static let tcia = ProfileTestSupport.profiles.appendingPathComponent("ctp/TCIA-Basic.script").path
    static let ricordParameters = ["SITEID": "RICORD-07", "UIDROOT": "1.2.826.0.1.3680043.10.999"]
    static let tciaParameters = ["DATEINC": "-2000", "BODYPART": "CHEST", "SHORTNAME": "TST", "SITEID": "07",
                                 "SITENAME": "TEST SITE", "PROJECTNAME": "TEST-PROJECT",
                                 "UIDROOT": "1.2.826.0.1.3680043.10.998"]

    static var corpus: [String] { PydicomCorpus.files }

    static var inputs: [String] {
        ProfileTestSupport.fixtureNames.map { RepositoryPaths.fixtures.appendingPathComponent($0).path } + corpus
    }

    static func mappingDatabase() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("ctp-map-\(UUID().uuidString).sqlite").path
    }

    /// RICORD with a fresh SQLite mapping database.
    static func ricordProfile(database: String = mappingDatabase()) throws -> Profile {
        let environment = CTPEnvironment(integers: try SQLiteIntegerStore(path: database), now: Date(timeIntervalSince1970: 1_700_000_000))
        return try CTPProfile.load(path: ricord, parameters: ricordParameters, environment: environment)
    }

    /// TCIA-Basic, whose Patient ID and Name come from a lookup table: one made for `files`.
    static func tciaProfile(for files: [Part10File]) throws -> Profile {
        var lookup = LookupTable()
        for (index, file) in files.enumerated() {
            let id = file.dataSet[.patientID]?.string(SpecificCharacterSet(file.dataSet[.specificCharacterSet])) ?? ""
            lookup.set("TST-\(index)", type: "ptid", key: id)
        }
        let environment = CTPEnvironment(lookup: lookup, now: Date(timeIntervalSince1970: 1_700_000_000))
        return try CTPProfile.load(path: tcia, parameters: tciaParameters, environment: environment)
    }

    /// Every UID value at any depth of `dataSet` that the standard does not register, SOP Class UIDs aside
    /// and Coding Scheme UIDs (a private SOP Class or coding scheme identifies a kind of thing, not a patient).
    static func instanceUIDs(_ dataSet: DataSet) -> Set<String> {
        var found = Set<String>()
        for element in dataSet.elements {
            if let sequence = element.sequence {
                for item in sequence.items { found.formUnion(instanceUIDs(item.dataSet)) }
            } else if element.vr == .UI, element.tag != .sopClassUID, element.tag != Tag(0x0008, 0x1150), element.tag != Tag(0x0008, 0x010C) {
                for uid in element.strings() where uid.count > 20 && !uid.hasPrefix("1.2.840.10008.") { found.insert(uid) }
            }
        }
        return found
    }

    static func allValues(_ dataSet: DataSet) -> [String] {
        dataSet.elements.flatMap { element -> [String] in
            if let sequence = element.sequence { return sequence.items.flatMap { allValues($0.dataSet) } }
            return element.vr == .UI ? element.strings() : []
        }
    }

    @Test func inputsAreAvailable() {
        #expect(Self.corpus.count > 100, "pip install pydicom==3.0.2 provides the corpus")
    }

    @Test func ricordRoundTripsEveryFixtureAndCorpusFile() throws {
        let profile = try Self.ricordProfile()
        let deidentifier = try ProfileTestSupport.deidentifier(profile: profile)
        var accepted = 0
        for path in Self.inputs {
            guard let original = try? Part10Reader.read(contentsOf: path),
                  let result = try? deidentifier.deidentify(original) else { continue }
            let (output, restored) = try ProfileTestSupport.reidentify(result)
            #expect(restored == (try ProfileTestSupport.expectedRestoration(original)), "\(path) not restored byte for byte")
            let ds = output.dataSet
            if original.dataSet.contains(.patientID) {
                #expect(ds[.patientID]?.string()?.hasPrefix("RICORD-07-") == true, "\(path)")
            }
            #expect(!ds.elements.contains { $0.tag.isPrivate && $0.tag.group != 0x0401 }, "\(path): private attribute kept")
            // Better than CTP: UIDs inside sequences are replaced or removed too.
            let leaked = Self.instanceUIDs(original.dataSet).intersection(Self.allValues(ds))
            #expect(leaked.isEmpty, "\(path): original UIDs left: \(leaked.count)")
            accepted += 1
        }
        #expect(accepted > 100, "only \(accepted) inputs de-identified under RICORD")
    }

    @Test func tciaBasicRoundTripsEveryFixtureAndCorpusFile() throws {
        let files = Self.inputs.compactMap { try? Part10Reader.read(contentsOf: $0) }
        let deidentifier = try ProfileTestSupport.deidentifier(profile: try Self.tciaProfile(for: files))
        var accepted = 0
        for original in files {
            guard let result = try? deidentifier.deidentify(original) else { continue }
            let (output, restored) = try ProfileTestSupport.reidentify(result)
            #expect(restored == (try ProfileTestSupport.expectedRestoration(original)), "not restored byte for byte")
            let ds = output.dataSet
            if original.dataSet.contains(.patientID) {
                #expect(ds[.patientID]?.string()?.hasPrefix("TST-") == true)
            }
            // The script's @always block (0013,"CTP") is added, and re-identification takes it away again.
            if !original.dataSet.contains(Tag(0x0013, 0x0010)) {
                #expect(ds[Tag(0x0013, 0x0010)]?.string() == "CTP")
                #expect(ds[Tag(0x0013, 0x1010)]?.string() == "TEST-PROJECT")
            }
            accepted += 1
        }
        #expect(accepted > 100, "only \(accepted) inputs de-identified under TCIA-Basic")
    }

    @Test func integersAreSequentialPerPatientAndStableAcrossRuns() throws {
        let database = Self.mappingDatabase()
        let first = try ProfileTestSupport.deidentifier(profile: try Self.ricordProfile(database: database))
        let a = try first.deidentify(try ProfileTestSupport.fixture("ct-explicit-le.dcm")).file.dataSet[.patientID]?.string()
        let b = try first.deidentify(try ProfileTestSupport.fixture("sc-latin1-explicit-le.dcm")).file.dataSet[.patientID]?.string()
        let again = try ProfileTestSupport.deidentifier(profile: try Self.ricordProfile(database: database))
        let a2 = try again.deidentify(try ProfileTestSupport.fixture("ct-explicit-le.dcm")).file.dataSet[.patientID]?.string()
        #expect(a == a2, "the same patient gets the same number in a later run")
        #expect(a != b)
        #expect(a?.hasPrefix("RICORD-07-") == true)
    }

    @Test func keyedHashesDifferFromCTPs() throws {
        let file = try ProfileTestSupport.fixture("ct-explicit-le.dcm")
        let plain = try ProfileTestSupport.deidentifier(profile: try Self.ricordProfile()).deidentify(file).file.dataSet
        let keyedEnvironment = CTPEnvironment(functions: CTPStandardFunctions(key: Array("k".utf8)),
                                              integers: try SQLiteIntegerStore(path: Self.mappingDatabase()))
        let keyed = try ProfileTestSupport.deidentifier(
            profile: try CTPProfile.load(path: Self.ricord, parameters: Self.ricordParameters, environment: keyedEnvironment))
            .deidentify(file).file.dataSet
        #expect(plain[.studyInstanceUID]?.string() != keyed[.studyInstanceUID]?.string())
        #expect(plain[.studyInstanceUID]?.string() == CTPFunctions.hashUID(
            prefix: "1.2.826.0.1.3680043.10.999.", uid: file.dataSet[.studyInstanceUID]?.string() ?? ""))
    }

    @Test func dryRunOriginNamesTheScriptLine() throws {
        let plan = try ProfileTestSupport.deidentifier(profile: try Self.ricordProfile()).plan(try ProfileTestSupport.fixture("ct-explicit-le.dcm"))
        let study = plan.edits.first { $0.path.lastTag == .studyInstanceUID }
        guard case .file(let path, let line)? = study?.decision.origin else {
            Issue.record("no script origin for StudyInstanceUID")
            return
        }
        #expect(path == Self.ricord)
        let lines = try String(contentsOfFile: Self.ricord, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines[line - 1].contains("0020000D") || lines[line - 1].contains("0020000d"), "\(lines[line - 1])")
    }

    /// A script runs in every item too, and a nested date is shifted with its patient's shift: an element
    /// the item lacks (the Patient ID) is read from the top level.
    @Test func nestedDatesAreShiftedWithThePatientsShift() throws {
        let script = """
        <script>
        <e en="T" t="00100020" n="PatientID">@keep()</e>
        <e en="T" t="00400275" n="RequestAttributesSequence">@keep()</e>
        <e en="T" t="00400002" n="ScheduledProcedureStepStartDate">@hashdate(this,PatientID)</e>
        </script>
        """
        let profile = try CTPProfile.make(script, file: "nested.script", parameters: [:], environment: CTPEnvironment())
        var file = try ProfileTestSupport.fixture("ct-explicit-le.dcm")
        let item = Item(dataSet: DataSet([DataElement(tag: Tag(0x0040, 0x0002), vr: .DA, string: "20240115")]))
        file.dataSet.set(DataElement(tag: Tag(0x0040, 0x0275), vr: .SQ, value: .sequence(SequenceOfItems(items: [item]))))
        let patientID = try #require(file.dataSet[.patientID]?.string())
        let (output, restored) = try ProfileTestSupport.roundTrip(file, try ProfileTestSupport.deidentifier(profile: profile))
        let nested = output.dataSet[Tag(0x0040, 0x0275)]?.sequence?.items.first?.dataSet[Tag(0x0040, 0x0002)]?.string()
        #expect(nested == CTPFunctions.hashDate("20240115", hashOf: patientID))
        #expect(restored == (try ProfileTestSupport.expectedRestoration(file)))
    }

    // MARK: - Refused before anything is touched

    @Test(arguments: [
        ("<script><e en=\"T\" t=\"00100010\" n=\"PatientName\">@frobnicate(this)</e></script>", "s.script:1: element (0010,0010) PatientName:"),
        ("<script><e en=\"T\" t=\"00100010\" n=\"PatientName\">@encrypt(this,@KEY)</e></script>", "s.script:1: element (0010,0010) PatientName:"),
        ("<script><e en=\"T\" t=\"00100010\" n=\"PatientName\">@hash(this,@MISSING)</e></script>", "s.script:1: element (0010,0010) PatientName:"),
        ("<script><e en=\"T\" t=\"0010001\" n=\"PatientName\">@remove()</e></script>", "s.script:1:"),
        ("<script><e en=\"T\" t=\"00100010\" n=\"PatientName\">@remove()</e>", "s.script"),
        ("<script>\n<p t=\"SITEID\">REPLACE-WITH-SITE-ID</p>\n<e en=\"T\" t=\"00100020\" n=\"PatientID\">@param(@SITEID)</e></script>",
         "s.script:2: parameter SITEID is still the placeholder"),
        ("<script><e en=\"T\" t=\"00100010\" n=\"PatientName\">" + String(repeating: "@if(this,isblank){", count: 20_000)
            + "x" + String(repeating: "}{y}", count: 20_000) + "</e></script>",
         "s.script:1: element (0010,0010) PatientName: clauses nested deeper than 32 levels"),
        ("<script>\n<e en=\"T\" t=\"00100020\" n=\"PatientID\">@integer(this,ptid,6)</e></script>",
         "s.script:2: element (0010,0020) PatientID: @integer needs a mapping database"),
        // Issue 24: placeholders of every shipped template, UID roots that are none, @lookup without a table,
        // a script removing what every output needs, entity declarations.
        ("<script>\n<p t=\"UIDROOT\">1.3.6.1.4.1.14519.5.2.1.xxxx.xxxx Insert your UID root</p>\n<e en=\"T\" t=\"00080018\" n=\"SOPInstanceUID\">@hashuid(@UIDROOT,this)</e></script>",
         "s.script:2: parameter UIDROOT is still the placeholder of the template ('xxxx')"),
        ("<script>\n<p t=\"PROJECTNAME\">ABCD-WXYZ</p>\n</script>", "s.script:2: parameter PROJECTNAME is still the placeholder"),
        ("<script>\n<p t=\"UIDROOT\">1.2.abc</p>\n<e en=\"T\" t=\"00080018\" n=\"SOPInstanceUID\">@hashuid(@UIDROOT,this)</e></script>",
         "s.script:2: parameter UIDROOT, the UID root of @hashuid: not a UID root"),
        ("<script>\n<p t=\"UIDROOT\">1.2.03.4</p>\n<e en=\"T\" t=\"00080018\" n=\"SOPInstanceUID\">@hashuid(@UIDROOT,this)</e></script>",
         "s.script:2: parameter UIDROOT, the UID root of @hashuid: not a UID root (a component with a leading zero)"),
        ("<script>\n<e en=\"T\" t=\"00100020\" n=\"PatientID\">@lookup(this,ptid)</e></script>",
         "s.script:2: element (0010,0020) PatientID: @lookup needs a lookup table (--ctp-lookup)"),
        ("<script>\n<e en=\"T\" t=\"00080018\" n=\"SOPInstanceUID\">@remove()</e></script>",
         "s.script:2: the rule for (0008,0018) removes (0008,0018) SOP Instance UID, which every output needs"),
        ("<?xml version=\"1.0\"?>\n<!DOCTYPE script [\n<!ENTITY a \"aaaaaaaaaa\">\n<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">\n]>\n<script><e en=\"T\" t=\"00100010\" n=\"PatientName\">&b;</e></script>",
         "s.script:2: document type declarations (<!DOCTYPE>) are not allowed in a CTP script"),
        ("<script>\n<!ENTITY a \"x\">\n</script>", "s.script:2: entity declarations are not allowed in a CTP script"),
        ("<script>\n<e en=\"T\" t=\"00100010\" n=\"PatientName\">&undefined;</e></script>", "s.script:2: malformed XML"),
    ])
    func badScriptsAreRefusedWithOneLine(_ text: String, _ expected: String) {
        do {
            _ = try CTPProfile.make(text, file: "s.script", parameters: [:], environment: CTPEnvironment())
            Issue.record("accepted: \(text)")
        } catch {
            #expect(error.description.hasPrefix(expected), "\(error.description)")
            #expect(!error.description.contains("\n"), "\(error.description)")
        }
    }

    /// The shipped TCIA-Basic template, run without its parameters set: refused before anything is written.
    @Test func tciaTemplateWithItsPlaceholdersIsRefused() {
        do {
            _ = try CTPProfile.load(path: Self.tcia, parameters: [:], environment: CTPEnvironment(lookup: LookupTable()))
            Issue.record("TCIA-Basic accepted with its placeholders")
        } catch {
            #expect(error.description.contains("TCIA-Basic.script:"), "\(error.description)")
            #expect(error.description.contains("is still the placeholder of the template"), "\(error.description)")
            #expect(!error.description.contains("\n"))
        }
    }

    /// Issue 24: under RICORD, patients without a Patient ID got one @integer number and one date shift.
    /// They now get the built-in derivation (name + birth date, else study), and the note says so.
    @Test func patientsWithoutPatientIDAreToldApartUnderRICORD() throws {
        let deidentifier = try ProfileTestSupport.deidentifier(profile: try Self.ricordProfile())
        var outputs: [(id: String?, date: String?)] = []
        for (name, birth) in [("DOE^JANE", "19700101"), ("ROE^RICHARD", "19800202"), ("DOE^JANE", "19700101")] {
            var file = try ProfileTestSupport.fixture("ct-explicit-le.dcm")
            file.dataSet.set(DataElement(tag: .patientID, vr: .LO, bytes: []))
            file.dataSet.set(DataElement(tag: .patientName, vr: .PN, string: name))
            file.dataSet.set(DataElement(tag: .patientBirthDate, vr: .DA, string: birth))
            file.dataSet.set(DataElement(tag: .studyDate, vr: .DA, string: "20200101"))
            let result = try deidentifier.deidentify(try Part10Reader.read(bytes: try Part10Writer.encode(file)))
            outputs.append((result.file.dataSet[.patientID]?.string(), result.file.dataSet[.studyDate]?.string()))
            let note = result.plan.notes.first { $0.hasPrefix("no Patient ID") }
            #expect(note?.contains("the script's keys on Patient ID") == true, "\(result.plan.notes)")
            #expect(note?.contains("Patient's Name and Birth Date") == true)
            #expect(!result.plan.notes.joined().contains(name), "no value in notes")
        }
        #expect(outputs[0].id != outputs[1].id, "two patients, two numbers")
        #expect(outputs[0].date != outputs[1].date, "two patients, two date shifts")
        #expect(outputs[0].id == outputs[2].id && outputs[0].date == outputs[2].date, "the same patient again")
    }

    /// `--ctp-param` values are checked like the script's own.
    @Test(arguments: [["SITEID": "RICORD-07", "UIDROOT": "1.2.826.0.1.xxxx"], ["SITEID": "Insert your site", "UIDROOT": "1.2.3"],
                      ["SITEID": "RICORD-07", "UIDROOT": "1.2.826.0.1.3680043.10.999.1234567890.1234567890.1234567890"]])
    func badParameterOverridesAreRefused(_ parameters: [String: String]) {
        do {
            _ = try CTPProfile.load(path: Self.ricord, parameters: parameters, environment: CTPEnvironment(integers: try? PreviewIntegerStore(base: nil)))
            Issue.record("accepted: \(parameters)")
        } catch {
            #expect(error.description.contains("ricord.script:"), "\(error.description)")
            #expect(error.description.contains("placeholder") || error.description.contains("UID root"), "\(error.description)")
        }
    }

    @Test func unknownParameterOverrideIsRefused() {
        #expect(throws: ProfileFileError.self) {
            _ = try CTPProfile.load(path: Self.ricord, parameters: Self.ricordParameters.merging(["NOPE": "1"]) { a, _ in a },
                                    environment: CTPEnvironment())
        }
    }

    @Test func unusableMappingDatabasesAreRefused() throws {
        let corrupt = Self.mappingDatabase()
        try Data(repeating: 0x41, count: 4096).write(to: URL(fileURLWithPath: corrupt))
        let readOnly = Self.mappingDatabase()
        _ = try SQLiteIntegerStore(path: readOnly)
        chmod(readOnly, 0o400)
        for location in [corrupt, readOnly, "postgresql://nobody:secret@127.0.0.1:1/mappings", "/nonexistent/dir/map.sqlite"] {
            let request = ProfileRequest(ctpScript: Self.ricord, ctpParameters: Self.ricordParameters, mappingDatabase: location)
            do {
                let profile = try request.makeProfile()
                // A read-only file may open; numbering a new key must then fail, never half-apply.
                let deidentifier = try ProfileTestSupport.deidentifier(profile: try #require(profile))
                #expect(throws: (any Error).self, "\(location)") {
                    _ = try deidentifier.deidentify(try ProfileTestSupport.fixture("ct-explicit-le.dcm"))
                }
            } catch {
                let text = "\(error)"
                #expect(!text.contains("\n"))
                #expect(!text.contains("secret"), "password printed: \(text)")
            }
        }
    }

    /// A CTP script that keeps private groups (TCIA-Basic's `<r en="F" t="privategroups">`) with private
    /// dispositions (TCIA's knowledge base, the documented pairing): the dispositions decide private attributes,
    /// and those no disposition names are removed, as `--private-dispositions` promises, not kept by CTP's rule.
    @Test func privateDispositionsRemoveWhatTheyDoNotNameUnderAScriptKeepingPrivateGroups() throws {
        let script = try ProfileTestSupport.temporaryFile("keeps-private.script", """
            <script>
             <e en="T" t="00100010" n="PatientName">@empty()</e>
             <r en="F" t="privategroups">Remove private groups</r>
            </script>
            """)
        let dispositions = try ProfileTestSupport.temporaryFile("one.csv", "group,private_creator,element,action\n0009,ACME FAKE 1.0,01,keep\n")
        let original = try ProfileTestSupport.fixture("ct-explicit-le.dcm")
        func privateValue(_ file: Part10File, creator: String, byte: UInt16) -> DataElement? {
            for element in file.dataSet.elements where element.tag.isPrivate && element.tag.element >= 0x1000
                && element.tag.element & 0xFF == byte && file.dataSet.privateCreator(of: element.tag) == creator {
                return element
            }
            return nil
        }
        let named = try #require(privateValue(original, creator: "ACME FAKE 1.0", byte: 0x01))
        let unnamed = try #require(privateValue(original, creator: "ACME FAKE 1.0", byte: 0x02))
        let other = try #require(privateValue(original, creator: "OTHER FAKE", byte: 0x01))

        // The script alone keeps every private attribute, as CTP does.
        let alone = try #require(try ProfileRequest(ctpScript: script).makeProfile())
        let ctp = try ProfileTestSupport.deidentifier(profile: alone).deidentify(original).file
        #expect(privateValue(ctp, creator: "ACME FAKE 1.0", byte: 0x02)?.bytes == unnamed.bytes)

        let both = try #require(try ProfileRequest(ctpScript: script, dispositionFiles: [dispositions]).makeProfile())
        let output = try ProfileTestSupport.deidentifier(profile: both).deidentify(original).file
        #expect(privateValue(output, creator: "ACME FAKE 1.0", byte: 0x01)?.bytes == named.bytes, "named keep")
        #expect(privateValue(output, creator: "ACME FAKE 1.0", byte: 0x02) == nil, "unnamed: a private MRN canary")
        #expect(privateValue(output, creator: "OTHER FAKE", byte: 0x01) == nil, "unnamed: another creator's block")
        #expect(other.bytes?.isEmpty == false)
    }
}
