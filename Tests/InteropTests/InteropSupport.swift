import CMS
import DICOMCodec
import DICOMCore
import DICOMTestSupport
import Deidentification
import Foundation
import Testing

/// Fixtures, keys, the engine and the peer tools, shared by the interoperability tests.
enum Interop {
    static let secret = Array("test-only secret for keyed mappings, not for real data".utf8)

    static var fixtureNames: [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: RepositoryPaths.fixtures.path)) ?? []
        return names.filter { $0.hasSuffix(".dcm") }.sorted()
    }

    static func fixturePath(_ name: String) -> String { RepositoryPaths.fixtures.appendingPathComponent(name).path }
    static func keyPath(_ name: String) -> String { RepositoryPaths.keys.appendingPathComponent(name).path }

    static func fixture(_ name: String) throws -> Part10File { try Part10Reader.read(contentsOf: fixturePath(name)) }

    static func certificate() throws -> RecipientCertificate {
        try RecipientCertificate(contentsOf: keyPath("test-recipient-a.crt"))
    }

    static func key() throws -> RecipientPrivateKey {
        try RecipientPrivateKey(contentsOf: keyPath("test-recipient-a.key"), passphrase: nil)
    }

    static func reidentifier() throws -> Reidentifier { Reidentifier(key: try key(), certificate: try certificate()) }

    /// `name` de-identified by our engine and encoded: the bytes a peer receives.
    static func deidentifiedBytes(_ name: String, cipher: ContentCipher = .aes256CBC,
                                  keyTransport: KeyTransport = .rsaPKCS1v15) throws -> [UInt8] {
        let deidentifier = Deidentifier(settings: DeidentificationSettings(
            keys: MappingKeys(secret: secret), recipients: Recipients([try certificate()], cipher: cipher, keyTransport: keyTransport)))
        return try Part10Writer.encode(try deidentifier.deidentify(try fixture(name)).file)
    }

    /// `bytes` re-identified by our engine and encoded.
    static func reidentifiedBytes(_ bytes: [UInt8]) throws -> [UInt8] {
        try Part10Writer.encode(try reidentifier().reidentify(try Part10Reader.read(bytes: bytes)).file)
    }

    static func write(_ bytes: [UInt8], in directory: TemporaryDirectory, _ name: String) throws -> String {
        let url = directory.url.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url.path
    }

    /// The DER ContentInfo in an Encrypted Content (0400,0520) value: the OB value is padded to even length
    /// (PS3.5 7.1.1), so the length comes from the outer SEQUENCE header (X.690 8.1.3), not the element.
    static func derContentInfo(_ value: ArraySlice<UInt8>) throws -> [UInt8] {
        let bytes = Array(value)
        try #require(bytes.count >= 2 && bytes[0] == 0x30, "Encrypted Content does not start with a DER SEQUENCE")
        var total = 2 + Int(bytes[1])
        if bytes[1] & 0x80 != 0 {
            let count = Int(bytes[1] & 0x7F)
            try #require((1...4).contains(count) && bytes.count >= 2 + count, "bad DER length of Encrypted Content")
            total = 2 + count + bytes[2..<(2 + count)].reduce(0) { $0 << 8 | Int($1) }
        }
        try #require(total == bytes.count || total == bytes.count - 1 && bytes.last == 0,
                     "DER length \(total) does not fit the \(bytes.count)-byte value (at most one pad byte 00)")
        return Array(bytes[..<total])
    }

    // MARK: - Peer tools

    static let openssl = Peer.openssl.tool
    static let gdcmanon = Peer.gdcmanon.tool
    static let dcmdump = Peer.dcmdump.tool
    static let dciodvfy = Peer.dciodvfy.tool
    /// python3 with pydicom 3.0.2 importable.
    static let pydicom = Peer.pydicom.tool
}

// MARK: - Comparing data sets

/// `Tag` alone is ambiguous next to swift-testing's `Testing.Tag` where a type is expected.
typealias DICOMTag = DICOMCore.Tag

/// One difference between two data sets, at a `TagPath`-style address such as `(0400,0561)[0].(0010,0010)`.
struct Difference: CustomStringConvertible, Sendable {
    enum Kind: String, Sendable { case missing, different, extra }
    var kind: Kind
    var path: String
    var tag: DICOMTag
    var detail: String
    var description: String { "\(kind.rawValue) \(path)\(detail.isEmpty ? "" : ": \(detail)")" }
}

enum DataSetComparison {
    /// Every element of `expected` must be in `actual` with the same VR and value bytes, sequences item by
    /// item; elements only `actual` has are `extra`. Both data sets must be in the same byte order.
    static func differences(_ expected: DataSet, _ actual: DataSet, prefix: String = "") -> [Difference] {
        var found: [Difference] = []
        for element in expected.elements {
            let path = prefix + element.tag.description
            guard let other = actual[element.tag] else {
                found.append(Difference(kind: .missing, path: path, tag: element.tag, detail: ""))
                continue
            }
            if element.vr != other.vr {
                found.append(Difference(kind: .different, path: path, tag: element.tag,
                                        detail: "VR \(element.vr) vs \(other.vr)"))
                continue
            }
            switch (element.value, other.value) {
            case (.bytes(let a), .bytes(let b)):
                if !a.elementsEqual(b) {
                    found.append(Difference(kind: .different, path: path, tag: element.tag,
                                            detail: "value \(show(a)) vs \(show(b))"))
                }
            case (.sequence(let a), .sequence(let b)):
                guard a.items.count == b.items.count else {
                    found.append(Difference(kind: .different, path: path, tag: element.tag,
                                            detail: "\(a.items.count) items vs \(b.items.count)"))
                    continue
                }
                for (index, (x, y)) in zip(a.items, b.items).enumerated() {
                    found += differences(x.dataSet, y.dataSet, prefix: path + "[\(index)].")
                }
            case (.fragments(let a), .fragments(let b)):
                if a.items.count != b.items.count || !zip(a.items, b.items).allSatisfy({ $0.elementsEqual($1) }) {
                    found.append(Difference(kind: .different, path: path, tag: element.tag, detail: "fragments differ"))
                }
            default:
                found.append(Difference(kind: .different, path: path, tag: element.tag,
                                        detail: "value kinds differ (bytes / sequence / fragments)"))
            }
        }
        for element in actual.elements where !expected.contains(element.tag) {
            found.append(Difference(kind: .extra, path: prefix + element.tag.description, tag: element.tag,
                                    detail: element.bytes.map(show) ?? ""))
        }
        return found
    }

    /// Elements counted as pydicom counts them: every element, nested ones included, items not.
    static func elementCount(_ dataSet: DataSet) -> Int {
        dataSet.elements.reduce(0) { count, element in
            count + 1 + (element.sequence?.items.reduce(0) { $0 + elementCount($1.dataSet) } ?? 0)
        }
    }

    /// A short printable form of a value: text when it is printable ASCII, else the first bytes in hex.
    static func show(_ bytes: ArraySlice<UInt8>) -> String {
        if bytes.allSatisfy({ (0x20..<0x7F).contains($0) || $0 == 0 }) {
            return "'\(String(decoding: bytes.prefix(64), as: UTF8.self))' (\(bytes.count) bytes)"
        }
        return bytes.prefix(16).map { String(format: "%02X", $0) }.joined() + "… (\(bytes.count) bytes)"
    }
}
