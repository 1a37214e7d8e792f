import DICOMCodec
import DICOMCore
import Deidentification
import Testing

/// The PHI-leak test: no planted canary survives de-identification anywhere a receiver can read —
/// preamble, file meta, data set (inflated when deflated) — outside the Encrypted Content (0400,0520); and the
/// originals are all inside the encrypted Modified Attributes.
struct CanaryTests {
    static let fixtures = TestEnvironment.fixtureNames

    /// Option sets for the leak test, with a readable name.
    struct Options: Sendable, CustomTestStringConvertible {
        var name: String
        var options: Set<ProfileOption>
        var testDescription: String { name }
    }

    static let optionSets: [Options] = [
        Options(name: "identity retained", options: [.retainDeviceIdentity, .retainInstitutionIdentity,
                                                     .retainPatientCharacteristics]),
        Options(name: "UIDs and safe private retained", options: [.retainUIDs, .retainSafePrivate]),
        Options(name: "full dates", options: [.retainLongitudinalFullDates]),
        Options(name: "modified dates", options: [.retainLongitudinalModifiedDates]),
        Options(name: "all clean options", options: [.cleanDescriptors, .cleanStructuredContent, .cleanGraphics]),
    ]

    @Test func registryListsCanariesForEveryFixture() throws {
        let registry = try #require(CanaryRegistry.shared, "Fixtures/phi-canaries.json missing or unreadable")
        for name in Self.fixtures {
            #expect(registry.canaries(in: name).count >= 20, "\(name)")
            #expect(registry.canaries(in: name).contains { $0.location == "preamble" }, "\(name)")
        }
        #expect(registry.canaries.contains { $0.location == "file-meta" })
        #expect(Set(registry.canaries.map(\.encoding)) == ["ascii", "utf-8", "latin-1", "hex"])
    }

    /// The search itself finds every canary in the untouched fixture (deflated one inflated), so an absent
    /// canary in the output means it was removed, not that the search missed it.
    @Test(arguments: fixtures)
    func searchFindsEveryCanaryInTheOriginal(_ name: String) throws {
        let registry = try #require(CanaryRegistry.shared)
        let bytes = try TestEnvironment.searchableBytes(of: try TestEnvironment.fixture(name))
        for canary in registry.canaries(in: name) {
            let found = Bytes.contains(bytes, canary.bytes)
            #expect(found, "\(name): \(canary) not found in the original")
        }
    }

    @Test(arguments: fixtures)
    func basicProfileLeavesNoCanaryOutsideEncryptedContent(_ name: String) throws {
        let registry = try #require(CanaryRegistry.shared)
        let (_, output) = try TestEnvironment.deidentified(name)
        try expectNoLeak(of: registry.canaries(in: name), in: output, name)
        // Every canary text contains CANARY (README): a blunt search catches what the registry might miss.
        let blunt = Bytes.contains(try TestEnvironment.searchableBytes(of: output), Array("CANARY".utf8))
        #expect(!blunt, "\(name): some 'CANARY' text leaked")
    }

    @Test(arguments: fixtures, optionSets)
    func optionsLeaveNoCanaryTheyDoNotRetain(_ name: String, _ set: Options) throws {
        let registry = try #require(CanaryRegistry.shared)
        let (_, output) = try TestEnvironment.deidentified(name, options: set.options)
        try expectNoLeak(of: registry.canaries(in: name, notRetainedBy: set.options), in: output, "\(name) \(set.name)")
    }

    /// A second layer (allow repeat) blanks both Encrypted Content values and still leaks nothing.
    @Test(arguments: ["ct-explicit-le.dcm", "ct-deflated.dcm", "ct-explicit-be.dcm"])
    func secondLayerLeavesNoCanary(_ name: String) throws {
        let registry = try #require(CanaryRegistry.shared)
        let (_, first) = try TestEnvironment.deidentified(name)
        let again = try TestEnvironment.deidentifier(allowRepeat: true)
        let (second, _) = try TestEnvironment.deidentifyThroughBytes(first, with: again)
        #expect(second.dataSet[TestEnvironment.encryptedAttributesSequence]?.sequence?.items.count == 2)
        try expectNoLeak(of: registry.canaries(in: name), in: second, "\(name) second layer")
    }

    /// Every data set canary is in the decrypted Modified Attributes: the originals are kept, not lost.
    @Test(arguments: fixtures)
    func encryptedModifiedAttributesHoldEveryDatasetCanary(_ name: String) throws {
        let registry = try #require(CanaryRegistry.shared)
        let (_, output) = try TestEnvironment.deidentified(name)
        let plaintexts = try TestEnvironment.decryptedContents(of: output)
        try #require(plaintexts.count == 1)
        let plaintext = plaintexts[0]
        for canary in registry.canaries(in: name) where canary.isInDataSet {
            // The content is little endian: a big-endian file's OW canary (registered word-swapped) is there
            // in little-endian order.
            let found = Bytes.contains(plaintext, canary.bytes)
                || (canary.encoding == "hex" && Bytes.contains(plaintext, Bytes.wordSwapped(canary.bytes)))
            #expect(found, "\(name): \(canary) not in the decrypted Modified Attributes")
        }
    }

    private func expectNoLeak(of canaries: [CanaryRegistry.Entry], in output: Part10File,
                              _ context: String) throws {
        #expect(!canaries.isEmpty, "\(context): no canaries to look for")
        let bytes = try TestEnvironment.searchableBytes(of: output)
        for canary in canaries {
            let leaked = Bytes.contains(bytes, canary.bytes)
            #expect(!leaked, "\(context): \(canary) leaked")
        }
    }
}
