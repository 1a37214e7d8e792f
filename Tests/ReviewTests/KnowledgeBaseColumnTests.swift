import DICOMTestSupport
import Deidentification
import Foundation
import Review
import Testing

/// `dicom-review inventory --private-tag-kb`: each private data element row carries the knowledge base's
/// disposition beside the profile's action, in the JSON, the CSV and the page; other rows carry none.
struct KnowledgeBaseColumnTests {
    static let tcia = RepositoryPaths.root.appendingPathComponent("Profiles/private/tcia-private-tag-kb-2024-02-01.csv").path

    @Test func privateRowsShowTheirTCIADisposition() throws {
        var (inventory, failures) = InventoryTests.scan([RepositoryPaths.fixtures.appendingPathComponent("ct-explicit-le.dcm").path])
        try #require(failures.isEmpty)
        #expect(inventory.knowledgeBase == nil && inventory.rows.allSatisfy { $0.knowledgeBase == nil })
        let csvBefore = InventoryWriter.csv(inventory)
        inventory.annotate(with: try PrivateTagKnowledgeBase.load(path: Self.tcia))
        #expect(inventory.knowledgeBase == "tcia-private-tag-kb-2024-02-01.csv")
        let suv = try #require(inventory.rows.first { $0.key == "(7053,\"Philips PET Private Group\",00)" })
        #expect(suv.knowledgeBase == "keep (TCIA k)")
        #expect(suv.action == "remove", "the Basic Profile removes it; the base would keep it")
        let fake = try #require(inventory.rows.first { $0.key == "(0009,\"ACME FAKE 1.0\",01)" })
        #expect(fake.knowledgeBase == PrivateTagKnowledgeBase.notListed)
        #expect(inventory.rows.filter { !$0.key.contains("\"") }.allSatisfy { $0.knowledgeBase == nil }, "standard rows")
        #expect(inventory.rows.first { $0.key == "(7053,\"Philips PET Private Group\")" }?.knowledgeBase == nil, "creator rows")

        let csv = InventoryWriter.csv(inventory)
        #expect(!csvBefore.contains("knowledge_base"))
        #expect(csv.hasPrefix("key,keyword,path,vrs,files,occurrences,distinct_values,distinct_is_estimate,min_length,"
                              + "max_length,action,rule,origin,flags,knowledge_base\r\n"))
        #expect(csv.contains("keep (TCIA k)"))
        let html = try InventoryReport.html(json: try InventoryWriter.json(inventory))
        #expect(html.contains("<th data-key=\"knowledgeBase\""))
        #expect(html.contains("<td class=\"knowledge-base\">keep (TCIA k)</td>"))
    }

    @Test func aBrokenBaseIsOneLineNamingTheFile() throws {
        let folder = try TemporaryDirectory(prefix: "kb")
        defer { folder.remove() }
        let path = folder.url.appendingPathComponent("kb.csv").path
        try Data("group,private_creator,element,action\n0019,ACME,0C,maybe\n".utf8).write(to: URL(fileURLWithPath: path))
        let error = #expect(throws: (any Error).self) { try PrivateTagKnowledgeBase.load(path: path) }
        #expect("\(error.map { "\($0)" } ?? "")".hasPrefix("\(path):2: unknown action"))
    }
}
