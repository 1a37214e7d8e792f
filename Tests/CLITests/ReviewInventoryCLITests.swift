import DICOMTestSupport
import Foundation
import Testing

/// `dicom-review inventory` run for real: the report files, exit statuses, and values only when asked.
struct ReviewInventoryCLITests {
    static func canaries() throws -> [String] {
        let data = try Data(contentsOf: RepositoryPaths.fixtures.appendingPathComponent("phi-canaries.json"))
        let root = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        let list = root?["canaries"] as? [[String: Any]] ?? []
        return list.compactMap { $0["value"] as? String }.filter { $0.count >= 4 }
    }

    @Test func inventoriesTheFixturesWithoutValues() throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let report = sandbox.path("report")
        let run = try sandbox.run(.review, ["inventory", Sandbox.fixtures, "--report", report, "--jobs", "2"])
        #expect(run.status == 0, "\(run.stderrText)")
        #expect(run.stderrText.contains("skipped: \(Sandbox.fixtures)/phi-canaries.json: not a DICOM file"))
        let count = FixtureFiles.dicom.count
        #expect(run.stderrText.contains("inventoried \(count) of \(count) files"))
        let json = try Data(contentsOf: URL(fileURLWithPath: report + "/inventory.json"))
        let csv = try String(contentsOfFile: report + "/inventory.csv", encoding: .utf8)
        let object = try #require(try JSONSerialization.jsonObject(with: json) as? [String: Any])
        #expect(object["files"] as? Int == FixtureFiles.dicom.count)
        #expect(object["failedFiles"] as? Int == 0)
        #expect(object["profile"] as? String == "Basic Profile")
        #expect(object["distinctValueCap"] as? Int == 1000)
        let rows = try #require(object["rows"] as? [[String: Any]])
        #expect(csv.split(separator: "\r\n").count == rows.count + 1)
        #expect(csv.hasPrefix("key,keyword,path,vrs,files,occurrences,distinct_values,distinct_is_estimate,min_length,max_length,action,rule,origin,flags\r\n"))
        let text = String(decoding: json, as: UTF8.self)
        let html = try String(contentsOfFile: report + "/inventory.html", encoding: .utf8)
        #expect(html.contains("<table"))
        for canary in try Self.canaries() {
            #expect(!text.contains(canary) && !csv.contains(canary) && !html.contains(canary), "\(canary) in the report")
        }
    }

    @Test func showValuesAddsExamples() throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let report = sandbox.path("report")
        let run = try sandbox.run(.review, ["inventory", Sandbox.fixture("ct-explicit-le.dcm"), "--report", report,
                                            "--show-values", "--retain-safe-private"])
        #expect(run.status == 0, "\(run.stderrText)")
        #expect(run.stderrText.contains("patient data"))
        let csv = try String(contentsOfFile: report + "/inventory.csv", encoding: .utf8)
        #expect(csv.hasPrefix("key,keyword,path,vrs,files,occurrences,distinct_values,distinct_is_estimate,min_length,max_length,action,rule,origin,flags,examples\r\n"))
        #expect(try Self.canaries().contains { csv.contains($0) })
        let json = try Data(contentsOf: URL(fileURLWithPath: report + "/inventory.json"))
        let object = try JSONSerialization.jsonObject(with: json) as? [String: Any]
        #expect(object?["profile"] as? String == "Basic Profile + Retain Safe Private Option")
    }

    static func mode(_ path: String) throws -> Int {
        try #require(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
    }

    /// Issue 24: with --show-values the report held patient names in files 0644 inside a folder 0755. Every
    /// report is owner-only, with or without values (the file flags name input paths); a report written over
    /// an older one readable by others becomes owner-only too.
    @Test(arguments: [false, true])
    func reportsAreOwnerOnly(showValues: Bool) throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let report = sandbox.path("reports/new")
        let run = try sandbox.run(.review, ["inventory", Sandbox.fixture("ct-explicit-le.dcm"), "--report", report]
                                  + (showValues ? ["--show-values"] : []))
        #expect(run.status == 0, "\(run.stderrText)")
        #expect(try Self.mode(report) == 0o700 && Self.mode(sandbox.path("reports")) == 0o700, "folders made for the report")
        let names = ["inventory.json", "inventory.csv", "inventory.html"]
        #expect(try FileManager.default.contentsOfDirectory(atPath: report).sorted() == names.sorted(), "no temporary left")
        for name in names { #expect(try Self.mode(report + "/" + name) == 0o600, "\(name)") }

        // Written again over files others could read: replaced by owner-only ones.
        for name in names { try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: report + "/" + name) }
        let again = try sandbox.run(.review, ["inventory", Sandbox.fixture("ct-explicit-le.dcm"), "--report", report, "--quiet"]
                                    + (showValues ? ["--show-values"] : []))
        #expect(again.status == 0, "\(again.stderrText)")
        for name in names { #expect(try Self.mode(report + "/" + name) == 0o600, "\(name) rewritten") }
    }

    @Test func badInputFailsTheRunButNotTheBatch() throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let bad = sandbox.path("bad.dcm")
        try Data("not a DICOM file at all".utf8).write(to: URL(fileURLWithPath: bad))
        let report = sandbox.path("report")
        let run = try sandbox.run(.review, ["inventory", Sandbox.fixture("ct-explicit-le.dcm"), bad,
                                            "--report", report, "--quiet"])
        #expect(run.status == 1, "\(run.stderrText)")
        let errors = run.stderrText.split(separator: "\n").filter { $0.hasPrefix("error: ") }
        #expect(errors.count == 1)
        #expect(errors.first?.hasPrefix("error: \(bad): ") == true)
        let json = try Data(contentsOf: URL(fileURLWithPath: report + "/inventory.json"))
        let object = try JSONSerialization.jsonObject(with: json) as? [String: Any]
        #expect(object?["files"] as? Int == 2)
        #expect(object?["failedFiles"] as? Int == 1)
        // No input at all is a usage error.
        #expect(try sandbox.run(.review, ["inventory", "--report", report]).status == 2)
    }
}
