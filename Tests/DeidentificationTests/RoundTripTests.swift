import CMS
import DICOMCodec
import DICOMCore
import DICOMTestSupport
import Deidentification
import Testing

/// `reidentify(deidentify(f))` restores the data set byte for byte (file meta aside), except Patient
/// Identity Removed, which is NO when the original lacked it.
struct RoundTripTests {
    static let fixtures = TestEnvironment.fixtureNames

    @Test func fixturesExist() {
        #expect(Self.fixtures.count >= 10, "run Scripts/make-fixtures.py")
    }

    @Test(arguments: fixtures)
    func restoresEveryFixtureExactly(_ name: String) throws {
        try expectRoundTrip(name, options: [])
    }

    @Test(arguments: ProfileOption.allCases)
    func restoresWithEachOption(_ option: ProfileOption) throws {
        try expectRoundTrip("ct-explicit-le.dcm", options: [option])
    }

    @Test(arguments: ["ct-explicit-be.dcm", "ct-implicit-le.dcm", "ct-deflated.dcm", "sr-basic-text-explicit-le.dcm"])
    func restoresWithAllCompatibleOptions(_ name: String) throws {
        var all = Set(ProfileOption.allCases)
        all.remove(.retainLongitudinalFullDates)
        try expectRoundTrip(name, options: all)
        all.remove(.retainLongitudinalModifiedDates)
        all.insert(.retainLongitudinalFullDates)
        try expectRoundTrip(name, options: all)
    }

    /// Every combination of options (the two longitudinal ones exclude each other: 768 sets) restores the
    /// small Secondary Capture exactly.
    @Test func restoresWithEveryOptionCombination() throws {
        let options = ProfileOption.allCases
        var tried = 0
        for mask in 0..<(1 << options.count) {
            let set = Set(options.indices.filter { mask & (1 << $0) != 0 }.map { options[$0] })
            if set.contains(.retainLongitudinalFullDates) && set.contains(.retainLongitudinalModifiedDates) { continue }
            try expectRoundTrip("sc-utf8-explicit-le.dcm", options: set)
            tried += 1
        }
        #expect(tried == 768)
    }

    @Test(arguments: ContentCipher.allCases, KeyTransport.allCases)
    func restoresWithEveryCipherAndTransport(_ cipher: ContentCipher, _ transport: KeyTransport) throws {
        try expectRoundTrip("mr-explicit-le.dcm", options: [], cipher: cipher, keyTransport: transport)
    }

    func expectRoundTrip(_ name: String, options: Set<ProfileOption>, cipher: ContentCipher = .aes256CBC,
                         keyTransport: KeyTransport = .rsaPKCS1v15) throws {
        let original = try TestEnvironment.fixture(name)
        let deidentifier = try TestEnvironment.deidentifier(options: options, cipher: cipher, keyTransport: keyTransport)
        let (deidentified, _) = try TestEnvironment.deidentifyThroughBytes(original, with: deidentifier)
        #expect(deidentified.dataSet[Tag(0x0012, 0x0062)]?.string() == "YES")

        let reidentifier = Reidentifier(key: try TestEnvironment.key(), certificate: try TestEnvironment.certificate())
        let restored = try reidentifier.reidentify(deidentified)
        #expect(restored.binding == .verified, "\(name): the item's binding to its file")
        var restoredFile = try Part10Reader.read(bytes: try Part10Writer.encode(restored.file))
        if !original.dataSet.contains(Tag(0x0012, 0x0062)) {
            #expect(restoredFile.dataSet[Tag(0x0012, 0x0062)]?.string() == "NO")
            restoredFile.dataSet.remove(Tag(0x0012, 0x0062))
        }
        let expected = try TestEnvironment.dataSetBytes(original)
        let actual = try TestEnvironment.dataSetBytes(restoredFile)
        if let at = firstDifference(expected, actual) {
            Issue.record("\(name) \(options.map(\.rawValue).sorted()): restored data set differs at offset \(at) (sizes \(expected.count) vs \(actual.count))")
        }
        #expect(restoredFile.meta[Tag(0x0002, 0x0003)]?.string() == original.dataSet[Tag(0x0008, 0x0018)]?.string())
    }
}
