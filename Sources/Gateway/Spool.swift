#if canImport(Glibc)
import Glibc
#endif
import DICOMCodec
import DICOMCore
import FileSystem
import Synchronization

/// The folder where received instances wait, as Part 10 files, until their de-identified output is in place.
///
/// An instance is written to a hidden temporary, flushed (fsync), moved to its name and the folder flushed
/// (fsync of the directory) before ``store(_:meta:)`` returns: only then may the C-STORE response say success, so a
/// crash never loses an acknowledged instance. Temporaries of a killed process are removed at start; they
/// were never acknowledged.
package final class Spool: Sendable {
    package let folder: String
    /// The prefix of temporaries (hidden: the listing skips them).
    static let temporaryPrefix = ".dicom-gateway-spool-"
    private let sequence = Atomic<Int>(0)
    /// Told after each instance is stored (the processor wakes up).
    private let onStore: @Sendable () -> Void

    /// Creates the folder (mode 0700: it holds identified data) and removes what an earlier, killed run left
    /// half-written.
    /// - Throws: ``SystemCallError`` when the folder cannot be made.
    package init(folder: String, onStore: @escaping @Sendable () -> Void = {}) throws(SystemCallError) {
        self.folder = folder
        self.onStore = onStore
        try FileIO.makeDirectories(folder, mode: 0o700)
        _ = FileIO.removeStaleTemporaries(in: folder, prefix: Self.temporaryPrefix)
    }

    /// The spooled instances, oldest first (names sort by time of receipt).
    package func pending() -> [String] {
        DirectoryWalker(root: folder).files.filter { !$0.contains("/") && $0.hasSuffix(".dcm") }.map { folder + "/" + $0 }
    }

    /// Writes a received data set durably as a Part 10 file: preamble, `DICM`, the meta group (`meta`), then the
    /// data set bytes exactly as received. Returns the file's path.
    /// - Throws: ``SystemCallError``; nothing is left behind then.
    package func store(dataSet: [UInt8], meta: DataSet) throws -> String {
        let metaBytes = try DataSetWriter(target: .explicitLittle, sourceOrder: .littleEndian).encode(meta)
        var bytes = [UInt8](repeating: 0, count: 128)
        bytes += Array("DICM".utf8)
        bytes += metaBytes
        bytes += dataSet
        let path = folder + "/" + nextName()
        try FileIO.writeAtomically(bytes, to: path, overwrite: false, mode: 0o600, prefix: Self.temporaryPrefix)
        // The new directory entry reaches the disk too, not only the file's bytes (the file was fsync'd before its
        // rename). A directory fsync, not syncfs: that would wait for every other writer of the file system.
        try syncFolder(after: renamed.add(1, ordering: .sequentiallyConsistent).newValue)
        onStore()
        return path
    }

    /// Renames into the folder so far, counted.
    private let renamed = Atomic<Int>(0)
    /// The count of renames that the last completed directory fsync covers.
    private let synced = Mutex<Int>(0)

    /// Flushes the folder so that rename number `ticket` is on disk, sharing one fsync among the stores that wait
    /// at once (group commit): an fsync that began after a rename covers it, so a store that finds one done
    /// since its rename returns, and the one that flushes covers every rename counted when it starts.
    private func syncFolder(after ticket: Int) throws(SystemCallError) {
        try synced.withLock { (covered: inout Int) throws(SystemCallError) in
            guard covered < ticket else { return }
            let upTo = renamed.load(ordering: .sequentiallyConsistent)
            try FileIO.syncDirectory(folder)
            covered = upTo
        }
    }

    /// A name that sorts by time of receipt and names nobody: microseconds since 1970, process ID, a counter.
    private func nextName() -> String {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        let micros = Int(now.tv_sec) * 1_000_000 + Int(now.tv_nsec) / 1000
        let count = sequence.add(1, ordering: .relaxed).newValue
        return Self.padded(micros, 17) + "-" + String(getpid()) + "-" + Self.padded(count, 8) + ".dcm"
    }

    private static func padded(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, width - text.count)) + text
    }
}
