import FileSystem
import DICOMTestSupport
import Foundation
import Testing

/// The folder walk every command uses to find its inputs.
struct DirectoryWalkerTests {
    @Test func listsRegularFilesSortedAndSkipsHiddenEntriesAndLinks() throws {
        let directory = try TemporaryDirectory(prefix: "walker-tests")
        defer { directory.remove() }
        let root = directory.url.path
        let manager = FileManager.default
        try manager.createDirectory(atPath: root + "/b/sub", withIntermediateDirectories: true)
        try manager.createDirectory(atPath: root + "/.hidden-folder", withIntermediateDirectories: true)
        for name in ["z.dcm", "a.dcm", "b/sub/2", "b/sub/10", "b/1", ".hidden", "b/.DS_Store", ".hidden-folder/x"] {
            #expect(manager.createFile(atPath: root + "/" + name, contents: Data([1])))
        }
        try manager.createSymbolicLink(atPath: root + "/b/loop", withDestinationPath: root)
        try manager.createSymbolicLink(atPath: root + "/link.dcm", withDestinationPath: root + "/a.dcm")
        let walk = DirectoryWalker(root: root)
        #expect(walk.files == ["a.dcm", "b/1", "b/sub/10", "b/sub/2", "z.dcm"], "sorted by path, byte order")
        #expect(walk.links == ["b/loop", "link.dcm"], "links listed, never followed (a loop cannot trap the walk)")
        #expect(walk.unreadable.isEmpty)
    }

    @Test func anUnreadableFolderIsReportedAndTheWalkGoesOn() throws {
        let directory = try TemporaryDirectory(prefix: "walker-tests")
        defer { directory.remove() }
        let root = directory.url.path
        try FileManager.default.createDirectory(atPath: root + "/locked", withIntermediateDirectories: true)
        #expect(FileManager.default.createFile(atPath: root + "/locked/secret", contents: Data([1])))
        #expect(FileManager.default.createFile(atPath: root + "/open.dcm", contents: Data([1])))
        // Injected, so that the test holds also when run as root (who reads any folder).
        var calls = SystemCalls.live
        calls.opendir = { path in
            if String(cString: path).hasSuffix("/locked") {
                errno = EACCES
                return nil
            }
            return SystemCalls.live.opendir(path)
        }
        let walk = SystemCalls.$current.withValue(calls) { DirectoryWalker(root: root) }
        #expect(walk.files == ["open.dcm"])
        let failure = try #require(walk.unreadable.first)
        #expect(walk.unreadable.count == 1)
        #expect(failure.folder == root + "/locked")
        #expect(failure.error.code == .permissionDenied)
        #expect(failure.error.description == "cannot read folder: Permission denied")
    }
}
