import AuditRecords
import DICOMCodec
import DICOMCore
import DICOMTestSupport
import FileSystem
import Foundation
import Jobs
import Testing

/// The scale-out plan: parts keep studies and shared SOP Instance UIDs together, the manifest reads back as
/// written, and the merged account finds every input that is missing, doubled or recorded by the wrong part.
@Suite struct ScalePlanTests {
    static func fixture(_ name: String) -> String { RepositoryPaths.fixtures.appendingPathComponent(name).path }

    /// Fixtures of one study (three CT files share a SOP Instance UID), plus a second study: the MR fixture with
    /// other Study and SOP Instance UIDs.
    static func inputs(in directory: TemporaryDirectory) throws -> [InputScanner.Input] {
        var file = try Part10Reader.read(contentsOf: fixture("mr-explicit-le.dcm"))
        file.dataSet.set(DataElement(tag: Tag(0x0020, 0x000D), vr: .UI, string: "1.2.3.4.5.6.7"))
        file.dataSet.set(DataElement(tag: Tag(0x0008, 0x0018), vr: .UI, string: "1.2.3.4.5.6.8"))
        let other = directory.url.appendingPathComponent("other-study.dcm").path
        try Data(Part10Writer.encode(file)).write(to: URL(fileURLWithPath: other))
        let names = ["ct-explicit-le.dcm", "mr-explicit-le.dcm", "ct-implicit-le.dcm", "sr-basic-text-explicit-le.dcm", "ct-rle.dcm"]
        return (names.map(fixture) + [other]).map { InputScanner.Input(path: $0, relativePath: Paths.lastComponent($0), isNamed: true) }
    }

    @Test func theInstancesOfOneStudyAndOfOneUIDAreInOnePart() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let inputs = try Self.inputs(in: directory)
        let secret = Array("scale plan test secret".utf8)
        let plan = try ScalePlanner.plan(inputs, parts: 4, secret: secret, jobs: 2)
        #expect(plan.inputs.map(\.path) == inputs.map(\.path), "the plan keeps the input order")
        let part = Dictionary(uniqueKeysWithValues: plan.inputs.map { (Paths.lastComponent($0.path), $0.part) })
        // One study, one part; the second study in another (the emptiest).
        #expect(Set(["ct-explicit-le.dcm", "mr-explicit-le.dcm", "ct-implicit-le.dcm", "sr-basic-text-explicit-le.dcm", "ct-rle.dcm"]
            .map { part[$0] }).count == 1, "\(part)")
        #expect(part["other-study.dcm"] != part["mr-explicit-le.dcm"], "\(part)")
        #expect(plan.inputs.filter { $0.sharing == true }.count == 3)
        #expect(plan.inputs.filter { $0.distinct == true }.count == 2, "all but the lowest digest take a distinct UID")
        #expect(try ScalePlanner.plan(inputs, parts: 4, secret: secret, jobs: 1) == plan)
        // Another secret orders the contents differently or not, but never leaves its own fingerprint.
        #expect(try ScalePlanner.plan(inputs, parts: 4, secret: Array("other".utf8), jobs: 1).secretFingerprint != plan.secretFingerprint)

        let folder = directory.url.appendingPathComponent("plan").path
        try plan.write(to: folder)
        #expect(try ScalePlan.read(from: folder) == plan)
        #expect(throws: JobError.self) { try plan.check(secret: Array("other".utf8), folder: folder) }
        try plan.check(secret: secret, folder: folder)
    }

    /// A record as a part's log holds it: written by ``DeidentificationRecord`` and read back.
    static func record(_ input: String, _ status: RecordStatus, reason: String? = nil) -> PlanAccount.LoggedRecord {
        var record = DeidentificationRecord(input: input, status: status)
        record.reason = reason
        let read = PlanAccount.LoggedRecord.records(in: Array(record.jsonLine().utf8))
        precondition(read.count == 1, "a record's line reads back as one record")
        return read[0]
    }

    @Test func aLogIsReadByLinesAndAPartialLineIsLeftOut() {
        var written = DeidentificationRecord(input: "in/a.dcm", status: .written)
        written.output = "out/x.dcm"
        let line = written.jsonLine()
        let records = PlanAccount.LoggedRecord.records(in: Array((line + "\n" + line.prefix(20)).utf8))
        #expect(records.count == 1)
        #expect(records.first?.input == "in/a.dcm" && records.first?.status == .written && records.first?.reason == nil)
        #expect(records.first.map { String(decoding: $0.line, as: UTF8.self) + "\n" } == line, "the line as written")
    }

    /// Paths that need every kind of JSON escape, and characters that need none.
    static let awkwardPaths = ["/in/plain.dcm", "/in/quote\"back\\slash/x.dcm", "/in/tab\tcr\rbs\u{08}ff\u{0C}.dcm",
                               "/in/\u{01}\u{1F}\u{7F}.dcm", "/in/é😀\u{2028}.dcm", ""]

    /// The manifest is written and read by hand (for speed); it must stay the bytes `JSONEncoder` wrote for its
    /// `Codable` form (sorted keys, unescaped slashes), and read back what `JSONDecoder` reads.
    @Test func theManifestIsWhatTheJSONCodersWriteAndRead() throws {
        let inputs = Self.awkwardPaths.enumerated().map { index, path in
            ScalePlan.PlannedInput(path: path, relativePath: String(path.reversed()), named: index % 2 == 0,
                                   size: index == 1 ? 9_007_199_254_740_991 : Int64(index), modified: index == 2 ? -9_007_199_254_740_991 : -Int64(index),
                                   part: index / 2, sharing: [nil, true, false][index % 3], distinct: [true, nil, false][index % 3],
                                   copyOf: index % 2 == 1 ? Self.awkwardPaths[index - 1] : nil)
        }
        let plan = ScalePlan(secretFingerprint: "ab/cd", parts: 3, inputs: inputs)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var expected = "{\"format\":\"\(ScalePlan.formatName)\",\"parts\":3,\"secretFingerprint\":\"ab/cd\",\"inputs\":[\n"
        for (index, input) in inputs.enumerated() {
            expected += String(decoding: try encoder.encode(input), as: UTF8.self) + (index < inputs.count - 1 ? ",\n" : "\n")
        }
        expected += "]}\n"
        #expect(String(decoding: plan.encoded(), as: UTF8.self) == expected)
        #expect(try JSONDecoder().decode(ScalePlan.self, from: Data(plan.encoded())) == plan)

        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let folder = directory.url.appendingPathComponent("plan").path
        try plan.write(to: folder)
        #expect(try ScalePlan.read(from: folder) == plan)
        // Another layout of the same JSON (indented, keys unsorted, escaped slashes, nulls, an unknown key) reads the same.
        encoder.outputFormatting = [.prettyPrinted]
        var object = try #require(try JSONSerialization.jsonObject(with: encoder.encode(plan)) as? [String: Any])
        object["comment"] = ["nested": [1, 2.5e3, true, NSNull()]]
        var listed = try #require(object["inputs"] as? [[String: Any]])
        listed[0]["copyOf"] = NSNull()
        object["inputs"] = listed
        let manifest = directory.url.appendingPathComponent("plan/plan.json")
        try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted]).write(to: manifest)
        #expect(try ScalePlan.read(from: folder) == plan)
        // Not a manifest: cut short, a field missing, a wrong type, trailing bytes.
        let written = plan.encoded()
        for bad in [Array(written.dropLast(3)), Array(String(decoding: written, as: UTF8.self).replacingOccurrences(of: "\"named\":true,", with: "").utf8),
                    Array(String(decoding: written, as: UTF8.self).replacingOccurrences(of: "\"size\":0", with: "\"size\":\"0\"").utf8),
                    written + Array("x".utf8)] {
            try Data(bad).write(to: manifest)
            #expect(throws: JobError.self) { try ScalePlan.read(from: folder) }
        }
    }

    /// The merge reads three fields of each record as `JSONDecoder` would, whatever else the line holds.
    @Test func aRecordsFieldsAreReadAsJSONDecoderReadsThem() {
        for path in Self.awkwardPaths {
            var record = DeidentificationRecord(input: path, status: .skipped)
            record.reason = path
            record.actions = ["remove": 3, "uid\"": 1]
            record.output = "/out/\(path)"
            let read = PlanAccount.LoggedRecord.records(in: Array(record.jsonLine().utf8))
            #expect(read.map(\.input) == [path] && read.first?.reason == path && read.first?.status == .skipped)
        }
        let lines = [#"{"input":"a","status":null,"extra":{"x":[1,-2.5E+3,"]}",false,null]}}"#,   // read: no status
                     #"{ "reason" : "r\u00e9\ud83d\ude00" , "input" : "b" , "status" : "failed" }"#,  // read: escapes
                     #"{"input":"c","status":"unknown"}"#,      // left out: not a status
                     #"{"status":"written"}"#,                   // left out: no input
                     #"{"input":"d"} x"#,                        // left out: trailing bytes
                     #"{"input":"e","status":"written""#]        // left out: cut short
        let read = PlanAccount.LoggedRecord.records(in: Array(lines.joined(separator: "\n").utf8))
        #expect(read.map(\.input) == ["a", "b"])
        #expect(read.first?.status == nil && read.last?.status == .failed && read.last?.reason == "ré😀")
        #expect(read.map { String(decoding: $0.line, as: UTF8.self) } == Array(lines.prefix(2)), "each line as written")
    }

    static let plan = ScalePlan(secretFingerprint: "00", parts: 2, inputs: ["a", "b", "c"].enumerated().map { index, path in
        ScalePlan.PlannedInput(path: path, relativePath: path, named: true, size: 1, modified: 1, part: index == 2 ? 1 : 0)
    })

    @Test func theMergeTakesRetriesAndReruns() {
        let merged = PlanAccount.merge(Self.plan, logs: [
            [Self.record("a", .failed), Self.record("b", .written), Self.record("a", .written),
             Self.record("b", .skipped, reason: FileOutcome.alreadyDoneReason)],
            [Self.record("c", .skipped, reason: "identical copy")],
        ])
        #expect(merged.problems.isEmpty, "\(merged.problems)")
        #expect(merged.records.map(\.input) == ["a", "b", "c"])
        #expect(merged.written == 2 && merged.skipped == 1 && merged.failed == 0)
    }

    @Test func theMergeFindsMissingDoubledAndMisplacedRecords() {
        let merged = PlanAccount.merge(Self.plan, logs: [
            [Self.record("a", .written), Self.record("a", .written), Self.record("c", .written)],
            nil,
        ])
        #expect(merged.problems.contains { $0.hasPrefix("a: recorded 2 times") }, "\(merged.problems)")
        #expect(merged.problems.contains { $0.hasPrefix("b: no record") }, "\(merged.problems)")
        #expect(merged.problems.contains { $0.hasPrefix("c: recorded by part 0") }, "\(merged.problems)")
        #expect(merged.problems.contains("part 1 has no audit log (not run?)"), "\(merged.problems)")
    }

    @Test func aResumedPartRunsWhatIsNotDoneAndTheOriginalsOfRemainingCopies() {
        var inputs = Self.plan.inputs(ofPart: 0)
        inputs.append(ScalePlan.PlannedInput(path: "copy-of-a", relativePath: "x", named: true, size: 1, modified: 1, part: 0, copyOf: "a"))
        let (remaining, done) = PlanAccount.remaining(of: inputs, in: [Self.record("a", .written), Self.record("b", .failed)])
        #expect(remaining.map(\.path) == ["a", "b", "copy-of-a"])
        #expect(done == 1)
        let (none, all) = PlanAccount.remaining(of: inputs, in: [Self.record("a", .written), Self.record("b", .written),
                                                                 Self.record("copy-of-a", .skipped)])
        #expect(none.isEmpty && all == 3)
    }

    @Test func aListIsReadByLinesOrByNULs() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let list = directory.url.appendingPathComponent("list").path
        let a = Self.fixture("ct-rle.dcm"), b = Self.fixture("mr-explicit-le.dcm")
        try Data("\(a)\r\n\n\(b)".utf8).write(to: URL(fileURLWithPath: list))
        #expect(try FileList.paths(in: list, separator: .newline) == [a, b])
        try Data("\(a)\0\(b)\0".utf8).write(to: URL(fileURLWithPath: list))
        #expect(try FileList.paths(in: list, separator: .nul) == [a, b])
        #expect(throws: JobError.self) { try FileList.paths(in: list, separator: .newline) }
        try Data("\n\n".utf8).write(to: URL(fileURLWithPath: list))
        #expect(throws: JobError.self) { try FileList.paths(in: list, separator: .newline) }
    }
}
