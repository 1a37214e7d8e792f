import DICOMCore
import DICOMDictionary
import DICOMTestSupport
import Deidentification
import Foundation

/// `Fixtures/phi-canaries.json`: the values planted in the fixtures (format in `Fixtures/README.md`).
struct CanaryRegistry: Decodable, Sendable {
    /// One planted value at one path.
    struct Entry: Decodable, Sendable, CustomStringConvertible {
        var value: String
        var encoding: String
        var tag: String?
        var path: String?
        var location: String
        var family: String
        var files: [String]
        var greppable: Bool

        /// The bytes to look for: the text encoded as the registry says, or the decoded hex.
        var bytes: [UInt8] {
            switch encoding {
            case "latin-1":
                return value.unicodeScalars.map { UInt8(truncatingIfNeeded: $0.value) }
            case "hex":
                let digits = Array(value.utf8)
                return stride(from: 0, to: digits.count - 1, by: 2).compactMap {
                    UInt8(String(decoding: digits[$0...$0 + 1], as: UTF8.self), radix: 16)
                }
            default:
                return Array(value.utf8)
            }
        }

        /// The element holding the value; nil for the preamble.
        var elementTag: Tag? { tag.flatMap { Tag(parsing: Substring($0)) } }

        var tagPath: TagPath? { path.flatMap { TagPath(parsing: $0) } }

        var isInDataSet: Bool { location == "dataset" }

        var description: String { "\(family) '\(value)' at \(path ?? location)" }
    }

    var canaries: [Entry]
    var safePrivateValues: [Entry]
    var keptValues: [Entry]

    /// The registry, read once.
    static let shared: CanaryRegistry? = {
        let url = RepositoryPaths.fixtures.appendingPathComponent("phi-canaries.json")
        guard let data = FileManager.default.contents(atPath: url.path) else { return nil }
        return try? JSONDecoder().decode(CanaryRegistry.self, from: data)
    }()

    /// The greppable canaries planted in `file`.
    func canaries(in file: String) -> [Entry] {
        canaries.filter { $0.files.contains(file) && $0.greppable }
    }

    /// The canaries of `file` that `options` do not legitimately keep: an entry is left out when an option's
    /// Table E.1-1 column says K for its attribute, and so is every entry with the same value (a retained UID
    /// is also the Media Storage SOP Instance UID, a referenced UID elsewhere...). Under Modified Dates a
    /// time (C) keeps its value too: dates move by whole days, so the time of day is the cleaned value.
    func canaries(in file: String, notRetainedBy options: Set<ProfileOption>) -> [Entry] {
        let all = canaries(in: file)
        let retainedValues = Set(all.filter { entry in
            guard let tag = entry.elementTag, let row = ConfidentialityProfileTable.row(for: tag) else { return false }
            if options.contains(.retainLongitudinalModifiedDates), entry.family == "time",
               row.action(.rtnLongModifDatesOpt) == .clean {
                return true
            }
            return options.contains { row.action($0.column) == .keep }
        }.map(\.value))
        return all.filter { !retainedValues.contains($0.value) }
    }
}

/// Byte searching for the leak tests.
enum Bytes {
    /// Whether `needle` occurs in `haystack`.
    static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard let first = needle.first, needle.count <= haystack.count else { return needle.isEmpty }
        return haystack.withUnsafeBufferPointer { h in
            needle.withUnsafeBufferPointer { n in
                var i = 0
                let last = h.count - n.count
                while i <= last {
                    if h[i] == first {
                        var k = 1
                        while k < n.count, h[i + k] == n[k] { k += 1 }
                        if k == n.count { return true }
                    }
                    i += 1
                }
                return false
            }
        }
    }

    /// `bytes` with every 16-bit word's bytes exchanged (OW values of a big-endian file, written little endian).
    static func wordSwapped(_ bytes: [UInt8]) -> [UInt8] {
        var out = bytes
        var i = 0
        while i + 1 < out.count {
            out.swapAt(i, i + 1)
            i += 2
        }
        return out
    }
}
