import FileSystem
import DICOMCodec
import DICOMTestSupport
import Foundation
import Synchronization
import Testing

/// What a full disk, a signal and a permission do, made to happen through the injectable system calls: one line
/// naming the file, a code chosen by the errno, and nothing half-written left behind.
struct InjectedFailureTests {
    static let payload: [UInt8] = (0..<70_000).map { UInt8(truncatingIfNeeded: $0 &* 7) }

    /// The live calls, with `write` failing with `code` (all writes, or the first `times`).
    static func failingWrites(_ code: Int32, times: Int = .max) -> SystemCalls {
        let failures = Atomic<Int>(0)
        var calls = SystemCalls.live
        calls.write = { fd, buffer, count in
            if failures.add(1, ordering: .relaxed).newValue <= times {
                errno = code
                return -1
            }
            return SystemCalls.live.write(fd, buffer, count)
        }
        return calls
    }

    func inFolder(_ body: (String) throws -> Void) throws -> [String] {
        let directory = try TemporaryDirectory(prefix: "injected-tests")
        defer { directory.remove() }
        try body(directory.url.path)
        return try FileManager.default.contentsOfDirectory(atPath: directory.url.path).sorted()
    }

    @Test func aFullDiskLeavesNoTemporaryAndTheOldFileIntact() throws {
        let entries = try inFolder { folder in
            let path = folder + "/out.dcm"
            try FileIO.writeAtomically(Array("old".utf8), to: path, overwrite: false, prefix: ".test-tmp-")
            let error = try #require(throws: SystemCallError.self) {
                try SystemCalls.$current.withValue(Self.failingWrites(ENOSPC)) {
                    try FileIO.writeAtomically(Self.payload, to: path, overwrite: true, prefix: ".test-tmp-")
                }
            }
            #expect(error.code == .noSpace)
            #expect(error.description == "write failed: No space left on device")
            #expect(error.path?.hasPrefix(folder + "/.test-tmp-") == true, "names the file being written: \(error.path ?? "")")
            #expect(try FileIO.readAll(path: path) == Array("old".utf8))
        }
        #expect(entries == ["out.dcm"], "the temporary is removed: \(entries)")
    }

    @Test func interruptedCallsAreRetried() throws {
        let entries = try inFolder { folder in
            let path = folder + "/out.dcm"
            try SystemCalls.$current.withValue(Self.failingWrites(EINTR, times: 3)) {
                try FileIO.writeAtomically(Self.payload, to: path, overwrite: false, prefix: ".test-tmp-")
            }
            let reads = Atomic<Int>(0)
            var calls = SystemCalls.live
            calls.read = { fd, buffer, count in
                if reads.add(1, ordering: .relaxed).newValue <= 2 {
                    errno = EINTR
                    return -1
                }
                return SystemCalls.live.read(fd, buffer, min(count, 4096))   // short reads, too
            }
            let bytes = try SystemCalls.$current.withValue(calls) { try FileIO.readAll(path: path) }
            #expect(bytes == Self.payload)
            #expect(reads.load(ordering: .relaxed) > 3)
        }
        #expect(entries == ["out.dcm"])
    }

    @Test func aPermissionDeniedIsOneLineNamingTheFile() throws {
        _ = try inFolder { folder in
            let path = folder + "/input.dcm"
            try FileIO.writeAtomically(Self.payload, to: path, overwrite: false, prefix: ".test-tmp-")
            // Injected, so that the test holds also when run as root (who opens any file).
            var calls = SystemCalls.live
            calls.open = { _, _, _ in
                errno = EACCES
                return -1
            }
            let error = try #require(throws: SystemCallError.self) {
                try SystemCalls.$current.withValue(calls) { try FileIO.readAll(path: path) }
            }
            #expect(error.code == .permissionDenied)
            #expect(error.path == path)
            // What a user reads: the reader's error names the file, on one line.
            let readerError = try #require(throws: DICOMError.self) {
                try SystemCalls.$current.withValue(calls) { try Part10Reader.read(contentsOf: path) }
            }
            let text = "\(readerError)"
            #expect(text.contains("input.dcm") && text.contains("Permission denied"), "\(text)")
            #expect(!text.contains("\n"))
        }
    }

    @Test func aFolderThatCannotBeMadeNamesItself() throws {
        _ = try inFolder { folder in
            var calls = SystemCalls.live
            calls.mkdir = { _, _ in
                errno = EACCES
                return -1
            }
            let error = try #require(throws: SystemCallError.self) {
                try SystemCalls.$current.withValue(calls) { try FileIO.makeDirectories(folder + "/out") }
            }
            #expect(error.code == .permissionDenied)
            #expect(error.path == folder + "/out")
            #expect(error.description == "cannot create folder: Permission denied")
        }
    }

    @Test func errnoChoosesTheCode() {
        #expect(SystemCallError.code(for: ENOENT) == .notFound)
        #expect(SystemCallError.code(for: ENOTDIR) == .notFound)
        #expect(SystemCallError.code(for: EACCES) == .permissionDenied)
        #expect(SystemCallError.code(for: EPERM) == .permissionDenied)
        #expect(SystemCallError.code(for: ENOSPC) == .noSpace)
        #expect(SystemCallError.code(for: EDQUOT) == .noSpace)
        #expect(SystemCallError.code(for: EROFS) == .readOnly)
        #expect(SystemCallError.code(for: EIO) == .failed)
    }
}
