import FileSystem
import DICOMCodec
import DICOMCore
import DICOMTestSupport
import Foundation
import Testing

/// Every committed fixture (`Fixtures/*.dcm`, made by `Scripts/make-fixtures.py`) round-trips byte for byte, and
/// two independent readers, pydicom and DCMTK's dcmdump, see the same elements in what we write.
struct FixtureTests {
    static let fixtures: [String] = {
        let folder = RepositoryPaths.fixtures
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { $0.hasSuffix(".dcm") }.sorted()
    }()

    static func path(_ name: String) -> String { RepositoryPaths.fixtures.appendingPathComponent(name).path }

    /// Reads a fixture, writes it back, and returns what we wrote and read.
    static func roundTrip(_ name: String) throws -> (bytes: [UInt8], file: Part10File) {
        let bytes = try FileIO.readAll(path: path(name))
        let file = try Part10Reader.read(bytes: bytes)
        return (try Part10Writer.encode(file), file)
    }

    @Test func fixturesArePresent() {
        #expect(Self.fixtures.count >= 10, "Fixtures/*.dcm come from Scripts/make-fixtures.py")
    }

    @Test(arguments: fixtures)
    func fixtureRoundTripsByteForByte(_ name: String) throws {
        let original = try FileIO.readAll(path: Self.path(name))
        let file = try #require(expectRoundTrip(original, name))
        // The same through the file API, into a new file.
        let directory = try TemporaryDirectory(prefix: "fixture-round-trip")
        defer { directory.remove() }
        let out = directory.url.appendingPathComponent(name).path
        try FileIO.writeAtomically(try Part10Writer.encode(try Part10Reader.read(contentsOf: Self.path(name))),
                                   to: out, overwrite: false, prefix: ".test-tmp-")
        #expect(try FileIO.readAll(path: out) == original)
        #expect(file.layout == .part10)
    }

    @Test(.enabled(if: Pydicom.isAvailable, Comment(rawValue: Peer.skipReason(.pydicom))), arguments: fixtures)
    func pydicomSeesTheElementsWeWrite(_ name: String) throws {
        let (bytes, file) = try Self.roundTrip(name)
        try withTemporaryFile(bytes, name: name) { path in
            try Pydicom.expectAgreement(file: file, path: path, label: name)
        }
    }

    @Test(.enabled(if: Dcmdump.isAvailable, Comment(rawValue: Peer.skipReason(.dcmdump))), arguments: fixtures)
    func dcmdumpSeesTheElementsWeWrite(_ name: String) throws {
        let (bytes, file) = try Self.roundTrip(name)
        try withTemporaryFile(bytes, name: name) { path in
            try Dcmdump.expectAgreement(file: file, path: path, label: name)
        }
    }

    /// The five CT fixtures are one instance in five transfer syntaxes: decoded, their data sets agree
    /// (text values equal, binary values equal once byte order is taken into account).
    @Test func ctFixturesDecodeToTheSameDataSet() throws {
        let names = Self.fixtures.filter { $0.hasPrefix("ct-") }
        try #require(names.count >= 2)
        func texts(_ name: String) throws -> [String: String] {
            let file = try Part10Reader.read(contentsOf: Self.path(name))
            var out: [String: String] = [:]
            for (key, entry) in ElementSummary.of(file) where !key.hasPrefix("(0002,") && !key.hasPrefix("(7FE0,0010)") {
                guard case .bytes = entry.element.value else { continue }
                if entry.vr.isText || [VR.US, .SS, .UL, .SL].contains(entry.vr) {
                    out[key] = ElementSummary.pydicomText(entry.element, order: entry.order)
                }
            }
            return out
        }
        let reference = try texts("ct-explicit-le.dcm")
        #expect(reference.count > 20)
        for name in names where name != "ct-explicit-le.dcm" {
            let other = try texts(name)
            for (key, value) in reference where other[key] != nil {
                #expect(other[key] == value, "\(name) \(key)")
            }
            #expect(Set(other.keys).intersection(reference.keys).count > reference.count * 3 / 4, "\(name)")
        }
    }
}

/// `Part10Reader.readHeader`: the start of a file, up to one element, for the de-identifier's pre-pass.
struct HeaderReadTests {
    @Test(arguments: FixtureTests.fixtures)
    func theHeaderGivesTheSOPInstanceUIDOfTheWholeFile(_ name: String) throws {
        let bytes = try FileIO.readAll(path: FixtureTests.path(name))
        guard let whole = try? Part10Reader.read(bytes: bytes), !whole.transferSyntax.isDeflated else { return }
        let uid = Tag(0x0008, 0x0018)
        let header = try Part10Reader.readHeader(bytes: Array(bytes.prefix(8192)), through: uid)
        #expect(header.dataSet[uid]?.string() == whole.dataSet[uid]?.string())
        #expect(header.dataSet.elements.allSatisfy { $0.tag <= uid }, "read past (0008,0018)")
    }

    @Test func aHeaderCutInsideAnElementIsRefused() throws {
        let bytes = try FileIO.readAll(path: FixtureTests.path("ct-explicit-le.dcm"))
        let whole = try Part10Reader.read(bytes: bytes)
        let uid = Tag(0x0008, 0x0018)
        let uidElement = try #require(whole.dataSet[uid]?.bytes)
        // Cut two bytes into the UID's value: the caller must read more, not take a shortened UID.
        #expect(throws: DICOMError.self) {
            try Part10Reader.readHeader(bytes: Array(bytes.prefix(uidElement.startIndex + 2)), through: uid)
        }
    }
}
