import DICOMCodec
import DICOMCore
import DICOMTestSupport
import Deidentification
import Foundation
import Testing
import ProfileFiles

/// TCIA's Private Tag Knowledge Base, converted by Scripts/make-tcia-private-csv.py into
/// Profiles/private/tcia-private-tag-kb-2024-02-01.csv, used as `--private-dispositions`.
struct TCIAKnowledgeBaseTests {
    static let path = ProfileTestSupport.profiles.appendingPathComponent("private/tcia-private-tag-kb-2024-02-01.csv").path

    /// The shipped file reads as dispositions, every TCIA code mapped as documented.
    @Test func shippedFileReadsWithEveryCodeMapped() throws {
        let entries = try PrivateDispositions.loadEntries(path: Self.path)
        #expect(entries.count > 4000)
        let expected = ["k": "keep", "d": "remove", "h": "new-uid", "o": "shift-dates", "oi": "remove", "na": "remove"]
        var seen: Set<String> = []
        for entry in entries {
            let code = try #require(entry.comment.firstMatch(of: /^TCIA ([a-z\/]+)/)?.output.1, "line \(entry.line): \(entry.comment)")
            if code.contains("/") {
                #expect(entry.actionName == "remove", "conflicting rows are written as remove (line \(entry.line))")
            } else {
                #expect(expected[String(code)] == entry.actionName, "line \(entry.line): TCIA \(code) -> \(entry.actionName)")
                seen.insert(String(code))
            }
        }
        #expect(seen == Set(expected.keys))
        // A row TCIA lists (GE's table speed, kept) and one it deletes (a GE patient-level text).
        let byKey = Dictionary(uniqueKeysWithValues: entries.map { ($0.key, $0.actionName) })
        #expect(byKey[PrivateAttributeKey(group: 0x0019, creator: "GEMS_ACQU_01", elementByte: 0x23)] == "keep")
    }

    /// A real GE file from pydicom's test files (CT_small.dcm) under `--private-dispositions` with the base:
    /// each private element the base keeps is there with its bytes, each it removes is gone.
    @Test(.enabled(if: Peer.runnable(.pydicom), Comment(rawValue: Peer.skipReason(.pydicom))))
    func realGEFileKeepsItsKRowsAndLosesItsDRows() throws {
        _ = try Peer.pydicom.require()
        let input = try #require(PydicomCorpus.files.first { $0.hasSuffix("/CT_small.dcm") }, "pydicom's CT_small.dcm")
        let original = try Part10Reader.read(contentsOf: input)
        let profile = try #require(try ProfileRequest(dispositionFiles: [Self.path]).makeProfile())
        let output = try ProfileTestSupport.deidentifier(profile: profile).deidentify(original).file
        let actions = Dictionary(uniqueKeysWithValues: try PrivateDispositions.loadEntries(path: Self.path).map { ($0.key, $0.actionName) })
        var kept = 0, removed = 0
        for element in original.dataSet.elements where element.tag.isPrivate && element.tag.element >= 0x1000 {
            guard let creator = original.dataSet.privateCreator(of: element.tag) else { continue }
            let key = PrivateAttributeKey(tag: element.tag, creator: creator)
            // The output's block for this creator may sit elsewhere; look the element up by creator.
            let out = output.dataSet.elements.first {
                $0.tag.group == element.tag.group && $0.tag.element >= 0x1000 && $0.tag.element & 0xFF == element.tag.element & 0xFF
                    && output.dataSet.privateCreator(of: $0.tag) == creator
            }
            switch actions[key] {
            case "keep":
                kept += 1
                #expect(out?.bytes == element.bytes, "\(key) is kept by TCIA: \(element.tag)")
            case "remove":
                removed += 1
                #expect(out == nil, "\(key) is deleted by TCIA: \(element.tag)")
            default:
                continue
            }
        }
        #expect(kept >= 100 && removed >= 10, "kept \(kept), removed \(removed): CT_small.dcm has 152 k and 18 d rows")
    }
}
