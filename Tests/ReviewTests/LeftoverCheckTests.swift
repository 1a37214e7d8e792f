import CMS
import DICOMCodec
import DICOMCore
import DICOMDictionary
import DICOMTestSupport
import Deidentification
import Foundation
import IdentifyingTerms
import PixelData
import ProfileFiles
import Testing
@testable import Review

/// PHI a profile keeps on purpose, planted where it keeps it: the check must find each.
enum Plant: String, CaseIterable, Sendable {
    case nameInManufacturer, codeMeaningInKeptSequence, idInKeptSeriesDescription, safePrivateAttribute,
         nestedSafePrivateAttribute, isoDateInFreeText, writtenDateInFreeText, namePartInFreeText,
         unpaddedDateInFreeText, idWithoutLeadingZeros, givenNameAsBodyPart, givenNameAmongBodyPartWords

    /// Options and profile that keep the planted attribute.
    var options: Set<ProfileOption> {
        switch self {
        case .safePrivateAttribute, .nestedSafePrivateAttribute: return [.retainSafePrivate]
        default: return []
        }
    }

    var usesDescriptionProfile: Bool {
        [.idInKeptSeriesDescription, .isoDateInFreeText, .writtenDateInFreeText, .namePartInFreeText,
         .unpaddedDateInFreeText, .idWithoutLeadingZeros].contains(self)
    }

    /// Where the planted value sits.
    var path: TagPath {
        switch self {
        case .nameInManufacturer: return TagPath(Tag(0x0008, 0x0070))
        case .codeMeaningInKeptSequence:
            return TagPath([.init(tag: Tag(0x0008, 0x2218), item: 0), .init(tag: Tag(0x0008, 0x0104))])
        case .idInKeptSeriesDescription, .isoDateInFreeText, .writtenDateInFreeText, .namePartInFreeText,
             .unpaddedDateInFreeText, .idWithoutLeadingZeros:
            return TagPath(Tag(0x0008, 0x103E))
        case .safePrivateAttribute: return TagPath(Tag(0x0019, 0x609E))
        case .givenNameAsBodyPart, .givenNameAmongBodyPartWords: return TagPath(Tag(0x0018, 0x0015))
        case .nestedSafePrivateAttribute:
            return TagPath([.init(tag: Tag(0x7E01, 0x1010), item: 0), .init(tag: Tag(0x7E01, 0x1001))])
        }
    }

    var kind: IdentifierTerm.Kind {
        switch self {
        case .idInKeptSeriesDescription, .idWithoutLeadingZeros: return .id
        case .isoDateInFreeText, .writtenDateInFreeText, .unpaddedDateInFreeText: return .date
        default: return .name
        }
    }

    /// Issue 22: a coded value that merely equals a name is reported, with low confidence.
    var confidence: LeftoverFinding.Confidence { self == .givenNameAsBodyPart ? .low : .high }

    func apply(_ dataSet: inout DataSet) {
        let s = CheckSupport.self
        switch self {
        case .nameInManufacturer:
            dataSet.set(DataElement(tag: Tag(0x0008, 0x0070), vr: .LO, string: "\(s.familyName) IMAGING"))
        case .codeMeaningInKeptSequence:
            dataSet.set(s.sequence(Tag(0x0008, 0x2218), [
                DataElement(tag: Tag(0x0008, 0x0100), vr: .SH, string: "T-A0100"),
                DataElement(tag: Tag(0x0008, 0x0102), vr: .SH, string: "SRT"),
                DataElement(tag: Tag(0x0008, 0x0104), vr: .LO, string: "Brain of \(s.givenName.capitalized)"),
            ]))
        case .idInKeptSeriesDescription:
            dataSet.set(DataElement(tag: Tag(0x0008, 0x103E), vr: .LO, string: "FOLLOW-UP MRN\(s.patientID)"))
        case .isoDateInFreeText:
            dataSet.set(DataElement(tag: Tag(0x0008, 0x103E), vr: .LO, string: "born 1970-01-01, head CT"))
        case .writtenDateInFreeText:
            dataSet.set(DataElement(tag: Tag(0x0008, 0x103E), vr: .LO, string: "DOB January 1, 1970"))
        case .unpaddedDateInFreeText:
            // Issue 24: the birth date 19700101 as a US form writes it, without zeros.
            dataSet.set(DataElement(tag: Tag(0x0008, 0x103E), vr: .LO, string: "head CT, DOB 1/1/1970"))
        case .idWithoutLeadingZeros:
            // Issue 24: a zero-padded Patient ID typed without its zeros.
            dataSet.set(DataElement(tag: Tag(0x0010, 0x0020), vr: .LO, string: "00012345"))
            dataSet.set(DataElement(tag: Tag(0x0008, 0x103E), vr: .LO, string: "head CT MRN 12345"))
        case .givenNameAsBodyPart:
            // Issue 22: Body Part Examined (CS) is kept by the Basic Profile.
            dataSet.set(DataElement(tag: Tag(0x0018, 0x0015), vr: .CS, string: s.givenName))
        case .givenNameAmongBodyPartWords:
            dataSet.set(DataElement(tag: Tag(0x0018, 0x0015), vr: .CS, string: "KNEE_\(s.givenName)"))
        case .namePartInFreeText:
            dataSet.set(DataElement(tag: Tag(0x0008, 0x103E), vr: .LO, string: "head CT for rosalind's follow-up"))
        case .safePrivateAttribute:
            // GEMS_ACQU_01 (0019,xx9E) Internal Pulse Sequence Name: PS3.15 Table E.3.10-1 calls it safe.
            dataSet.set(DataElement(tag: Tag(0x0019, 0x0060), vr: .LO, string: "GEMS_ACQU_01"))
            dataSet.set(DataElement(tag: Tag(0x0019, 0x609E), vr: .LO, string: "\(s.familyName)_SEQ"))
        case .nestedSafePrivateAttribute:
            // HOLOGIC, Inc. (7E01,xx10) High Resolution Data Sequence holding (7E01,xx01) Codec Version: both safe.
            dataSet.set(DataElement(tag: Tag(0x7E01, 0x0010), vr: .LO, string: "HOLOGIC, Inc."))
            dataSet.set(s.sequence(Tag(0x7E01, 0x1010), [
                DataElement(tag: Tag(0x7E01, 0x0010), vr: .LO, string: "HOLOGIC, Inc."),
                DataElement(tag: Tag(0x7E01, 0x1001), vr: .LO, string: "codec \(s.givenName)"),
            ]))
        }
    }
}

struct LeftoverCheckTests {
    @Test(arguments: Plant.allCases)
    func findsIdentityTheProfileKeeps(_ plant: Plant) throws {
        let original = try CheckSupport.planted(plant.apply)
        let profile = plant.usesDescriptionProfile ? try CheckSupport.keepsDescriptions() : nil
        let output = try CheckSupport.deidentifier(options: plant.options, profile: profile).deidentify(original).file
        #expect(output.dataSet.element(at: plant.path) != nil, "the profile did not keep \(plant.path): nothing to find")
        for check in [LeftoverCheck(reidentifier: try CheckSupport.reidentifier()), LeftoverCheck()] {
            let findings = try check.check(output, original: check.reidentifier == nil ? original : nil)
            let hit = findings.first { $0.path == plant.path }
            guard case .identifier(let term)? = hit?.kind else {
                Issue.record("\(plant): nothing found at \(plant.path); found \(findings.map { $0.line(showValues: true) })")
                continue
            }
            #expect(term.kind == plant.kind)
            #expect(hit?.confidence == plant.confidence)
            // Only the planted value: the rest of the file is clean.
            #expect(findings.count == 1, "\(findings.map { $0.line(showValues: true) })")
        }
    }

    @Test func linesMaskValuesUnlessAsked() throws {
        let original = try CheckSupport.planted(Plant.nameInManufacturer.apply)
        let output = try CheckSupport.deidentifier().deidentify(original).file
        let findings = try LeftoverCheck(reidentifier: try CheckSupport.reidentifier()).check(output)
        let masked = try #require(findings.first).line(showValues: false)
        #expect(masked == "(0008,0070) Manufacturer: name component W*** of (0010,0010) PatientName")
        #expect(!masked.contains(CheckSupport.familyName))
        let shown = try #require(findings.first).line(showValues: true)
        #expect(shown.contains("\"\(CheckSupport.familyName)\"") && shown.contains("\"\(CheckSupport.familyName) IMAGING\""))
    }

    @Test func lowConfidenceIsSaidInTheLine() throws {
        let original = try CheckSupport.planted(Plant.givenNameAsBodyPart.apply)
        let output = try CheckSupport.deidentifier().deidentify(original).file
        let findings = try LeftoverCheck(reidentifier: try CheckSupport.reidentifier()).check(output)
        let line = try #require(findings.first).line(showValues: false)
        #expect(line == "(0018,0015) BodyPartExamined: name component R*** of (0010,0010) PatientName (low confidence: a coded value equal to it)")
    }

    @Test(arguments: CheckSupport.fixtureNames)
    func cleanFixtureOutputHasNoFindings(_ name: String) throws {
        let original = try CheckSupport.fixture(name)
        let output = try CheckSupport.deidentifier().deidentify(original).file
        let withKey = try LeftoverCheck(reidentifier: try CheckSupport.reidentifier()).check(output)
        #expect(withKey.isEmpty, "\(withKey.map { $0.line(showValues: true) })")
        let withOriginal = try LeftoverCheck().check(output, original: original)
        #expect(withOriginal.isEmpty, "\(withOriginal.map { $0.line(showValues: true) })")
    }

    @Test(.enabled(if: Peer.runnable(.pydicom), Comment(rawValue: Peer.skipReason(.pydicom))))
    func cleanPydicomCorpusOutputHasNoFindings() throws {
        _ = try Peer.pydicom.require()
        let deidentifier = try CheckSupport.deidentifier()
        let check = LeftoverCheck(reidentifier: try CheckSupport.reidentifier())
        var checked = 0
        for path in PydicomCorpus.files {
            // Files the engine refuses (not DICOM, damaged, unsupported) are the de-identifier's tests' business.
            guard let original = try? Part10Reader.read(contentsOf: path),
                  let output = try? deidentifier.deidentify(original).file else { continue }
            // A code string equal to a name component (an SR Value Type TEXT where a name part is "Text") is
            // reported with low confidence: no leak, but said.
            let findings = try check.check(output).filter { $0.confidence == .high }
            #expect(findings.isEmpty, "\(path): \(findings.map { $0.line(showValues: true) })")
            checked += 1
        }
        #expect(checked > 100, "only \(checked) corpus files de-identified")
    }

    @Test func reportsMissingStructure() throws {
        let original = try CheckSupport.fixture("mr-explicit-le.dcm")
        let findings = try LeftoverCheck().check(original, original: original)
        let structure = findings.filter { if case .structure = $0.kind { true } else { false } }.map(\.path)
        #expect(structure == [TagPath(Tag(0x0012, 0x0062)), TagPath(Tag(0x0012, 0x0063)), TagPath(Tag(0x0400, 0x0500))])
        #expect(findings.count > structure.count, "an original is full of its own identifiers")
    }

    @Test func wrongKeyIsAStructureFinding() throws {
        let output = try CheckSupport.deidentifier().deidentify(try CheckSupport.fixture("mr-explicit-le.dcm")).file
        let key = try RecipientPrivateKey(contentsOf: RepositoryPaths.keys.appendingPathComponent("test-recipient-b.key").path,
                                          passphrase: nil)
        let findings = try LeftoverCheck(reidentifier: Reidentifier(key: key)).check(output)
        #expect(findings.map(\.path) == [TagPath(Tag(0x0400, 0x0500))])
    }

    /// What the key decrypted, for the re-identification audit trail (issue 24): the item and its tags, or why
    /// nothing opened; nothing when the originals come from files.
    @Test func examineSaysWhatTheKeyDecrypted() throws {
        let original = try CheckSupport.fixture("mr-explicit-le.dcm")
        let output = try CheckSupport.deidentifier().deidentify(original).file
        let opened = try LeftoverCheck(reidentifier: try CheckSupport.reidentifier()).examine(output)
        guard case .opened(let item, let tags)? = opened.decryption else {
            Issue.record("not opened: \(String(describing: opened.decryption))")
            return
        }
        #expect(item == 1 && tags.contains(Tag(0x0010, 0x0010)))
        let key = try RecipientPrivateKey(contentsOf: RepositoryPaths.keys.appendingPathComponent("test-recipient-b.key").path,
                                          passphrase: nil)
        let refused = try LeftoverCheck(reidentifier: Reidentifier(key: key)).examine(output)
        guard case .failed? = refused.decryption else {
            Issue.record("opened with the wrong key: \(String(describing: refused.decryption))")
            return
        }
        #expect(try LeftoverCheck().examine(output, original: original).decryption == nil)
    }

    /// Issue 24: a numeric Patient ID that is a component of the UID root the profile hashes under (TCIA's
    /// 1.3.6.1.4.1.14519..., CTP's Basic script) or of a standard UID (1.2.840.10008...) was reported in every
    /// UID. Such UIDs cannot carry the patient's ID: no finding. An original UID the output keeps still can.
    @Test func numericIDInAUIDRootIsNoFinding() throws {
        let script = RepositoryPaths.root.appendingPathComponent("Profiles/ctp/DICOM-PS3.15-Basic.script").path
        let hashing = try CTPProfile.load(path: script, parameters: [:], environment: CTPEnvironment())
        for (patientID, profile) in [("14519", Optional(hashing)), ("10008", nil)] {
            let original = try CheckSupport.planted { $0.set(DataElement(tag: Tag(0x0010, 0x0020), vr: .LO, string: patientID)) }
            let output = try CheckSupport.deidentifier(profile: profile).deidentify(original).file
            let uids = output.dataSet.elements.filter { $0.vr == .UI }.compactMap { $0.string() }
            #expect(uids.contains { $0.split(separator: ".").contains(Substring(patientID)) }, "no UID holds \(patientID)")
            for check in [LeftoverCheck(reidentifier: try CheckSupport.reidentifier()), LeftoverCheck()] {
                let findings = try check.check(output, original: check.reidentifier == nil ? original : nil)
                #expect(findings.isEmpty, "\(patientID): \(findings.map { $0.line(showValues: true) })")
            }
        }

        // Retain UIDs: the original's Study Instance UID, which holds the Patient ID, is kept and reported.
        let study = "1.2.826.0.1.3680043.2.1125.88231457.1"
        let original = try CheckSupport.planted {
            $0.set(DataElement(tag: Tag(0x0010, 0x0020), vr: .LO, string: "88231457"))
            $0.set(DataElement(tag: Tag(0x0020, 0x000D), vr: .UI, string: study))
        }
        let output = try CheckSupport.deidentifier(options: [.retainUIDs]).deidentify(original).file
        let findings = try LeftoverCheck(reidentifier: try CheckSupport.reidentifier()).check(output)
        #expect(findings.map(\.path) == [TagPath(Tag(0x0020, 0x000D))], "\(findings.map { $0.line(showValues: true) })")
    }

    @Test func checkWithoutKeyOrOriginalThrows() throws {
        let output = try CheckSupport.fixture("mr-explicit-le.dcm")
        #expect(throws: LeftoverCheckError.self) { try LeftoverCheck().check(output) }
    }
}

struct LeftoverCheckPixelTests {
    /// With `--ocr`, a file whose pixels are Float or Double Float Pixel Data is reported as not read, not passed.
    @Test(arguments: [DICOMCore.Tag.floatPixelData, DICOMCore.Tag.doubleFloatPixelData])
    func floatPixelDataIsReportedUnreadWithOCR(_ tag: DICOMCore.Tag) throws {
        let detection: TextDetectionSettings
        do { detection = try TextDetectionSettings() } catch {
            if ProcessInfo.processInfo.environment["CI"] == "true" { Issue.record("OCR cannot start: \(error)") }
            return
        }
        let file = try CheckSupport.planted { dataSet in
            _ = dataSet.remove(.pixelData)
            dataSet.set(DataElement(tag: tag, vr: tag.element == 8 ? .OF : .OD, bytes: [UInt8](repeating: 0, count: 64)))
        }
        let check = LeftoverCheck(pixelText: PixelTextReader(detection: detection, registry: FrameCodecRegistry(codecs: [:])))
        let result = try check.examine(file, original: file)
        #expect(result.unreadablePixels?.code == .unreadablePixels)
    }
}
