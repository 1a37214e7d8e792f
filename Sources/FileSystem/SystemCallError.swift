// The error design (ErrorCode, cause, throw site) is part of this module's API.
@_exported import Diagnostics
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why a file system operation failed: what was being done, the system call's `errno`, and the path.
///
/// The description is one line, e.g. `cannot open for reading: No such file or directory`; the caller that knows
/// which file it was adds the name. Equality and hashing use ``code`` only.
package struct SystemCallError: StructuredError {
    package typealias Code = ErrorCode<SystemCallError>

    /// The `errno` of the failed call and the path it was given.
    package struct Context: Sendable {
        let errno: Int32?
        let path: String?
    }

    package let storage: ErrorStorage<SystemCallError>
    package init(storage: ErrorStorage<SystemCallError>) { self.storage = storage }

    /// - Parameters:
    ///   - code: the kind of failure.
    ///   - reason: what was being done, e.g. `cannot open for reading`.
    ///   - errno: the system call's error number, when a call failed.
    ///   - path: the file or folder involved.
    package init(_ code: Code, reason: String, errno: Int32? = nil, path: String? = nil,
                fileID: String = #fileID, line: Int = #line) {
        self = .make(code, context: Context(errno: errno, path: path), reason: reason, cause: nil,
                     fileID: fileID, line: line)
    }

    /// The system call's error number, when a call failed.
    package var errno: Int32? { context.errno }
    /// The file or folder involved, when known.
    package var path: String? { context.path }

    /// `cannot open for reading: No such file or directory`.
    package var description: String {
        guard let errno else { return reason }
        return reason + ": " + String(cString: strerror(errno))
    }
}

extension SystemCallError {
    /// The error for a system call that failed with `errno`, its code chosen by the `errno` (see ``Code``).
    /// - Parameters:
    ///   - reason: what was being done, e.g. `cannot open for reading`.
    ///   - path: the file or folder involved.
    package init(reason: String, errno: Int32, path: String, fileID: String = #fileID, line: Int = #line) {
        self.init(Self.code(for: errno), reason: reason, errno: errno, path: path, fileID: fileID, line: line)
    }

    /// The code for an `errno`: `.failed` for those without a code of their own.
    package static func code(for errno: Int32) -> Code {
        switch errno {
        case ENOENT, ENOTDIR: return .notFound
        case EACCES, EPERM: return .permissionDenied
        case ENOSPC, EDQUOT: return .noSpace
        case EROFS: return .readOnly
        default: return .failed
        }
    }
}

extension ErrorCode<SystemCallError> {
    /// A system call failed for a reason no other code names (see ``SystemCallError/errno``).
    package static var failed: Self { Self("failed", words: "system call failed") }
    /// The file or folder does not exist (ENOENT, ENOTDIR).
    package static var notFound: Self { Self("notFound", words: "no such file or folder") }
    /// The permissions forbid it (EACCES, EPERM).
    package static var permissionDenied: Self { Self("permissionDenied", words: "permission denied") }
    /// The disk or the user's quota is full (ENOSPC, EDQUOT).
    package static var noSpace: Self { Self("noSpace", words: "no space left") }
    /// The file system is mounted read-only (EROFS).
    package static var readOnly: Self { Self("readOnly", words: "read-only file system") }
    /// The path names something other than a regular file (a folder, a device, a FIFO).
    package static var notRegularFile: Self { Self("notRegularFile", words: "not a regular file") }
    /// The file is larger than the caller allows, or changed size while being read.
    package static var sizeMismatch: Self { Self("sizeMismatch", words: "unexpected file size") }
    /// The destination exists and may not be replaced.
    package static var exists: Self { Self("exists", words: "output file exists") }
    /// The process is being interrupted: no more outputs are started.
    package static var interrupted: Self { Self("interrupted", words: "interrupted") }
}
