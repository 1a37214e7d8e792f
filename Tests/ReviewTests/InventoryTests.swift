import DICOMCodec
import DICOMCore
import DICOMDictionary
import DICOMTestSupport
import Deidentification
import Foundation
import Jobs
import ProfileFiles
import Review
import Testing

/// The inventory of a collection: rows checked against pydicom's independent walk, flags on planted cases,
/// values kept out unless asked for, bad files, and distinct values in bounded memory.
struct InventoryTests {
    static let fixtureFiles: [String] = {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: RepositoryPaths.fixtures.path)) ?? []
        return names.filter { $0.hasSuffix(".dcm") }.sorted().map { RepositoryPaths.fixtures.appendingPathComponent($0).path }
    }()

    static func scan(_ paths: [String], profile: Profile? = nil, options: Set<ProfileOption> = [],
                     showValues: Bool = false, jobs: Int = 2) -> (Inventory, [String]) {
        let settings = DeidentificationSettings(
            policy: DeidentificationPolicy(options: profile?.options ?? options, profile: profile, allowRepeat: true),
            keys: MappingKeys(secret: Array(repeating: 7, count: 32)), recipients: Recipients([]))
        let scanner = InventoryScanner(deidentifier: Deidentifier(settings: settings),
                                       options: InventoryOptions(showValues: showValues, jobs: jobs))
        let failures = FailureLog()
        let inventory = scanner.scan(paths.map { InputScanner.Input(path: $0, relativePath: $0, isNamed: true) }, profile: "test",
                                     failure: { label, message, _ in failures.append("\(label): \(message)") })
        return (inventory, failures.lines)
    }

    final class FailureLog: @unchecked Sendable {
        private let lock = NSLock()
        private var storage: [String] = []
        func append(_ line: String) { lock.withLock { storage.append(line) } }
        var lines: [String] { lock.withLock { storage } }
    }

    static func row(_ inventory: Inventory, path: String) -> Inventory.Row? {
        inventory.rows.first { $0.path == path }
    }

    // MARK: - Against pydicom

    /// pydicom 3.0.2 walks the same files: every row (path and key), its files, occurrences and VRs agree.
    /// pydicom's unresolved ambiguous VRs ("OB or OW" in implicit VR files) are not compared.
    static let pydicomWalk = """
    import json, sys
    import pydicom
    from pydicom.datadict import keyword_for_tag

    def key(elem, ds):
        g, e = elem.tag.group, elem.tag.element
        if g % 2 == 1 and e != 0:
            if 0x10 <= e <= 0xFF:
                k = '(%04X,"%s")' % (g, str(elem.value).rstrip(' \\0'))
                return k, k
            if e >= 0x1000 and ((g << 16) | (e >> 8)) in ds:
                c = ds[(g << 16) | (e >> 8)].value
                c = (c.decode('latin-1') if isinstance(c, bytes) else str(c)).rstrip(' \\0')
                k = '(%04X,"%s",%02X)' % (g, c, e & 0xFF)
                return k, k
        k = '(%04X,%04X)' % (g, e)
        return k, (k if g % 2 == 1 else (keyword_for_tag(elem.tag) or k))

    rows = {}
    def walk(ds, prefix, n):
        for elem in ds:
            k, label = key(elem, ds)
            path = label if not prefix else prefix + '[*].' + label
            r = rows.setdefault(path + ' ' + k, {'occurrences': 0, 'files': set(), 'vrs': set()})
            r['occurrences'] += 1
            r['files'].add(n)
            r['vrs'].add(elem.VR)
            if elem.VR == 'SQ':
                for item in elem.value:
                    walk(item, path, n)

    for n, f in enumerate(sys.argv[1:]):
        walk(pydicom.dcmread(f, force=True), '', n)
    print(json.dumps({p: {'occurrences': r['occurrences'], 'files': len(r['files']),
                          'vrs': sorted(v for v in r['vrs'] if ' or ' not in v)} for p, r in rows.items()}))
    """

    @Test(.enabled(if: Peer.runnable(.pydicom), Comment(rawValue: Peer.skipReason(.pydicom))))
    func rowsAgreeWithPydicom() throws {
        let python = try Peer.pydicom.require()
        let outcome = try python.run(["-c", Self.pydicomWalk] + Self.fixtureFiles)
        #expect(outcome.status == 0, "\(outcome.stderrText)")
        let expected = try #require(try JSONSerialization.jsonObject(with: outcome.stdout) as? [String: [String: Any]])
        let (inventory, failures) = Self.scan(Self.fixtureFiles)
        #expect(failures.isEmpty, "\(failures)")
        #expect(inventory.files == Self.fixtureFiles.count)
        var ours: [String: Inventory.Row] = [:]
        for row in inventory.rows { ours[row.path + " " + row.key] = row }
        #expect(Set(ours.keys) == Set(expected.keys),
                "only ours: \(Set(ours.keys).subtracting(expected.keys).sorted()); only pydicom's: \(Set(expected.keys).subtracting(ours.keys).sorted())")
        #expect(inventory.rows.count > 400)
        for (identity, theirs) in expected {
            guard let row = ours[identity] else { continue }
            #expect(row.occurrences == theirs["occurrences"] as? Int, "\(identity)")
            #expect(row.files == theirs["files"] as? Int, "\(identity)")
            let vrs = theirs["vrs"] as? [String] ?? []
            #expect(Set(vrs).isSubset(of: Set(row.vrs)), "\(identity): \(row.vrs) vs pydicom \(vrs)")
        }
    }

    // MARK: - Flags

    /// A CT fixture with an unknown private creator, an attribute no dictionary lists, Burned In Annotation
    /// YES and a Series Description, written to `directory`.
    static func plantedFile(in directory: URL) throws -> String {
        var file = try Part10Reader.read(contentsOf: RepositoryPaths.fixtures.appendingPathComponent("ct-explicit-le.dcm").path)
        file.dataSet.set(DataElement(tag: Tag(0x0011, 0x0010), vr: .LO, string: "NOBODY KNOWS THIS CREATOR"))
        file.dataSet.set(DataElement(tag: Tag(0x0011, 0x1001), vr: .LO, string: "PLANTED PRIVATE"))
        file.dataSet.set(DataElement(tag: Self.unknownTag, vr: .LO, string: "PLANTED UNKNOWN"))
        file.dataSet.set(DataElement(tag: Tag(0x0028, 0x0301), vr: .CS, string: "YES"))
        file.dataSet.set(DataElement(tag: Tag(0x0008, 0x103E), vr: .LO, string: "PLANTED DESCRIPTION"))
        let path = directory.appendingPathComponent("planted.dcm").path
        try Data(Part10Writer.encode(file)).write(to: URL(fileURLWithPath: path))
        return path
    }

    static let unknownTag = Tag(0x0030, 0x0101)

    @Test func flagsPlantedCases() throws {
        #expect(DataDictionary.info(for: Self.unknownTag) == nil, "pick another unknown tag")
        let directory = try TemporaryDirectory(prefix: "inventory-flags")
        defer { directory.remove() }
        let path = try Self.plantedFile(in: directory.url)
        // A native profile keeping Series Description (free text).
        let yaml = directory.url.appendingPathComponent("keep.yaml").path
        try "version: 1\nbase: basic\nrules:\n  - match: SeriesDescription\n    action: keep\n"
            .write(toFile: yaml, atomically: true, encoding: .utf8)
        let profile = try #require(try ProfileRequest(profileFile: yaml).load(secret: [], defaultMappingDatabase: nil).profile)
        let (inventory, failures) = Self.scan([path], profile: profile)
        #expect(failures.isEmpty, "\(failures)")

        let description = try #require(Self.row(inventory, path: "SeriesDescription"))
        #expect(description.action == "keep")
        #expect(description.flags.contains("freeTextKept"))
        #expect(description.origin.contains("keep.yaml"))
        let privateRow = try #require(Self.row(inventory, path: "(0011,\"NOBODY KNOWS THIS CREATOR\",01)"))
        #expect(privateRow.key == "(0011,\"NOBODY KNOWS THIS CREATOR\",01)")
        #expect(privateRow.keyword == "")
        #expect(privateRow.flags.contains("unknownCreator"))
        #expect(privateRow.action == "remove")
        let unknown = try #require(Self.row(inventory, path: "(0030,0101)"))
        #expect(unknown.flags.contains("notInDictionary"))
        let fileFlags = try #require(inventory.fileFlags.first)
        #expect(fileFlags.flags.contains("burnedInAnnotation"))
        #expect(fileFlags.modality == "CT")
        #expect(!fileFlags.flags.contains("burnedInModality"))
        // A CTP script removing private groups names no creator either.
        let script = RepositoryPaths.root.appendingPathComponent("Profiles/ricord/ricord.script").path
        var request = ProfileRequest(ctpScript: script, ctpParameters: ["SITEID": "X", "UIDROOT": "1.2.3"])
        request.dryRun = true   // @integer numbers previewed: no mapping database is made
        let ctp = try #require(try request.load(secret: [], defaultMappingDatabase: directory.url.appendingPathComponent("none.sqlite").path).profile)
        let (ricord, ricordFailures) = Self.scan([path], profile: ctp)
        #expect(ricordFailures.isEmpty, "\(ricordFailures)")
        #expect(Self.row(ricord, path: "(0011,\"NOBODY KNOWS THIS CREATOR\",01)")?.flags.contains("unknownCreator") == true)
        // The Basic Profile removes Series Description: no flag there.
        let (basic, _) = Self.scan([path])
        #expect(Self.row(basic, path: "SeriesDescription")?.flags.contains("freeTextKept") == false)
        #expect(Self.row(basic, path: "SeriesDescription")?.action == "remove")
    }

    @Test func privateAttributeKeptUnderRetainSafePrivate() throws {
        let (inventory, _) = Self.scan(Self.fixtureFiles, options: [.retainSafePrivate])
        let kept = inventory.rows.filter { $0.flags.contains("privateKept") }
        #expect(!kept.isEmpty)
        for row in kept { #expect(row.key.contains("\""), "\(row.key)") }
    }

    @Test func secondaryCapturesAreFlagged() {
        let (inventory, _) = Self.scan(Self.fixtureFiles)
        let sc = inventory.fileFlags.filter { $0.file.contains("/sc-") }
        #expect(sc.count == 3)
        for flags in sc { #expect(flags.flags.contains("burnedInSOPClass")) }
        #expect(inventory.summary.sopClasses["CT Image Storage"] != nil)
        #expect(inventory.summary.modalities["CT"] != nil)
    }

    // MARK: - Values

    static func canaryValues() throws -> [String] {
        let data = try Data(contentsOf: RepositoryPaths.fixtures.appendingPathComponent("phi-canaries.json"))
        let root = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let canaries = try #require(root["canaries"] as? [[String: Any]])
        return canaries.compactMap { $0["value"] as? String }.filter { $0.count >= 4 }
    }

    @Test func noValuesWithoutShowValues() throws {
        let canaries = try Self.canaryValues()
        #expect(canaries.count > 10)
        let (inventory, _) = Self.scan(Self.fixtureFiles)
        let json = String(decoding: try InventoryWriter.json(inventory), as: UTF8.self)
        let csv = InventoryWriter.csv(inventory)
        for canary in canaries {
            #expect(!json.contains(canary), "\(canary) in the JSON")
            #expect(!csv.contains(canary), "\(canary) in the CSV")
        }
        #expect(csv.hasPrefix("key,keyword,path,vrs,files,occurrences,distinct_values,distinct_is_estimate,min_length,max_length,action,rule,origin,flags\r\n"))
        #expect(inventory.rows.allSatisfy { $0.examples == nil })

        // With them: examples appear, at most 5 per row, and the CSV has the column.
        let (shown, _) = Self.scan(Self.fixtureFiles, showValues: true)
        let shownJSON = String(decoding: try InventoryWriter.json(shown), as: UTF8.self)
        #expect(canaries.contains { shownJSON.contains($0) })
        #expect(shown.rows.allSatisfy { ($0.examples?.count ?? 0) <= 5 })
        #expect(InventoryWriter.csv(shown).hasPrefix("key,keyword,path,vrs,files,occurrences,distinct_values,distinct_is_estimate,min_length,max_length,action,rule,origin,flags,examples\r\n"))
    }

    // MARK: - Bad input

    @Test func badFileIsCountedAndTheBatchGoesOn() throws {
        let directory = try TemporaryDirectory(prefix: "inventory-bad")
        defer { directory.remove() }
        let bad = directory.url.appendingPathComponent("bad.dcm").path
        var bytes = [UInt8](repeating: 0, count: 128) + Array("DICM".utf8)
        bytes += [0x02, 0x00, 0x10, 0x00, 0x55, 0x49, 0xFF, 0x7F]   // (0002,0010) UI with a length past the end
        try Data(bytes).write(to: URL(fileURLWithPath: bad))
        let paths = [Self.fixtureFiles[0], bad, Self.fixtureFiles[1]]
        let (inventory, failures) = Self.scan(paths)
        #expect(inventory.files == 3)
        #expect(inventory.failedFiles == 1)
        #expect(failures.count == 1)
        #expect(failures.first?.hasPrefix(bad + ": ") == true)
        #expect(Self.row(inventory, path: "PatientName")?.files == 2)
    }

    /// pydicom's own test files (many vendors, truncated and odd files among them): every readable file is
    /// inventoried, each failure is one line naming its file.
    @Test(.enabled(if: Peer.runnable(.pydicom), Comment(rawValue: Peer.skipReason(.pydicom))))
    func pydicomCorpus() throws {
        _ = try Peer.pydicom.require()
        let files = PydicomCorpus.files
        try #require(files.count > 50, "pydicom lists its test files")
        let (inventory, failures) = Self.scan(files, jobs: 2)
        #expect(inventory.files == files.count)
        #expect(inventory.failedFiles == failures.count)
        #expect(inventory.files - inventory.failedFiles >= files.count * 9 / 10, "\(failures)")
        for line in failures { #expect(files.contains { line.hasPrefix($0 + ": ") }, "\(line)") }
        #expect(inventory.rows.count > 500)
        #expect(!inventory.fileFlags.isEmpty)
    }

    // MARK: - Distinct values

    @Test func distinctValuesAreExactUpToTheCapThenEstimated() throws {
        let directory = try TemporaryDirectory(prefix: "inventory-distinct")
        defer { directory.remove() }
        var file = try Part10Reader.read(contentsOf: Self.fixtureFiles[0])
        func sequence(_ count: Int) -> DataElement {
            let items = (0..<count).map { n in
                Item(dataSet: DataSet([DataElement(tag: Tag(0x0008, 0x0100), vr: .SH, string: "V\(n)")]))
            }
            return DataElement(tag: Tag(0x0040, 0xA043), vr: .SQ, value: .sequence(SequenceOfItems(items: items)))
        }
        file.dataSet.set(sequence(5000))
        let many = directory.url.appendingPathComponent("many.dcm").path
        try Data(Part10Writer.encode(file)).write(to: URL(fileURLWithPath: many))
        file.dataSet.set(sequence(1000))
        let few = directory.url.appendingPathComponent("few.dcm").path
        try Data(Part10Writer.encode(file)).write(to: URL(fileURLWithPath: few))

        let (estimated, _) = Self.scan([many])
        let row = try #require(Self.row(estimated, path: "ConceptNameCodeSequence[*].CodeValue"))
        #expect(row.occurrences == 5000)
        #expect(row.distinctIsEstimate)
        #expect(abs(row.distinctValues - 5000) <= 250, "estimate \(row.distinctValues)")
        let (exact, _) = Self.scan([few])
        let exactRow = try #require(Self.row(exact, path: "ConceptNameCodeSequence[*].CodeValue"))
        #expect(!exactRow.distinctIsEstimate)
        #expect(exactRow.distinctValues == 1000)
    }

    @Test func counterMergesSketches() {
        var a = DistinctCounter(cap: 1000)
        var b = DistinctCounter(cap: 1000)
        for n in 0..<30_000 {
            var hash = ValueHash()
            hash.combine(ArraySlice(Array("value \(n)".utf8)))
            if n < 20_000 { a.insert(hash.value) }
            if n >= 10_000 { b.insert(hash.value) }
        }
        a.merge(b)
        #expect(a.isEstimate)
        #expect(abs(a.count - 30_000) <= 1500, "estimate \(a.count)")
    }

    @Test func parallelScanEqualsSerial() {
        let (serial, _) = Self.scan(Self.fixtureFiles, jobs: 1)
        let (parallel, _) = Self.scan(Self.fixtureFiles, jobs: 4)
        #expect(serial.rows.map(\.key) == parallel.rows.map(\.key))
        #expect(serial.rows == parallel.rows, "rows differ")
        #expect(serial.fileFlags == parallel.fileFlags)
        #expect(serial.summary == parallel.summary)
    }
}
