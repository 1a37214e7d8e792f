import DICOMTestSupport
import Foundation
import Testing
@testable import Review

struct OriginalsIndexTests {
    /// A folder with an audit log naming `input` for the output `out/1.2/3.4/5.6.dcm`.
    static func logFolder(input: String) throws -> (folder: String, log: String) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("review-index-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let log = folder + "/out-audit.jsonl"
        let lines = """
        {"input":"\(input)","output":"\(folder)/out/1.2/3.4/5.6.dcm","status":"written"}
        {"input":"/gone/failed.dcm","status":"failed","error":"not DICOM"}

        """
        try Data(lines.utf8).write(to: URL(fileURLWithPath: log))
        return (folder, log)
    }

    @Test func findsTheLoggedInputByOutputPathOrItsLastComponents() throws {
        let fixture = RepositoryPaths.fixtures.appendingPathComponent("mr-explicit-le.dcm").path
        let (folder, log) = try Self.logFolder(input: fixture)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let index = try OriginalsIndex(auditLog: log, originalsFolder: "/nowhere")
        #expect(index.original(of: folder + "/out/1.2/3.4/5.6.dcm") == fixture)
        #expect(index.original(of: "/copied/elsewhere/1.2/3.4/5.6.dcm") == fixture)
        #expect(index.original(of: folder + "/out/1.2/3.4/other.dcm") == nil)
    }

    @Test func looksUnderTheOriginalsFolderWhenTheLoggedInputMoved() throws {
        let (folder, log) = try Self.logFolder(input: "/moved/away/mr-explicit-le.dcm")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let index = try OriginalsIndex(auditLog: log, originalsFolder: RepositoryPaths.fixtures.path)
        #expect(index.original(of: folder + "/out/1.2/3.4/5.6.dcm")
                == RepositoryPaths.fixtures.path + "/mr-explicit-le.dcm")
    }

    /// `--keep-layout` outputs carry no UIDs in their names: once their folder moved they are found by their last
    /// three path components, never by a file name two inputs share. A resumed run logging the same output again
    /// ("already done") does not make it ambiguous.
    @Test func findsKeepLayoutOutputsAfterTheFolderMovedAndResumedOutputs() throws {
        let a = RepositoryPaths.fixtures.appendingPathComponent("mr-explicit-le.dcm").path
        let b = RepositoryPaths.fixtures.appendingPathComponent("ct-explicit-le.dcm").path
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("review-index-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let log = folder + "/out-audit.jsonl"
        let lines = """
        {"input":"\(a)","output":"\(folder)/out/patA/ser/IM1.dcm","status":"written"}
        {"input":"\(b)","output":"\(folder)/out/patB/ser/IM1.dcm","status":"written"}
        {"input":"\(a)","output":"\(folder)/out/1.2/3.4/5.6.dcm","status":"written"}
        {"input":"\(a)","output":"\(folder)/out/1.2/3.4/5.6.dcm","status":"skipped","reason":"already done"}

        """
        try Data(lines.utf8).write(to: URL(fileURLWithPath: log))
        let index = try OriginalsIndex(auditLog: log, originalsFolder: "/nowhere")
        #expect(index.original(of: "/moved/patA/ser/IM1.dcm") == a)
        #expect(index.original(of: "/moved/patB/ser/IM1.dcm") == b)
        #expect(index.original(of: "/moved/patC/ser/IM1.dcm") == nil)   // IM1.dcm alone names two inputs
        #expect(index.original(of: "/moved/1.2/3.4/5.6.dcm") == a)
    }

    @Test func unreadableLogThrows() {
        #expect(throws: LeftoverCheckError.self) { try OriginalsIndex(auditLog: "/no/such/log.jsonl", originalsFolder: "/") }
    }
}
