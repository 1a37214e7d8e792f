#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Paths as the kernel sees them: absolute, symbolic links resolved, and whether one is inside another.
package enum Paths {
    /// `path` absolute, with `.` and `..` applied and symbolic links resolved in the part of it that exists
    /// (realpath(3)); the missing rest (an output folder not made yet) is appended as written, its `.` and `..`
    /// applied lexically, which is right there: a missing name can hold no link.
    package static func resolved(_ path: String) -> String {
        var head = absolute(path)
        var missing: [Substring] = []
        var base = "/"
        while true {
            if let real = realpath(head, nil) {
                base = String(cString: real)
                free(real)
                break
            }
            guard head != "/", let slash = head.lastIndex(of: "/") else { break }
            missing.insert(head[head.index(after: slash)...], at: 0)
            head = slash == head.startIndex ? "/" : String(head[..<slash])
        }
        var components = base.split(separator: "/")
        for component in missing where !component.isEmpty && component != "." {
            if component == ".." { _ = components.popLast() } else { components.append(component) }
        }
        return "/" + components.joined(separator: "/")
    }

    /// `path` absolute, with `.` and `..` applied to the text alone (no link resolved, nothing looked up): what
    /// it names when no component is a link.
    package static func standardized(_ path: String) -> String {
        var components: [Substring] = []
        for component in absolute(path).split(separator: "/") where component != "." {
            if component == ".." { _ = components.popLast() } else { components.append(component) }
        }
        return "/" + components.joined(separator: "/")
    }

    /// Whether `path` is `folder` itself or anything below it, both ``resolved(_:)`` first: a link inside the
    /// folder that points out of it is outside, a link elsewhere that points into it is inside, and `..`
    /// counts as the kernel counts it.
    package static func isInside(_ path: String, folder: String) -> Bool {
        let path = resolved(path), folder = resolved(folder)
        return path == folder || path.hasPrefix(folder == "/" ? "/" : folder + "/")
    }

    /// The last component of `path` (`b` of `a/b` and of `a/b/`); `path` itself when it has no slash.
    package static func lastComponent(_ path: String) -> String {
        let trimmed = path.count > 1 && path.hasSuffix("/") ? String(path.dropLast()) : path
        guard let slash = trimmed.lastIndex(of: "/"), trimmed != "/" else { return trimmed }
        return String(trimmed[trimmed.index(after: slash)...])
    }

    /// The folder holding `path`: `a` of `a/b`, `/` of `/b`, `.` of `b`.
    package static func parent(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    /// `path` made absolute against the current directory, unchanged otherwise.
    static func absolute(_ path: String) -> String {
        if path.hasPrefix("/") { return path }
        guard let cwd = getcwd(nil, 0) else { return "/" + path }
        defer { free(cwd) }
        let directory = String(cString: cwd)
        return path.isEmpty ? directory : (directory == "/" ? "" : directory) + "/" + path
    }
}
