import DICOMTestSupport
import Foundation
import MappingStore
import Testing

/// CTP lookup tables: Java properties and CSV, CTP's key form and @ indirections.
@Suite struct LookupTableTests {
    static let properties = #"""
        # Synthetic lookup table (fake identifiers only)
        ! another comment style
        ptid/FAKE-12345 = ANON-0001
        ptid/FAKE-67890:ANON-0002
        ptid/FAKE-SPACE     ANON-0003
          ptid/FAKE-INDENT = ANON-0004   
        ptid/FAKE\ WITH\ SPACES = ANON-0005
        ptid/FAKE\=EQ = ANON-0006
        ptid/FAKE-CONT = ANON-\
                         0007
        ptid/FAKE-UNI = ANON-\u00C9
        acc/FAKE-ACC-1 = @ptid/FAKE-12345
        acc/FAKE-ACC-2 = @acc/FAKE-ACC-1
        acc/FAKE-DANGLING = @ptid/NOBODY
        loop/A = @loop/B
        loop/B = @loop/A
        ptid/FAKE-EMPTY =
        ptid/FAKE-12345 = ANON-0001
        """#

    @Test func readsCTPPropertiesFormat() {
        let table = LookupTable(properties: Self.properties)
        #expect(table.value(type: "ptid", key: "FAKE-12345") == "ANON-0001")
        #expect(table.value(type: "ptid", key: "FAKE-67890") == "ANON-0002")
        #expect(table.value(type: "ptid", key: "FAKE-SPACE") == "ANON-0003")
        #expect(table.value(type: "ptid", key: "FAKE-INDENT") == "ANON-0004")
        #expect(table.value(type: "ptid", key: "FAKE WITH SPACES") == "ANON-0005")
        #expect(table.value(type: "ptid", key: "FAKE=EQ") == "ANON-0006")
        #expect(table.value(type: "ptid", key: "FAKE-CONT") == "ANON-0007")
        #expect(table.value(type: "ptid", key: "FAKE-UNI") == "ANON-\u{C9}")
        #expect(table.value(type: "ptid", key: "FAKE-EMPTY") == "")
        #expect(table.value(type: "ptid", key: "FAKE-MISSING") == nil)
        #expect(table.value(type: "acc", key: "FAKE-12345") == nil, "types are separate")
        #expect(table.count == 14)
    }

    /// What `java.util.Properties.load` (OpenJDK 17) reads from ``properties``, values untrimmed.
    @Test func parsesExactlyAsJavaProperties() {
        let java: [String: String] = [
            "acc/FAKE-ACC-1": "@ptid/FAKE-12345", "acc/FAKE-ACC-2": "@acc/FAKE-ACC-1",
            "acc/FAKE-DANGLING": "@ptid/NOBODY", "loop/A": "@loop/B", "loop/B": "@loop/A",
            "ptid/FAKE WITH SPACES": "ANON-0005", "ptid/FAKE-12345": "ANON-0001", "ptid/FAKE-67890": "ANON-0002",
            "ptid/FAKE-CONT": "ANON-0007", "ptid/FAKE-EMPTY": "", "ptid/FAKE-INDENT": "ANON-0004   ",
            "ptid/FAKE-SPACE": "ANON-0003", "ptid/FAKE-UNI": "ANON-\u{C9}", "ptid/FAKE=EQ": "ANON-0006",
        ]
        #expect(LookupTable(properties: Self.properties).entries == java)
        #expect(LookupTable(properties: "a/b=1\r\na/c=2\ra/d=3\\\r\n  4").entries == ["a/b": "1", "a/c": "2", "a/d": "34"])
    }

    @Test func followsIndirectionsLikeCTP() {
        let table = LookupTable(properties: Self.properties)
        #expect(table.value(type: "acc", key: "FAKE-ACC-1") == "ANON-0001")
        #expect(table.value(type: "acc", key: "FAKE-ACC-2") == "ANON-0001")
        #expect(table.value(type: "acc", key: "FAKE-DANGLING") == nil)
        #expect(table.value(type: "loop", key: "A") == nil, "more than 10 indirections")
    }

    @Test func trimsTypeKeyAndValueLikeCTP() {
        let table = LookupTable(entries: ["ptid/FAKE-1": "  ANON-1  "])
        #expect(table.value(type: " ptid ", key: "  FAKE-1 ") == "ANON-1")
    }

    @Test func readsCSVWithHeader() throws {
        let csv = "type,key,value\r\nptid,FAKE-1,ANON-1\r\nptid,\"FAKE,2\",\"ANON \"\"2\"\"\"\n\nacc, FAKE-3 ,ANON-3\n"
        let table = try LookupTable(csv: csv)
        #expect(table.value(type: "ptid", key: "FAKE-1") == "ANON-1")
        #expect(table.value(type: "ptid", key: "FAKE,2") == "ANON \"2\"")
        #expect(table.value(type: "acc", key: "FAKE-3") == "ANON-3")
        #expect(table.count == 3)
        #expect(try LookupTable(csv: "\u{FEFF}Type, Key, Value\nptid,FAKE-1,ANON-1").count == 1)
    }

    @Test func rejectsMalformedCSVWithoutQuotingIt() {
        #expect(throws: MappingStoreError(.malformedTable)) { try LookupTable(csv: "ptid,FAKE-1,ANON-1\n") }
        do {
            _ = try LookupTable(csv: "type,key,value\nptid,FAKE-SMITH\n")
            Issue.record("no error")
        } catch {
            #expect(error.description == "line 2 has 2 fields, not 3")
        }
        #expect(throws: MappingStoreError(.malformedTable)) { try LookupTable(csv: "type,key,value\nptid,\"FAKE,1\n") }
    }

    @Test func readsFilesByExtension() throws {
        let folder = try TemporaryDirectory(prefix: "lookup")
        defer { folder.remove() }
        let csv = folder.url.appendingPathComponent("table.CSV")
        try "type,key,value\nptid,FAKE-1,ANON-1\n".write(to: csv, atomically: false, encoding: .utf8)
        #expect(try LookupTable(contentsOf: csv.path).value(type: "ptid", key: "FAKE-1") == "ANON-1")
        let properties = folder.url.appendingPathComponent("lookup.properties")
        try Self.properties.write(to: properties, atomically: false, encoding: .utf8)
        #expect(try LookupTable(contentsOf: properties.path).value(type: "acc", key: "FAKE-ACC-2") == "ANON-0001")
        let missing = folder.url.appendingPathComponent("missing.properties").path
        #expect(throws: MappingStoreError(.unreadable)) { try LookupTable(contentsOf: missing) }
        let latin1 = folder.url.appendingPathComponent("latin1.properties")
        try Data([0x70, 0x2F, 0x41, 0x3D, 0xE9, 0x0A]).write(to: latin1)
        #expect(throws: MappingStoreError(.malformedTable)) { try LookupTable(contentsOf: latin1.path) }
    }
}
