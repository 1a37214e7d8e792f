import FileSystem
import DICOMCodec
import DICOMCore
import DICOMTestSupport
import Foundation
import Testing

/// Whole-file reads and atomic writes: the file appears complete or not at all, an existing file is never
/// replaced unless asked, and no temporary file is left behind.
struct FileIOTests {
    /// Runs `body` in a fresh folder and returns the folder's entries afterwards (hidden ones included).
    @discardableResult
    func inFolder(_ body: (String) throws -> Void) throws -> [String] {
        let directory = try TemporaryDirectory(prefix: "fileio-tests")
        defer { directory.remove() }
        try body(directory.url.path)
        return try FileManager.default.contentsOfDirectory(atPath: directory.url.path).sorted()
    }

    static let payload: [UInt8] = (0..<10_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }

    @Test(arguments: [false, true])
    func writeAtomicallyCreatesTheFileWithTheBytes(_ overwrite: Bool) throws {
        let entries = try inFolder { folder in
            try FileIO.writeAtomically(Self.payload, to: folder + "/out.dcm", overwrite: overwrite, prefix: ".test-tmp-")
            #expect(try FileIO.readAll(path: folder + "/out.dcm") == Self.payload)
        }
        #expect(entries == ["out.dcm"], "no temporary file left: \(entries)")
    }

    @Test func writesEmptyAndLargeFiles() throws {
        let large = [UInt8](repeating: 0xAB, count: 3 << 20) + Self.payload
        let entries = try inFolder { folder in
            try FileIO.writeAtomically([], to: folder + "/empty", overwrite: false, prefix: ".test-tmp-")
            #expect(try FileIO.readAll(path: folder + "/empty") == [])
            try FileIO.writeAtomically(large, to: folder + "/large", overwrite: false, prefix: ".test-tmp-")
            #expect(try FileIO.readAll(path: folder + "/large") == large)
        }
        #expect(entries == ["empty", "large"])
    }

    @Test func neverOverwritesWithoutPermission() throws {
        let entries = try inFolder { folder in
            let path = folder + "/existing.dcm"
            try Data("precious".utf8).write(to: URL(fileURLWithPath: path))
            #expect(throws: SystemCallError(.exists, reason: "")) {
                try FileIO.writeAtomically(Self.payload, to: path, overwrite: false, prefix: ".test-tmp-")
            }
            #expect(try FileIO.readAll(path: path) == Array("precious".utf8), "existing file intact")
            do {
                try FileIO.writeAtomically(Self.payload, to: path, overwrite: false, prefix: ".test-tmp-")
            } catch {
                #expect("\(error)".contains("exists"), "\(error)")
                #expect(!"\(error)".contains("\n"))
            }
        }
        #expect(entries == ["existing.dcm"], "no temporary file left after the refusal: \(entries)")
    }

    @Test func overwritesWhenAsked() throws {
        let entries = try inFolder { folder in
            let path = folder + "/existing.dcm"
            try Data("old".utf8).write(to: URL(fileURLWithPath: path))
            try FileIO.writeAtomically(Self.payload, to: path, overwrite: true, prefix: ".test-tmp-")
            #expect(try FileIO.readAll(path: path) == Self.payload)
        }
        #expect(entries == ["existing.dcm"])
    }

    @Test func refusesToReplaceADirectory() throws {
        let entries = try inFolder { folder in
            try FileManager.default.createDirectory(atPath: folder + "/sub", withIntermediateDirectories: false)
            #expect(throws: SystemCallError(.exists, reason: "")) { try FileIO.writeAtomically(Self.payload, to: folder + "/sub", overwrite: false, prefix: ".test-tmp-") }
            #expect(throws: SystemCallError(.failed, reason: "")) { try FileIO.writeAtomically(Self.payload, to: folder + "/sub", overwrite: true, prefix: ".test-tmp-") }
        }
        #expect(entries == ["sub"], "no temporary file left: \(entries)")
    }

    @Test func failsInAMissingFolderWithoutLeavingAnything() throws {
        let entries = try inFolder { folder in
            #expect(throws: SystemCallError(.failed, reason: "")) {
                try FileIO.writeAtomically(Self.payload, to: folder + "/missing/out.dcm", overwrite: false, prefix: ".test-tmp-")
            }
        }
        #expect(entries.isEmpty)
    }

    @Test func newFileGetsTheRequestedMode() throws {
        try inFolder { folder in
            try FileIO.writeAtomically(Self.payload, to: folder + "/default", overwrite: false, prefix: ".test-tmp-")
            try FileIO.writeAtomically(Self.payload, to: folder + "/private", overwrite: false, mode: 0o600, prefix: ".test-tmp-")
            let attributes = { (name: String) in
                try FileManager.default.attributesOfItem(atPath: folder + "/" + name)[.posixPermissions] as? Int
            }
            #expect(try attributes("default") == 0o644)
            #expect(try attributes("private") == 0o600)
        }
    }

    @Test func readAllOfADirectoryIsAnIOError() throws {
        try inFolder { folder in
            #expect(throws: SystemCallError(.notRegularFile, reason: "")) { try FileIO.readAll(path: folder) }
        }
    }

    @Test func readAllOfAMissingFileIsAnIOError() throws {
        try inFolder { folder in
            let error = try #require(throws: SystemCallError.self) { try FileIO.readAll(path: folder + "/nothing-here.dcm") }
            #expect(error.code == .failed)
            #expect(error.errno == ENOENT)
            #expect(error.thrownAt.fileID.hasPrefix("FileSystem/"))
            #expect(error.description == "cannot open for reading: No such file or directory")
        }
    }

    /// Part10Reader names the file in the errors it throws, also for I/O errors.
    @Test func readerErrorsNameTheFile() throws {
        try inFolder { folder in
            do {
                _ = try Part10Reader.read(contentsOf: folder + "/absent.dcm")
                Issue.record("reading a missing file succeeded")
            } catch let error as DICOMError {
                #expect(error.code == .io)
                #expect(error.description.contains("of absent.dcm"), "\(error)")
            }
        }
    }
}
