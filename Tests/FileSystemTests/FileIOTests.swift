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
            #expect(throws: SystemCallError(.notFound, reason: "")) {
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
            #expect(error.code == .notFound)
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

enum StaleTestError: Error { case cannotSpawn, childDidNotExit }

/// Which temporaries a later run removes: those whose writer has ended, however it ended.
struct StaleTemporaryTests {
    static let prefix = ".test-tmp-"

    /// A child that has exited but is not reaped yet (what a `kill -9`ed run is until its parent waits).
    static func zombie() throws -> pid_t {
        var pid: pid_t = 0
        let arguments: [UnsafeMutablePointer<CChar>?] = [strdup("/bin/true"), nil]
        defer { arguments.forEach { free($0) } }
        guard posix_spawn(&pid, "/bin/true", nil, nil, arguments, environ) == 0 else { throw StaleTestError.cannotSpawn }
        // Wait, without reaping, until it has exited.
        for _ in 0..<5000 {
            var info = siginfo_t()
            if waitid(P_PID, id_t(pid), &info, WEXITED | WNOWAIT) == 0 { return pid }
            usleep(1000)
        }
        throw StaleTestError.childDidNotExit
    }

    @Test func removesTheTemporariesOfAZombie() throws {
        let folder = try TemporaryDirectory(prefix: "stale")
        defer { folder.remove() }
        let pid = try Self.zombie()
        defer { waitpid(pid, nil, 0) }
        let path = folder.url.path + "/\(Self.prefix)\(pid)-abcdef"
        #expect(FileManager.default.createFile(atPath: path, contents: Data("restored".utf8)))
        #expect(kill(pid, 0) == 0, "the zombie still answers kill(pid, 0)")
        #expect(FileIO.removeStaleTemporaries(in: folder.url.path, prefix: Self.prefix) == 1)
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    /// A lock file no process holds: its writer ended, even when its process ID now names a running process.
    @Test func aFreeLockFileMeansTheWriterEndedWhateverRunsUnderItsID() throws {
        let folder = try TemporaryDirectory(prefix: "stale")
        defer { folder.remove() }
        let reused = getppid()   // running, but not the writer
        let path = folder.url.path + "/\(Self.prefix)\(reused)-abcdef"
        let lock = folder.url.path + "/\(Self.prefix)\(reused)-lock"
        #expect(FileManager.default.createFile(atPath: path, contents: Data("restored".utf8)))
        #expect(FileManager.default.createFile(atPath: lock, contents: nil))
        #expect(FileIO.removeStaleTemporaries(in: folder.url.path, prefix: Self.prefix) == 1)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.url.path).isEmpty)
    }

    /// This process's lock keeps its temporaries, until it lets go of it.
    @Test func aHeldLockKeepsTheTemporariesAndIsRemovedAtTheEnd() throws {
        let folder = try TemporaryDirectory(prefix: "stale")
        defer { folder.remove() }
        try FileIO.lockTemporaries(in: folder.url.path, prefix: Self.prefix)
        let path = folder.url.path + "/\(Self.prefix)\(getpid())-abcdef"
        #expect(FileManager.default.createFile(atPath: path, contents: Data("restored".utf8)))
        #expect(FileIO.removeStaleTemporaries(in: folder.url.path, prefix: Self.prefix) == 0)
        #expect(FileManager.default.fileExists(atPath: path))
        FileIO.unlockTemporaries(in: folder.url.path, prefix: Self.prefix)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.url.path) == ["\(Self.prefix)\(getpid())-abcdef"])
    }
}
