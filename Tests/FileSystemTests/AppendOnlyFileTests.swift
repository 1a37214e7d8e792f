import FileSystem
import DICOMTestSupport
import Foundation
import Testing

/// A log file is only ever added to: what was there stays, every append lands at the end, whole.
struct AppendOnlyFileTests {
    @Test func appendsAfterWhatIsThereAndCreatesWithTheMode() throws {
        let directory = try TemporaryDirectory(prefix: "append-tests")
        defer { directory.remove() }
        let path = directory.url.path + "/log.jsonl"
        do {
            let file = try AppendOnlyFile(path: path, mode: 0o600)
            try file.append(Array("one\n".utf8))
            try file.sync()
        }
        #expect(try FileIO.permissions(of: path) == 0o600)
        do {
            let again = try AppendOnlyFile(path: path)
            let other = try AppendOnlyFile(path: path)
            try again.append(Array("two\n".utf8))
            try other.append(Array("three\n".utf8))   // a second writer lands after, never over
            try again.append([])
        }
        #expect(String(decoding: try FileIO.readAll(path: path), as: UTF8.self) == "one\ntwo\nthree\n")
    }

    @Test func failuresNameTheFile() throws {
        let directory = try TemporaryDirectory(prefix: "append-tests")
        defer { directory.remove() }
        let path = directory.url.path + "/log.jsonl"
        let missing = directory.url.path + "/no-folder/log.jsonl"
        let openError = try #require(throws: SystemCallError.self) { try AppendOnlyFile(path: missing) }
        #expect(openError.code == .notFound)
        #expect(openError.path == missing)
        let file = try AppendOnlyFile(path: path)
        try file.append(Array("kept\n".utf8))
        let error = try #require(throws: SystemCallError.self) {
            try SystemCalls.$current.withValue(InjectedFailureTests.failingWrites(ENOSPC)) { try file.append(Array("lost\n".utf8)) }
        }
        #expect(error.code == .noSpace)
        #expect(error.path == path)
        #expect(error.description == "cannot append: No space left on device")
        #expect(String(decoding: try FileIO.readAll(path: path), as: UTF8.self) == "kept\n")
    }
}
