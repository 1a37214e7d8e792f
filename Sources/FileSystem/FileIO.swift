import CPosix
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Whole-file reads and atomic writes (temporary file, fsync, then link or rename into place).
///
/// Application policy stays with the caller: the temporary files' name prefix, their mode, whether to flush.
package enum FileIO {
    /// Opens `path` for reading when it is a regular file: the descriptor (the caller closes it) and the size.
    /// O_NONBLOCK: opening a FIFO or a device must not wait for a writer; only regular files are read.
    private static func openRegularFile(_ path: String) throws(SystemCallError) -> (fd: Int32, size: Int) {
        let (fd, info) = try openRegularFileInfo(path)
        return (fd, Int(info.st_size))
    }

    /// Opens the regular file at `path` for reading: its descriptor and what `fstat` says of it.
    private static func openRegularFileInfo(_ path: String) throws(SystemCallError) -> (fd: Int32, info: stat) {
        let fd = path.withCString { SystemCalls.current.open($0, O_RDONLY | O_CLOEXEC | O_NONBLOCK, 0) }
        guard fd >= 0 else { throw ioError("cannot open for reading", errno, path) }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            let error = ioError("cannot stat", errno, path)
            close(fd)
            throw error
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            close(fd)
            throw SystemCallError(.notRegularFile, reason: "not a regular file", path: path)
        }
        return (fd, info)
    }

    /// Reads the whole regular file with large reads, into one array of its exact size (no stray copies of
    /// its bytes are left in freed memory, which matters for keys).
    /// - Parameter limit: refuse files larger than this many bytes.
    /// - Throws: ``SystemCallError``.
    package static func readAll(path: String, limit: Int = .max) throws(SystemCallError) -> [UInt8] {
        let (fd, size) = try openRegularFile(path)
        defer { close(fd) }
        guard size <= limit else {
            throw SystemCallError(.sizeMismatch, reason: "\(size) bytes is too large", path: path)
        }
        var failure: Int32 = 0
        var got = 0
        let read = SystemCalls.current.read
        let bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, count in
            while got < size {
                let n = retryingOnInterrupt { read(fd, buffer.baseAddress.map { $0 + got }, size - got) }
                if n < 0 {
                    failure = errno
                    break
                }
                if n == 0 { break }
                got += n
            }
            count = got
        }
        if failure != 0 { throw ioError("read failed", failure, path) }
        guard got == size else { throw SystemCallError(.sizeMismatch, reason: "file changed size while being read", path: path) }
        return bytes
    }

    /// Reads at most `count` bytes from the start of the regular file at `path` (a header, without the rest).
    /// - Throws: ``SystemCallError``.
    package static func readPrefix(path: String, count: Int) throws(SystemCallError) -> [UInt8] {
        try readPrefixAndStamp(path: path, count: count).bytes
    }

    /// Reads at most `count` bytes from the start of the regular file at `path`, and its size and modification
    /// time from the open file: one path lookup where ``stamp(of:)`` and ``readPrefix(path:count:)`` take two
    /// (planning a scale-out run does both for every input).
    /// - Throws: ``SystemCallError``.
    package static func readPrefixAndStamp(path: String, count: Int) throws(SystemCallError) -> (bytes: [UInt8], stamp: FileStamp) {
        let (fd, info) = try openRegularFileInfo(path)
        defer { close(fd) }
        let size = Swift.min(count, Int(info.st_size))
        var failure: Int32 = 0
        let read = SystemCalls.current.read
        let bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, got in
            got = 0
            while got < size {
                let n = retryingOnInterrupt { read(fd, buffer.baseAddress.map { $0 + got }, size - got) }
                if n < 0 { failure = errno }
                if n <= 0 { break }
                got += n
            }
        }
        if failure != 0 { throw ioError("read failed", failure, path) }
        return (bytes, FileStamp(info))
    }

    /// Writes `bytes` to `path` atomically: a hidden temporary file beside it (named `prefix`, the process ID,
    /// `-`, six random characters) is written, flushed and then moved into place, so a reader never sees a
    /// half-written file and a crash leaves at most the temporary.
    /// - Parameters:
    ///   - overwrite: when false, an existing file at `path` is left alone and `.exists` is thrown.
    ///   - mode: permission bits of the new file.
    /// - Throws: ``SystemCallError``.
    package static func writeAtomically(_ bytes: [UInt8], to path: String, overwrite: Bool, mode: mode_t = 0o644,
                                       prefix: String) throws(SystemCallError) {
        let directory = path.lastIndex(of: "/").map { String(path[..<$0]) } ?? "."
        let temporary = try writeTemporary(chunks: [bytes[...]], inDirectory: directory.isEmpty ? "/" : directory,
                                           prefix: prefix, mode: mode)
        do {
            try commit(temporary: temporary, to: path, overwrite: overwrite)
        } catch {
            unlink(temporary)
            throw error
        }
    }

    /// Writes `chunks` one after the other to a new temporary file in `directory` (one large write per chunk:
    /// pixel data goes from the input buffer straight to the kernel) and returns its path. The file is named
    /// `prefix`, this process's ID, `-` and six random characters (see ``removeTemporaries(in:prefix:ofProcess:)``).
    /// The caller moves it into place with ``commit(temporary:to:overwrite:)`` or removes it.
    /// - Parameter sync: flush the file to disk before returning (fsync). A batch that syncs the whole file
    ///   system once before committing (``syncFileSystem(containing:)``) passes false.
    /// - Throws: ``SystemCallError``.
    package static func writeTemporary(chunks: [ArraySlice<UInt8>], inDirectory directory: String, prefix: String,
                                      mode: mode_t = 0o644, sync: Bool = true) throws(SystemCallError) -> String {
        // Counted while it runs, so that ``closeTemporaries()`` can wait for it; refused once closed.
        inFlightTemporaries.add(1, ordering: .sequentiallyConsistent)
        defer { inFlightTemporaries.subtract(1, ordering: .sequentiallyConsistent) }
        if temporariesClosed.load(ordering: .sequentiallyConsistent) {
            throw SystemCallError(.interrupted, reason: "interrupted: no more outputs are written")
        }
        var template = Array("\(directory)/\(prefix)\(getpid())-XXXXXX".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { buffer in
            buffer.baseAddress.map { SystemCalls.current.mkstemp($0) } ?? -1
        }
        guard fd >= 0 else { throw ioError("cannot create a temporary file in the output folder", errno, directory) }
        let tempPath = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        var failure: Int32 = 0
        let calls = SystemCalls.current
        for chunk in chunks where failure == 0 {
            chunk.withUnsafeBufferPointer { buffer in
                var written = 0
                while written < buffer.count {
                    let n = retryingOnInterrupt { calls.write(fd, buffer.baseAddress.map { $0 + written }, buffer.count - written) }
                    if n < 0 {
                        failure = errno
                        return
                    }
                    written += n
                }
            }
        }
        // mkstemp creates the file with mode 0600.
        if failure == 0, mode != 0o600, fchmod(fd, mode) != 0 { failure = errno }
        if failure == 0, sync, calls.fsync(fd) != 0 { failure = errno }
        if close(fd) != 0, failure == 0 { failure = errno }
        if failure != 0 {
            unlink(tempPath)
            throw ioError("write failed", failure, tempPath)
        }
        return tempPath
    }

    private static let inFlightTemporaries = Atomic<Int>(0)
    private static let temporariesClosed = Atomic<Bool>(false)

    /// Whether ``closeTemporaries(timeout:)`` was called: the process is being interrupted.
    package static var temporariesAreClosed: Bool { temporariesClosed.load(ordering: .sequentiallyConsistent) }

    /// Stops this process from starting new temporary outputs and waits (at most `timeout` seconds) for those
    /// being written to be complete, so that ``removeTemporaries(in:prefix:ofProcess:)`` then finds them all.
    package static func closeTemporaries(timeout: Double = 5) {
        temporariesClosed.store(true, ordering: .sequentiallyConsistent)
        var waited = 0.0
        while inFlightTemporaries.load(ordering: .sequentiallyConsistent) > 0, waited < timeout {
            usleep(1_000)
            waited += 0.001
        }
    }

    /// Removes the temporary outputs (named `prefix`…) in `directory` that `pid` was writing (a run interrupted
    /// by a signal cleans up after itself). Returns how many were removed.
    @discardableResult
    package static func removeTemporaries(in directory: String, prefix: String, ofProcess pid: pid_t) -> Int {
        removeTemporaries(in: directory, prefix: prefix) { $0 == pid }
    }

    /// Removes the temporary outputs in `directory` left by processes that no longer run (a crash, a kill):
    /// they may hold restored, identified data. Those of running processes, such as another run writing to
    /// the same folder, stay. Returns how many were removed (lock files not counted).
    ///
    /// A writer's liveness is its lock file (see ``lockTemporaries(in:prefix:)``): the kernel releases the lock
    /// when the process ends, killed or not, reaped or not, so neither a zombie nor a new process that reuses the
    /// ID counts as the writer. Temporaries without a lock file (a writer that took none) fall back to the
    /// process table, where a zombie (ended, not yet reaped: `kill(pid, 0)` still succeeds) counts as ended.
    @discardableResult
    package static func removeStaleTemporaries(in directory: String, prefix: String) -> Int {
        let own = getpid()
        var ended: [pid_t: Bool] = [:]
        return removeTemporaries(in: directory, prefix: prefix) { pid in
            guard pid != own else { return false }
            if let known = ended[pid] { return known }
            let answer = writerHasEnded(pid, lock: directory + "/" + prefix + "\(pid)" + lockSuffix)
            ended[pid] = answer
            return answer
        }
    }

    /// How the lock file of a writer is named: the temporaries' prefix, the process ID, this suffix (never the
    /// six random characters of a temporary).
    static let lockSuffix = "-lock"

    /// The lock files this process holds, by folder; kept open (and so locked) until ``unlockTemporaries(in:prefix:)``
    /// or the end of the process.
    private static let heldLocks = Mutex<[String: Int32]>([:])

    /// Takes this process's lock file among the temporaries of `directory` (`prefix<pid>-lock`, locked with flock
    /// for the life of the process), before any temporary is written there: later runs then know whether the
    /// writer of a temporary still runs (see ``removeStaleTemporaries(in:prefix:)``).
    /// - Throws: ``SystemCallError`` when the lock file cannot be made or locked.
    package static func lockTemporaries(in directory: String, prefix: String) throws(SystemCallError) {
        let path = directory + "/" + prefix + "\(getpid())" + lockSuffix
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw ioError("cannot create a lock file in the output folder", errno, directory) }
        guard retryingOnInterrupt({ flock(fd, LOCK_EX | LOCK_NB) }) == 0 else {
            let code = errno
            close(fd)
            throw ioError("cannot lock a file in the output folder", code, directory)
        }
        let previous = heldLocks.withLock { locks in
            defer { locks[directory] = fd }
            return locks[directory]
        }
        if let previous { close(previous) }
    }

    /// Removes and releases the lock file of ``lockTemporaries(in:prefix:)`` (the run has ended normally).
    package static func unlockTemporaries(in directory: String, prefix: String) {
        guard let fd = heldLocks.withLock({ $0.removeValue(forKey: directory) }) else { return }
        unlink(directory + "/" + prefix + "\(getpid())" + lockSuffix)
        close(fd)
    }

    /// Whether the process `pid` that wrote temporaries has ended: by its lock file when there is one, else by
    /// the process table.
    private static func writerHasEnded(_ pid: pid_t, lock: String) -> Bool {
        let fd = open(lock, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        if fd >= 0 {
            defer { close(fd) }   // closing releases the shared lock taken below
            return retryingOnInterrupt({ flock(fd, LOCK_SH | LOCK_NB) }) == 0
        }
        return processHasEnded(pid)
    }

    /// Whether `pid` is gone or a zombie. `kill(pid, 0)` succeeds for a zombie (a killed process its parent has
    /// not reaped yet), so the state letter of `/proc/<pid>/stat` decides: `Z` (zombie) or `X` (dead).
    static func processHasEnded(_ pid: pid_t) -> Bool {
        if kill(pid, 0) != 0 { return errno == ESRCH }
        // /proc files report size 0: one read of what the kernel makes.
        let fd = open("/proc/\(pid)/stat", O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return errno == ENOENT }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 1024)
        let count = buffer.withUnsafeMutableBytes { raw in retryingOnInterrupt { read(fd, raw.baseAddress, raw.count) } }
        guard count > 0 else { return false }
        let stat = buffer.prefix(count)
        // "pid (comm) S ...": comm may hold spaces and parentheses, so the state follows the last ')'.
        guard let paren = stat.lastIndex(of: UInt8(ascii: ")")), paren + 2 < count else { return false }
        let state = stat[paren + 2]
        return state == UInt8(ascii: "Z") || state == UInt8(ascii: "X")
    }

    private static func removeTemporaries(in directory: String, prefix temporaryPrefix: String,
                                          where matches: (pid_t) -> Bool) -> Int {
        guard let stream = opendir(directory) else { return 0 }
        var names: [String] = []
        while let entry = readdir(stream) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name.hasPrefix(temporaryPrefix) { names.append(name) }
        }
        closedir(stream)
        var removed = 0
        // Lock files last: the liveness of their process is decided before they go.
        for name in names.sorted(by: { !$0.hasSuffix(lockSuffix) && $1.hasSuffix(lockSuffix) }) {
            let rest = name.dropFirst(temporaryPrefix.count)
            guard let dash = rest.firstIndex(of: "-"), let pid = pid_t(rest[..<dash]), pid > 0, matches(pid) else { continue }
            if unlink(directory + "/" + name) == 0, !name.hasSuffix(lockSuffix) { removed += 1 }
        }
        return removed
    }

    /// Moves a temporary file written by ``writeTemporary(chunks:inDirectory:prefix:mode:sync:)`` to `path` (same file
    /// system). Without `overwrite`, an existing file is never replaced: renameat2 with RENAME_NOREPLACE (or
    /// link, where that is missing) fails with EEXIST rather than replace, so there is no moment at which an
    /// existing file is lost. The temporary is gone afterwards on success.
    /// - Throws: ``SystemCallError``, with code `.exists` when the file exists and `overwrite` is false.
    package static func commit(temporary: String, to path: String, overwrite: Bool) throws(SystemCallError) {
        if overwrite {
            guard rename(temporary, path) == 0 else { throw ioError("cannot move the output into place", errno, path) }
            return
        }
        if cposix_rename_noreplace(temporary, path) == 0 { return }
        let renameError = errno
        if renameError == EEXIST { throw outputExists(path) }
        guard renameError == ENOSYS || renameError == EINVAL else {
            throw ioError("cannot move the output into place", renameError, path)
        }
        // No renameat2 here: link() also refuses to replace, then the temporary name goes.
        guard link(temporary, path) == 0 else {
            let code = errno
            if code == EEXIST { throw outputExists(path) }
            throw ioError("cannot move the output into place", code, path)
        }
        unlink(temporary)
    }

    /// Flushes every written file of the file system holding `path` to disk (syncfs(2)): one flush for a
    /// whole group of temporaries, before they are committed under their final names.
    /// - Throws: ``SystemCallError``.
    package static func syncFileSystem(containing path: String) throws(SystemCallError) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw ioError("cannot open \(path) to flush it", errno, path) }
        defer { close(fd) }
        guard cposix_syncfs(fd) == 0 else { throw ioError("cannot flush the output to disk", errno, path) }
    }

    /// Flushes the directory `path` itself (fsync of the directory): the names committed in it reach the disk.
    /// For one file at a time (the gateway's spool), where ``syncFileSystem(containing:)`` would wait for every
    /// other writer of the file system too.
    /// - Throws: ``SystemCallError``.
    package static func syncDirectory(_ path: String) throws(SystemCallError) {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw ioError("cannot open \(path) to flush it", errno, path) }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw ioError("cannot flush the directory to disk", errno, path) }
    }

    /// The error for an output file that exists and may not be overwritten.
    private static func outputExists(_ path: String) -> SystemCallError {
        SystemCallError(.exists, reason: "output file exists (not overwritten)", path: path)
    }

    /// Whether `path` names an existing regular file, directory or other entry.
    package static func exists(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0
    }

    /// Creates `path` and its parents as directories (`mode`, 0755 by default, before the umask), like
    /// `mkdir -p`. Tries `path` itself first, so an existing parent costs no system call.
    /// - Throws: ``SystemCallError``.
    package static func makeDirectories(_ path: String, mode: mode_t = 0o755) throws(SystemCallError) {
        let mkdir = SystemCalls.current.mkdir
        if mkdir(path, mode) == 0 { return }
        var code = errno
        if code == ENOENT, let slash = path.lastIndex(of: "/"), slash > path.startIndex {
            try makeDirectories(String(path[..<slash]), mode: mode)
            if mkdir(path, mode) == 0 { return }
            code = errno
        }
        var info = stat()
        guard code == EEXIST, stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR else {
            throw ioError("cannot create folder", code, path)
        }
    }

    private static func ioError(_ what: String, _ code: Int32, _ path: String) -> SystemCallError {
        SystemCallError(reason: what, errno: code, path: path)
    }
}
