#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The system calls this module makes that can fail for reasons outside the program (a full disk, a signal,
/// a permission), as a table a test can replace to make them fail: ``current`` is the live table unless a test
/// binds another with `SystemCalls.$current.withValue(table) { ... }` (a task-local value: only the code the
/// test runs sees it, tests running beside it do not).
///
/// Each entry behaves like the call it is named after: the result, and `errno` set on failure.
package struct SystemCalls: Sendable {
    /// open(2) with a mode.
    package var open: @Sendable (_ path: UnsafePointer<CChar>, _ flags: Int32, _ mode: mode_t) -> Int32
    /// read(2).
    package var read: @Sendable (_ fd: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int
    /// write(2).
    package var write: @Sendable (_ fd: Int32, _ buffer: UnsafeRawPointer?, _ count: Int) -> Int
    /// fsync(2).
    package var fsync: @Sendable (_ fd: Int32) -> Int32
    /// mkstemp(3): creates the file from the template (its `XXXXXX` replaced in place) and opens it.
    package var mkstemp: @Sendable (_ template: UnsafeMutablePointer<CChar>) -> Int32
    /// mkdir(2).
    package var mkdir: @Sendable (_ path: UnsafePointer<CChar>, _ mode: mode_t) -> Int32
    /// opendir(3).
    package var opendir: @Sendable (_ path: UnsafePointer<CChar>) -> OpaquePointer?

    /// The operating system's calls.
    package static let live = SystemCalls(
        open: { path, flags, mode in Glibc.open(path, flags, mode) },
        read: { fd, buffer, count in Glibc.read(fd, buffer, count) },
        write: { fd, buffer, count in Glibc.write(fd, buffer, count) },
        fsync: { fd in Glibc.fsync(fd) },
        mkstemp: { template in Glibc.mkstemp(template) },
        mkdir: { path, mode in Glibc.mkdir(path, mode) },
        opendir: { path in Glibc.opendir(path) })

    /// The table in effect: ``live`` unless a test bound another.
    @TaskLocal package static var current: SystemCalls = .live
}
