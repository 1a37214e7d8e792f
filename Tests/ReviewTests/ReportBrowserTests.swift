import DICOMTestSupport
import Foundation
import Review
import Testing

/// The inventory page as a person sees it: rendered, loaded in headless Chromium, sorted and filtered by its own
/// `#selftest` hook, and photographed. Skipped when chromium is not installed, except in CI (`CI=true`).
@Suite(.enabled(if: HeadlessChromium.installed != nil || HeadlessChromium.inCI,
                "chromium is not installed (apt-get install chromium); with CI=true this is a failure"))
struct ReportBrowserTests {
    /// Where the rendered page and its screenshot are kept after the run (not committed).
    static let artifacts = RepositoryPaths.root.appendingPathComponent(".build/test-artifacts")

    /// What the page's `#selftest` hook writes into `<pre id="selftest">`.
    struct SelfTest: Decodable {
        struct Sorted: Decodable {
            var firstKey: String
            var values: [Double]
            var ariaSort: String
        }

        var ok: Bool
        var error: String?
        var rows: Int
        var rowsVisibleBefore: Int
        var flaggedRows: Int
        var badges: Int
        var sortAsc: Sorted
        var sortDesc: Sorted
        var keySortAsc: [String]
        var keySortDesc: [String]
        var rowsAfterFilter: Int
        var shownAfterFilter: Int
        var rowsAfterFilterFlaggedOnly: Int
        var rowsFlaggedOnly: Int
        var rowsAfterReset: Int
    }

    static func chromium() throws -> HeadlessChromium {
        guard let chromium = HeadlessChromium.installed else {
            throw BrowserTestError("chromium is not installed, and CI=true requires it (Scripts/setup.sh installs it)")
        }
        return chromium
    }

    /// Writes the sample inventory's page into the artifacts folder as `name` and returns its path.
    static func renderSample(_ name: String) throws -> URL {
        try FileManager.default.createDirectory(at: artifacts, withIntermediateDirectories: true)
        let page = artifacts.appendingPathComponent(name)
        try Data(InventoryReport.html(json: ReportSampleInventory.data).utf8).write(to: page)
        return page
    }

    @Test func selfTestSortsFiltersAndShowsFlagsWithoutConsoleErrors() throws {
        let page = try Self.renderSample("review-report-selftest.html")
        let outcome = try Self.chromium().run(["--dump-dom"], url: page.absoluteString + "#selftest")
        #expect(outcome.status == 0, "chromium failed: \(outcome.stderr.suffix(2000))")
        #expect(outcome.consoleMessages.isEmpty, "console messages: \(outcome.consoleMessages)")
        let dom = outcome.stdout

        let table = try #require(Self.slice(dom, from: "<table id=\"rows\">", to: "</table>"), "no rows table in the DOM")
        #expect(Self.count("<tr data-index=", in: table) == ReportSampleInventory.rowCount)
        #expect(Self.count("class=\"badge ", in: table) == ReportSampleInventory.rowFlagCount)
        #expect(Self.count("<tr data-index=\"", in: table) - Self.count("class=\"flagged\"", in: table)
                == ReportSampleInventory.rowCount - ReportSampleInventory.flaggedRowCount)
        let files = try #require(Self.slice(dom, from: "<table id=\"files\">", to: "</table>"), "no file flags table")
        #expect(files.contains("burnedInAnnotation"))
        #expect(!dom.contains("<script>alert"), "an example value reached the DOM as markup")

        let json = try #require(Self.slice(dom, from: "<pre id=\"selftest\">", to: "</pre>"), "self-test did not run")
        let result = try JSONDecoder().decode(SelfTest.self, from: Data(Self.unescapeText(json).utf8))
        #expect(result.ok, "self-test threw: \(result.error ?? "")")
        #expect(result.rows == ReportSampleInventory.rowCount)
        #expect(result.rowsVisibleBefore == ReportSampleInventory.rowCount)
        #expect(result.flaggedRows == ReportSampleInventory.flaggedRowCount)
        #expect(result.badges == ReportSampleInventory.rowFlagCount)

        // Occurrences sort numerically (as text "9" would follow "120").
        #expect(result.sortAsc.values == result.sortAsc.values.sorted())
        #expect(result.sortDesc.values == result.sortDesc.values.sorted(by: >))
        #expect(result.sortAsc.firstKey == ReportSampleInventory.fewestOccurrencesKey)
        #expect(result.sortDesc.firstKey == ReportSampleInventory.mostOccurrencesKey)
        #expect(result.sortAsc.ariaSort == "ascending" && result.sortDesc.ariaSort == "descending")
        let keys = Self.sampleKeys()
        #expect(result.keySortAsc == keys.sorted { $0.lowercased() < $1.lowercased() })
        #expect(result.keySortDesc.first == result.keySortAsc.last)

        #expect(result.rowsAfterFilter == ReportSampleInventory.patientRowCount)
        #expect(result.shownAfterFilter == ReportSampleInventory.patientRowCount)
        #expect(result.rowsAfterFilterFlaggedOnly == ReportSampleInventory.flaggedPatientRowCount)
        #expect(result.rowsFlaggedOnly == ReportSampleInventory.flaggedRowCount)
        #expect(result.rowsAfterReset == ReportSampleInventory.rowCount)
    }

    @Test func screenshotIsKeptAsArtifact() throws {
        let page = try Self.renderSample("review-report.html")
        let png = Self.artifacts.appendingPathComponent("review-report.png")
        try? FileManager.default.removeItem(at: png)
        let outcome = try Self.chromium().run(["--screenshot=\(png.path)", "--window-size=1400,1000",
                                               "--hide-scrollbars"], url: page.absoluteString)
        #expect(outcome.status == 0, "chromium failed: \(outcome.stderr.suffix(2000))")
        #expect(outcome.consoleMessages.isEmpty, "console messages: \(outcome.consoleMessages)")
        let bytes = try Data(contentsOf: png)
        #expect(bytes.starts(with: [0x89, 0x50, 0x4E, 0x47]), "not a PNG")
        #expect(bytes.count > 20_000, "screenshot is suspiciously small (\(bytes.count) bytes): blank page?")
        print("review report screenshot: \(png.path)")
    }

    /// Remakes `docs/review-report.png` (the screenshot in docs/review.md) when `DICOM_DEID_DOCS_SCREENSHOT=1`, from the
    /// inventory JSON named by `DICOM_DEID_DOCS_INVENTORY`, else from the sample without its examples, flagged rows only:
    /// `r=$(mktemp -d) && dicom-review inventory Fixtures --report $r && DICOM_DEID_DOCS_SCREENSHOT=1
    /// DICOM_DEID_DOCS_INVENTORY=$r/inventory.json swift test --filter ReportBrowserTests.docsScreenshot`.
    @Test(.enabled(if: ProcessInfo.processInfo.environment["DICOM_DEID_DOCS_SCREENSHOT"] == "1"))
    func docsScreenshot() throws {
        try FileManager.default.createDirectory(at: Self.artifacts, withIntermediateDirectories: true)
        let page = Self.artifacts.appendingPathComponent("review-report-docs.html")
        let json = try ProcessInfo.processInfo.environment["DICOM_DEID_DOCS_INVENTORY"]
            .map { try Data(contentsOf: URL(fileURLWithPath: $0)) } ?? ReportSampleInventory.docsData
        try Data(InventoryReport.html(json: json).utf8).write(to: page)
        let png = RepositoryPaths.root.appendingPathComponent("docs/review-report.png")
        let outcome = try Self.chromium().run(["--screenshot=\(png.path)", "--window-size=1400,1250",
                                               "--hide-scrollbars"], url: page.absoluteString + "#flagged")
        #expect(outcome.status == 0 && outcome.consoleMessages.isEmpty, "\(outcome.stderr.suffix(2000))")
        print("docs/review.md screenshot: \(png.path)")
    }

    // MARK: - Helpers

    /// The text between the first `start` and the next `end`, both excluded.
    static func slice(_ text: String, from start: String, to end: String) -> String? {
        guard let open = text.range(of: start), let close = text.range(of: end, range: open.upperBound..<text.endIndex)
        else { return nil }
        return String(text[open.upperBound..<close.lowerBound])
    }

    static func count(_ needle: String, in text: String) -> Int {
        text.components(separatedBy: needle).count - 1
    }

    /// Undoes the escaping of a serialised text node (`&amp;`, `&lt;`, `&gt;`, `&nbsp;`).
    static func unescapeText(_ text: String) -> String {
        text.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&nbsp;", with: "\u{A0}").replacingOccurrences(of: "&amp;", with: "&")
    }

    /// The `key` of every row of the sample, in file order.
    static func sampleKeys() -> [String] {
        struct Keys: Decodable {
            struct Row: Decodable { var key: String }
            var rows: [Row]
        }
        return (try? JSONDecoder().decode(Keys.self, from: ReportSampleInventory.data).rows.map(\.key)) ?? []
    }
}

/// Why a browser test could not run or read its sample (chromium missing in CI, a malformed sample).
struct BrowserTestError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
