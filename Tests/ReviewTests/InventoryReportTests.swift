import Foundation
import Review
import Testing

/// The HTML page without a browser: what it contains, and that nothing from the inventory reaches it unescaped.
struct InventoryReportTests {
    static let page: String = (try? InventoryReport.html(json: ReportSampleInventory.data)) ?? ""

    @Test func rendersOneTableRowPerInventoryRow() {
        #expect(Self.page.hasPrefix("<!DOCTYPE html>"))
        #expect(Self.page.components(separatedBy: "<tr data-index=").count - 1 == ReportSampleInventory.rowCount)
        #expect(Self.page.components(separatedBy: "<tr data-index=\"").count - 1 == ReportSampleInventory.rowCount)
        #expect(Self.page.components(separatedBy: " class=\"flagged\">").count - 1
                == ReportSampleInventory.flaggedRowCount + 3)  // + the three flagged files
    }

    @Test func summarisesBySOPClassModalityAndManufacturer() {
        #expect(Self.page.contains("<tr><td>CT Image Storage</td><td class=\"num\">5</td></tr>"))
        #expect(Self.page.contains("<tr><td>RTSTRUCT</td><td class=\"num\">1</td></tr>"))
        #expect(Self.page.contains("<tr><td>FAKECO MEDICAL</td><td class=\"num\">11</td></tr>"))
    }

    @Test func escapesEveryValue() {
        let page = Self.page
        #expect(!page.contains("<script>alert"))
        #expect(page.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"))
        #expect(!page.contains("<b>ACME</b>"))
        #expect(page.contains("&lt;b&gt;ACME&lt;/b&gt; &amp; &quot;Sons&quot;"))
        #expect(page.contains("data-key=\"(0009,&quot;ACME FAKE 1.0&quot;,01)\""))
        #expect(page.contains("ContentSequence[*].(0071,0010) &amp; &lt;more&gt;"))
        #expect(page.contains("Ünïcødé^Nämé"))
    }

    @Test(arguments: [
        ("a<b>&\"c'", "a&lt;b&gt;&amp;&quot;c&#39;"),
        ("tab\there\nline", "tab\there\nline"),
        ("nul\u{0}esc\u{1B}c1\u{85}", "nul\u{FFFD}esc\u{FFFD}c1\u{FFFD}"),
        ("", ""),
    ])
    func escapesMarkupAndControlCharacters(input: String, expected: String) throws {
        let json = try JSONEncoder().encode(["rows": [["key": input, "keyword": input]]])
        let page = try InventoryReport.html(json: json)
        #expect(page.contains("<td class=\"wrap keyword\">\(expected)</td>"))
    }

    @Test func isSelfContained() {
        let page = Self.page
        #expect(!page.contains("http://") && !page.contains("https://"), "the page names a network address")
        #expect(page.contains("Content-Security-Policy\" content=\"default-src 'none';"))
        for element in ["<link", "<img", "<iframe", "<object", "<embed", "<script src", "@import", "url("] {
            #expect(!page.contains(element), "\(element) could fetch something")
        }
    }

    @Test func showsABadgePerFlagWithItsMeaning() {
        #expect(Self.page.contains("<span class=\"badge flag-unknownCreator\" title=\"a private creator that no disposition knows\">unknownCreator</span>"))
        #expect(Self.page.contains("id=\"files\""))
        #expect(Self.page.contains("Fixtures/sc-utf8-explicit-le.dcm"))
    }

    @Test func showsExamplesOnlyWhenTheInventoryHasThem() throws {
        #expect(Self.page.contains("data-key=\"examples\""))
        let withoutValues = try InventoryReport.html(json: Data(#"{"rows": [{"key": "(0010,0010)"}]}"#.utf8))
        #expect(!withoutValues.contains("data-key=\"examples\""))
    }

    @Test func rejectsJSONThatIsNotAnInventory() throws {
        for json in [#"{"files": 3}"#, "not json"] {
            let error = try #require(throws: LeftoverCheckError.self) { try InventoryReport.html(json: Data(json.utf8)) }
            #expect(error.code == .reportFailed)
            #expect(error.cause is DecodingError, "the decoder's error is the cause")
            #expect(error.thrownAt.fileID == "Review/InventoryReport.swift")
        }
    }
}
