import CMS
import DICOMDictionary
import DICOMCodec
import DICOMCore
import DICOMTestSupport
import Deidentification
import Foundation
import Testing

// TEMPORARY (not committed): dumps the deterministic part of every output for a before/after comparison.
struct ZZBaselineDump {
    @Test func dump() throws {
        guard let dir = ProcessInfo.processInfo.environment["BASELINE_DIR"] else { return }
        let fixtures = TestEnvironment.fixtureNames.map { RepositoryPaths.fixtures.appendingPathComponent($0).path }
        let files = fixtures + CorpusRoundTripTests.corpus
        let optionSets: [Set<ProfileOption>] = [
            [], Set(ProfileOption.allCases).subtracting([.retainLongitudinalFullDates]),
            [.retainSafePrivate], [.retainLongitudinalModifiedDates, .cleanDescriptors, .cleanStructuredContent, .cleanGraphics],
            [.retainLongitudinalFullDates, .retainUIDs, .retainDeviceIdentity, .retainInstitutionIdentity, .retainPatientCharacteristics],
        ]
        let key = try TestEnvironment.key()
        var out = ""
        for (setIndex, options) in optionSets.enumerated() {
            let deid = try TestEnvironment.deidentifier(options: options)
            for path in files {
                guard let file = try? Part10Reader.read(contentsOf: path) else { continue }
                let name = "\(setIndex) \(path.split(separator: "/").last ?? "")"
                do {
                    let result = try deid.deidentify(file)
                    let plan = try deid.plan(file)
                    var ds = result.file.dataSet
                    let opened = try Reidentifier(key: key).reidentify(result.file)
                    ds.remove(.encryptedAttributesSequence)
                    let bytes = try DataSetWriter(target: file.dataSetEncoding, sourceOrder: file.dataSetEncoding.byteOrder).encode(ds)
                    let restored = try DataSetWriter(target: file.dataSetEncoding, sourceOrder: file.dataSetEncoding.byteOrder).encode(opened.file.dataSet)
                    let rules = plan.edits.map { "\($0.path) \($0.decision.action) \($0.decision.rule)" }.joined(separator: "\n")
                        + "\n" + plan.kept.map { "\($0.path) \($0.decision.action) \($0.decision.rule)" }.joined(separator: "\n")
                    out += "\(name) ok \(bytes.hashValueString) \(restored.hashValueString) \(opened.restoredCount) \(result.file.meta.elements.count)\n"
                    try rules.write(toFile: dir + "/\(setIndex)-\(path.split(separator: "/").last ?? "").plan", atomically: false, encoding: .utf8)
                    try Data(bytes).write(to: URL(fileURLWithPath: dir + "/\(setIndex)-\(path.split(separator: "/").last ?? "").ds"))
                } catch {
                    out += "\(name) error \(error)\n"
                }
            }
        }
        try out.write(toFile: dir + "/summary.txt", atomically: false, encoding: .utf8)
    }
}

extension [UInt8] {
    var hashValueString: String {
        var h: UInt64 = 1469598103934665603
        for b in self { h = (h ^ UInt64(b)) &* 1099511628211 }
        return String(h, radix: 16)
    }
}
