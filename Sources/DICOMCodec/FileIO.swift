#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Whole-file reads and atomic writes (temporary file, fsync, then link or rename into place).
public enum FileIO {
    /// Reads the whole file with large reads.
    /// - Throws: ``DICOMError`` with code `.io`.
    public static func readAll(path: String) throws(DICOMError) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw ioError("cannot open for reading", errno) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw ioError("cannot stat", errno) }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            throw DICOMError(.io, reason: "not a regular file")
        }
        let size = Int(info.st_size)
        var failure: Int32 = 0
        var got = 0
        let bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, count in
            while got < size {
                let n = read(fd, buffer.baseAddress.map { $0 + got }, size - got)
                if n < 0 {
                    if errno == EINTR { continue }
                    failure = errno
                    break
                }
                if n == 0 { break }
                got += n
            }
            count = got
        }
        if failure != 0 { throw ioError("read failed", failure) }
        guard got == size else { throw DICOMError(.io, reason: "file changed size while being read") }
        return bytes
    }

    /// Writes `bytes` to `path` atomically: a hidden temporary file beside it is written, flushed and then
    /// moved into place, so a reader never sees a half-written file and a crash leaves at most the temporary.
    /// - Parameters:
    ///   - overwrite: when false, an existing file at `path` is left alone and `.io` is thrown.
    ///   - mode: permission bits of the new file.
    /// - Throws: ``DICOMError`` with code `.io`.
    public static func writeAtomically(_ bytes: [UInt8], to path: String, overwrite: Bool,
                                       mode: mode_t = 0o644) throws(DICOMError) {
        let directory = path.lastIndex(of: "/").map { String(path[..<$0]) } ?? "."
        let name = path.lastIndex(of: "/").map { String(path[path.index(after: $0)...]) } ?? path
        var template = Array("\(directory.isEmpty ? "/" : directory)/.\(name).tmp-XXXXXX".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { buffer in
            buffer.baseAddress.map { mkstemp($0) } ?? -1
        }
        guard fd >= 0 else { throw ioError("cannot create a temporary file in the output folder", errno) }
        let tempPath = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        var committed = false
        defer {
            if !committed { unlink(tempPath) }
        }
        var failure: Int32 = 0
        bytes.withUnsafeBufferPointer { buffer in
            var written = 0
            while written < buffer.count {
                let n = write(fd, buffer.baseAddress.map { $0 + written }, buffer.count - written)
                if n < 0 {
                    if errno == EINTR { continue }
                    failure = errno
                    return
                }
                written += n
            }
        }
        if failure == 0, fchmod(fd, mode) != 0 { failure = errno }
        if failure == 0, fsync(fd) != 0 { failure = errno }
        if close(fd) != 0, failure == 0 { failure = errno }
        if failure != 0 { throw ioError("write failed", failure) }
        if overwrite {
            guard rename(tempPath, path) == 0 else { throw ioError("cannot move the output into place", errno) }
        } else {
            // link() fails with EEXIST rather than replacing: no window in which an existing file is lost.
            guard link(tempPath, path) == 0 else {
                let code = errno
                if code == EEXIST { throw DICOMError(.io, reason: "output file exists (not overwritten)") }
                throw ioError("cannot move the output into place", code)
            }
        }
        committed = true
        if !overwrite { unlink(tempPath) }
    }

    private static func ioError(_ what: String, _ code: Int32) -> DICOMError {
        DICOMError(.io, reason: "\(what): \(String(cString: strerror(code)))")
    }
}
