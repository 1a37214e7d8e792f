import DICOMTestSupport
import Deidentification
import Foundation
import Review
import Testing

/// The page of the real fixtures' inventory (what `dicom-review inventory Fixtures` writes), in headless Chromium:
/// it loads without console errors, shows one table row per inventory row and every flag, and its own
/// `#selftest` sorts and filters it. The screenshot is kept as a test artifact.
@Suite(.enabled(if: HeadlessChromium.installed != nil || HeadlessChromium.inCI,
                "chromium is not installed (apt-get install chromium); with CI=true this is a failure"))
struct FixtureReportBrowserTests {
    @Test func fixturesInventoryPageWorks() throws {
        let (inventory, failures) = InventoryTests.scan(InventoryTests.fixtureFiles)
        #expect(failures.isEmpty, "\(failures)")
        let artifacts = ReportBrowserTests.artifacts
        try FileManager.default.createDirectory(at: artifacts, withIntermediateDirectories: true)
        let written = try InventoryWriter.write(inventory, to: artifacts.appendingPathComponent("fixtures-inventory").path)
        let page = URL(fileURLWithPath: try #require(written.first { $0.hasSuffix(".html") }))
        let chromium = try ReportBrowserTests.chromium()

        let outcome = try chromium.run(["--dump-dom"], url: page.absoluteString + "#selftest")
        #expect(outcome.status == 0, "chromium failed: \(outcome.stderr.suffix(2000))")
        #expect(outcome.consoleMessages.isEmpty, "console messages: \(outcome.consoleMessages)")
        let dom = outcome.stdout
        let table = try #require(ReportBrowserTests.slice(dom, from: "<table id=\"rows\">", to: "</table>"))
        let flagged = inventory.rows.filter { !$0.flags.isEmpty }.count
        let badges = inventory.rows.reduce(0) { $0 + $1.flags.count }
        #expect(ReportBrowserTests.count("<tr data-index=", in: table) == inventory.rows.count)
        #expect(ReportBrowserTests.count("class=\"badge ", in: table) == badges)
        for flag in ["freeTextKept", "unknownCreator", "notInDictionary"] { #expect(table.contains(flag), "\(flag)") }
        let files = try #require(ReportBrowserTests.slice(dom, from: "<table id=\"files\">", to: "</table>"))
        #expect(files.contains("burnedInSOPClass"))

        let json = try #require(ReportBrowserTests.slice(dom, from: "<pre id=\"selftest\">", to: "</pre>"), "self-test did not run")
        let result = try JSONDecoder().decode(ReportBrowserTests.SelfTest.self,
                                              from: Data(ReportBrowserTests.unescapeText(json).utf8))
        #expect(result.ok, "self-test threw: \(result.error ?? "")")
        #expect(result.rows == inventory.rows.count)
        #expect(result.flaggedRows == flagged)
        #expect(result.sortAsc.values == result.sortAsc.values.sorted())
        #expect(result.sortDesc.values == result.sortDesc.values.sorted(by: >))
        #expect(result.rowsFlaggedOnly == flagged)
        #expect(result.rowsAfterFilter < inventory.rows.count && result.rowsAfterFilter > 0)
        #expect(result.rowsAfterReset == inventory.rows.count)

        let png = artifacts.appendingPathComponent("fixtures-inventory.png")
        try? FileManager.default.removeItem(at: png)
        let shot = try chromium.run(["--screenshot=\(png.path)", "--window-size=1400,1000", "--hide-scrollbars"],
                                    url: page.absoluteString)
        #expect(shot.status == 0 && shot.consoleMessages.isEmpty, "\(shot.stderr.suffix(2000))")
        let bytes = try Data(contentsOf: png)
        #expect(bytes.starts(with: [0x89, 0x50, 0x4E, 0x47]) && bytes.count > 20_000)
    }
}
