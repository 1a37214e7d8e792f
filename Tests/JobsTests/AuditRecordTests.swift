import AuditRecords
import DICOMTestSupport
import FileSystem
import Foundation
import Jobs
import Testing

/// The audit logs' typed records: what the writer writes, the readers read back; the format every earlier
/// version wrote (one compact JSON object per line, fields in name order) stays the format; a log a killed run
/// cut short takes new records after its partial line.
@Suite struct AuditRecordTests {
    static var deidentification: DeidentificationRecord {
        var record = DeidentificationRecord(input: "/in/a \"quoted\"\\path\n\u{1}é.dcm", status: .written)
        record.output = "/out/1.2/3.4/5.6.dcm"
        record.sopInstanceUID = "5.6"
        record.studyInstanceUID = "1.2"
        record.seriesInstanceUID = "3.4"
        record.actions = ["remove": 12, "dummy": 3, "uid": 4]
        record.privateRemovedByCreator = ["SIEMENS CSA HEADER": 2]
        record.pixels = "not cleaned: nothing suggests burned-in text"
        return record
    }

    static var reidentification: ReidentificationRecord {
        var record = ReidentificationRecord(input: "/deid/x.dcm", status: .written)
        record.output = "/restored/x.dcm"
        record.restoredTags = ["(0010,0010)", "(0010,0020)"]
        record.item = 1
        record.binding = "modified-accepted"
        record.changedTags = ["(0008,0080)"]
        record.time = "2026-12-07T18:55:28.123Z"
        return record
    }

    static var template: ReidentificationRecord {
        var record = ReidentificationRecord()
        record.user = "alice"
        record.host = "ward-3"
        record.reason = "audit 42"
        record.mode = "restore"
        record.keySHA256 = "ab12"
        record.keyCertificateSubject = "CN=Test"
        record.keyCertificateSerial = "01"
        record.only = ["PatientName"]
        return record
    }

    @Test func recordsReadBackAsWritten() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.url.appendingPathComponent("deid-audit.jsonl").path
        let log = try AuditLog(path: path, template: DeidentificationRecord())
        var skipped = DeidentificationRecord(input: "/in/b.dcm", status: .skipped)
        skipped.reason = "identical copy"
        skipped.copyOf = "/in/a.dcm"
        var failed = DeidentificationRecord(input: "/in/c.dcm", status: .failed)
        failed.error = "length runs past its container at byte 0x1A"
        for record in [Self.deidentification, skipped, failed] { log.append(record) }
        try log.sync()
        let read = AuditRecordReader.records(DeidentificationRecord.self, in: try FileIO.readAll(path: path))
        #expect(read == [Self.deidentification, skipped, failed])

        let trailPath = directory.url.appendingPathComponent("trail.jsonl").path
        let trail = try AuditLog(path: trailPath, template: Self.template, stampsTime: true)
        var skippedInTrail = ReidentificationRecord(input: "/deid/notes.txt", status: .skipped)
        skippedInTrail.reason = "not a DICOM file"
        trail.append(Self.reidentification)
        trail.append(skippedInTrail)
        try trail.sync()
        let trailRecords = AuditRecordReader.records(ReidentificationRecord.self, in: try FileIO.readAll(path: trailPath))
        var expected = Self.reidentification
        expected.fillEmptyFields(from: Self.template)
        #expect(trailRecords.first == expected, "the run's fields are added, the record's own time kept")
        #expect(trailRecords.last?.reason == "not a DICOM file", "a record's own field wins over the run's")
        #expect(trailRecords.last?.user == "alice")
        let stamped = try #require(trailRecords.last?.time)
        #expect(stamped.count == 24 && stamped.hasSuffix("Z") && stamped.dropFirst(10).hasPrefix("T"), "\(stamped)")
    }

    /// The line itself: what the earlier untyped writer wrote for the same fields, byte for byte.
    @Test func theLineIsTheFormatEarlierVersionsWrote() throws {
        var record = DeidentificationRecord(input: "/in/a.dcm", status: .written)
        record.output = "/out/1.2/3.4/5.6.dcm"
        record.sopInstanceUID = "5.6"
        record.actions = ["uid": 4, "dummy": 3]
        #expect(record.jsonLine() == #"{"actions":{"dummy":3,"uid":4},"input":"/in/a.dcm","output":"/out/1.2/3.4/5.6.dcm","sopInstanceUID":"5.6","status":"written"}"# + "\n")
        // Every line's keys are in sorted order, and it parses as JSON with the same strings.
        for line in [Self.deidentification.jsonLine(), Self.reidentification.jsonLine()] {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            // The top-level keys as they appear in the line (nested count objects left out).
            let order = line.matches(of: /[{,]"([A-Za-z0-9]+)":/).map { String($0.1) }.filter { object[$0] != nil }
            #expect(order.count == object.count && order == order.sorted(), "\(order)")
        }
        let object = try #require(try JSONSerialization.jsonObject(with: Data(Self.deidentification.jsonLine().utf8)) as? [String: Any])
        #expect(object["input"] as? String == Self.deidentification.input)
        // A line an earlier version wrote reads as a typed record.
        let old = #"{"actions":{"remove":2},"input":"/in/x.dcm","output":"/o/1/2/3.dcm","privateRemovedByCreator":{"GEMS_IDEN_01":1},"sopInstanceUID":"3","status":"written"}"#
        let read = AuditRecordReader.records(DeidentificationRecord.self, in: Array(old.utf8))
        #expect(read.count == 1 && read.first?.privateRemovedByCreator == ["GEMS_IDEN_01": 1] && read.first?.output == "/o/1/2/3.dcm")
    }

    /// The escapes are byte for byte the ones earlier versions wrote (audit logs are compared and grepped).
    @Test func escapesAreTheOnesEarlierVersionsWrote() {
        var record = ReidentificationRecord(input: "a \"q\"\\p\n\r\t\u{1}\u{1F}é 2.25.1", status: .written)
        record.restoredTags = ["(0010,0010)", "x\"y"]
        #expect(record.jsonLine() == #"{"input":"a \"q\"\\p\n\r\t\u0001\u001fé 2.25.1","restoredTags":["(0010,0010)","x\"y"],"status":"written"}"# + "\n")
    }

    /// A run killed in the middle of a line: the next run's records start on a line of their own, the partial
    /// line is skipped by readers, and every whole line reads back.
    @Test func appendingAfterAKilledRunToleratesItsPartialLastLine() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.url.appendingPathComponent("audit.jsonl").path
        let first = DeidentificationRecord(input: "/in/1.dcm", status: .written)
        let cut = String(DeidentificationRecord(input: "/in/2.dcm", status: .written).jsonLine().prefix(15))
        try Data((first.jsonLine() + cut).utf8).write(to: URL(fileURLWithPath: path))
        let log = try AuditLog(path: path, template: DeidentificationRecord())
        let next = DeidentificationRecord(input: "/in/3.dcm", status: .failed)
        log.append(next)
        try log.sync()
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text == first.jsonLine() + cut + "\n" + next.jsonLine())
        #expect(AuditRecordReader.records(DeidentificationRecord.self, in: Array(text.utf8)) == [first, next])
        // Opening a log that ends with a whole line adds nothing.
        _ = try AuditLog(path: path, template: DeidentificationRecord())
        #expect(try String(contentsOfFile: path, encoding: .utf8) == text)
    }

    /// A new log is created readable by its owner only (it names input paths).
    @Test func aNewLogIsPrivate() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.url.appendingPathComponent("new.jsonl").path
        _ = try AuditLog(path: path, template: DeidentificationRecord())
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? Int).map { $0 & 0o077 } == 0)
    }
}

/// Output names are made from UIDs and read back from them: readers of the audit log parse, never assume.
@Suite struct OutputNamingTests {
    @Test func parsingANameGivesBackItsUIDs() {
        let cases: [OutputNaming.UIDPath] = [
            .init(study: "1.2.840.113619.2.55", series: "1.2.3.4", instance: "2.25.123456789012345678901234567890"),
            .init(study: nil, series: "1.2", instance: "3"),
            .init(study: "1", series: nil, instance: nil),
            .init(study: nil, series: nil, instance: nil),
            .init(study: "0.0", series: "9", instance: String(repeating: "1", count: 64)),
        ]
        for uids in cases {
            let name = OutputNaming.name(uids)
            #expect(OutputNaming.parse(name) == uids, "\(name)")
            #expect(OutputNaming.parse("/any/folder/" + name) == uids, "under a folder")
        }
    }

    @Test func namesThatAreNotUIDNamesDoNotParse() {
        // A UID that could not be a path part is named invalid-uid: not recoverable, so not parsed.
        #expect(OutputNaming.parse(OutputNaming.uidPath(study: "../etc", series: "1", instance: "2")) == nil)
        // --keep-layout names, and fewer than three components.
        #expect(OutputNaming.parse("patients/Doe^John/scan.dcm") == nil)
        #expect(OutputNaming.parse("1.2/3.dcm") == nil)
        #expect(OutputNaming.parse("1.2/3.4/5.6.txt") == nil)
    }
}
