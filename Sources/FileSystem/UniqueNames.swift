/// Names made distinct with a number: `name`, then `name-2`, `name-3`... (before the extension, for file names).
///
/// Remembers every name taken, and per name the number to try next, so the thousandth copy of a name does not
/// try 999 taken ones first.
package struct UniqueNames: Sendable {
    private var taken = Set<String>()
    private var next: [String: Int] = [:]

    package init() {}

    /// `name` with `-number` before the extension of its last component (`a/b-2.dcm` of `a/b.dcm`) when
    /// `beforeExtension`, else at its end (`b.dcm-2`). A leading dot starts no extension (`.hidden-2`).
    package static func numbered(_ name: String, _ number: Int, beforeExtension: Bool = true) -> String {
        let lastSlash = name.lastIndex(of: "/")
        let componentStart = lastSlash.map { name.index(after: $0) } ?? name.startIndex
        guard beforeExtension, let dot = name[componentStart...].lastIndex(of: "."), dot != componentStart,
              name.index(after: dot) != name.endIndex else {
            return name + "-\(number)"
        }
        return String(name[..<dot]) + "-\(number)" + String(name[dot...])
    }

    /// Whether `name` was taken.
    package func contains(_ name: String) -> Bool { taken.contains(name) }

    /// Marks `name` as taken (by something else than ``claim(_:beforeExtension:)``, e.g. a file found on disk).
    package mutating func insert(_ name: String) { taken.insert(name) }

    /// `name` when it is free, else the first free ``numbered(_:_:beforeExtension:)`` form from 2 on; the
    /// result is taken.
    package mutating func claim(_ name: String, beforeExtension: Bool = true) -> String {
        let free = proposal(for: name, beforeExtension: beforeExtension)
        taken.insert(free)
        return free
    }

    /// What ``claim(_:beforeExtension:)`` would give, not yet taken: the caller ``insert(_:)``s it once it is
    /// sure (a file that could not be written leaves its name free). A numbered form proposed once is not
    /// proposed again for the same `name`.
    package mutating func proposal(for name: String, beforeExtension: Bool = true) -> String {
        guard taken.contains(name) else { return name }
        var number = next[name] ?? 2
        while true {
            let candidate = Self.numbered(name, number, beforeExtension: beforeExtension)
            number += 1
            if !taken.contains(candidate) {
                next[name] = number
                return candidate
            }
        }
    }

    /// The first free name among `name`, `name-2`, `name-3`... up to `limit` tries, where `tryName` says whether
    /// it could take it (e.g. a file created only when no file of that name exists); nil when none could.
    package static func firstFree<Failure: Error>(_ name: String, limit: Int,
                                                  _ tryName: (String) throws(Failure) -> Bool) throws(Failure) -> String? {
        for attempt in 1...max(1, limit) {
            let candidate = attempt == 1 ? name : numbered(name, attempt)
            if try tryName(candidate) { return candidate }
        }
        return nil
    }
}
