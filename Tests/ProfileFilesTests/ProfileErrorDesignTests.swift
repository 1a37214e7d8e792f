import DICOMTestSupport
import Foundation
import MappingStore
import ProfileFiles
import Testing

/// The one error design (issue 13 item 4): throw site in this module, underlying errors chained as causes.
struct ProfileErrorDesignTests {
    @Test func badProfileRecordsItsThrowSiteInThisModule() throws {
        let error = try #require(throws: ProfileFileError.self) {
            _ = try NativeProfileParser.parse("version: 2\n", file: "site.yaml")
        }
        #expect(error.code == .invalid)
        #expect(error.thrownAt.fileID.hasPrefix("ProfileFiles/"))
        #expect(error.file == "site.yaml" && error.line == 1)
        #expect(error.cause == nil)
    }

    @Test func refusedRequestSaysSo() throws {
        let error = try #require(throws: ProfileFileError.self) {
            try ProfileRequest(lookupTable: "lookup.properties").check()
        }
        #expect(error.code == .invalidRequest)
        #expect(error.thrownAt.fileID == "ProfileFiles/ProfileRequest.swift")
        #expect(error.description == "command line: a CTP lookup table needs a CTP script")
    }

    @Test func missingLookupTableKeepsTheMappingStoreErrorAsItsCause() throws {
        let folder = try TemporaryDirectory(prefix: "profile-errors")
        defer { folder.remove() }
        let script = folder.url.appendingPathComponent("p.script").path
        try Data("<script>\n<e en=\"T\" t=\"00100010\" n=\"PatientName\">@remove()</e>\n</script>\n".utf8)
            .write(to: URL(fileURLWithPath: script))
        let table = folder.url.appendingPathComponent("missing.properties").path
        let error = try #require(throws: ProfileFileError.self) {
            _ = try ProfileRequest(ctpScript: script, lookupTable: table).load()
        }
        #expect(error.code == .mappingUnavailable)
        let cause = try #require(error.cause as? MappingStoreError)
        #expect(error.description == "\(table): \(cause)")
        #expect(error.message == "\(cause)")
    }
}
