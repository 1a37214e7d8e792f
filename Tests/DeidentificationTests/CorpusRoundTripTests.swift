import DICOMCodec
import DICOMCore
import DICOMTestSupport
import Deidentification
import Foundation
import Testing

/// Every file of pydicom's bundled test corpus that the de-identifier accepts comes back byte for byte
/// (data set; file meta aside) from `reidentify(deidentify(f))`, except Patient Identity Removed, which is NO
/// when the original lacked it.
struct CorpusRoundTripTests {
    static var corpus: [String] { PydicomCorpus.files }

    @Test(.enabled(if: Peer.runnable(.pydicom), Comment(rawValue: Peer.skipReason(.pydicom))))
    func corpusIsAvailable() throws {
        _ = try Peer.pydicom.require()
        #expect(Self.corpus.count > 100, "pip install pydicom==3.0.2 provides the corpus")
    }

    @Test(.enabled(if: Peer.runnable(.pydicom), Comment(rawValue: Peer.skipReason(.pydicom))))
    func mostOfTheCorpusIsDeidentified() throws {
        _ = try Peer.pydicom.require()
        var accepted = 0
        for path in Self.corpus {
            guard let file = try? Part10Reader.read(contentsOf: path),
                  (try? TestEnvironment.deidentifier().deidentify(file)) != nil else { continue }
            accepted += 1
        }
        #expect(accepted > 100, "only \(accepted) corpus files de-identified")
    }

    @Test(arguments: corpus)
    func restoresEveryAcceptedFileExactly(_ path: String) throws {
        guard let original = try? Part10Reader.read(contentsOf: path) else { return }   // refused by the codec
        let deidentifier = try TestEnvironment.deidentifier(allowRepeat: true)
        let result: DeidentificationResult
        do {
            result = try deidentifier.deidentify(original)
        } catch {
            // Refused with a reason (e.g. no SOP Instance UID): one line, and that is all.
            #expect(!error.description.contains("\n"))
            return
        }
        let deidentified = try Part10Reader.read(bytes: try Part10Writer.encode(result.file))
        let restored = try Reidentifier(key: try TestEnvironment.key(), certificate: try TestEnvironment.certificate())
            .reidentify(deidentified)
        var restoredFile = try Part10Reader.read(bytes: try Part10Writer.encode(restored.file))
        let identityRemoved = DICOMCore.Tag(0x0012, 0x0062)
        if !original.dataSet.contains(identityRemoved) {
            #expect(restoredFile.dataSet[identityRemoved]?.string() == "NO")
            restoredFile.dataSet.remove(identityRemoved)
        }
        let expected = try TestEnvironment.dataSetBytes(original)
        let actual = try TestEnvironment.dataSetBytes(restoredFile)
        if let at = firstDifference(expected, actual) {
            Issue.record("\((path as NSString).lastPathComponent): restored data set differs at offset \(at) (sizes \(expected.count) vs \(actual.count))")
        }
    }
}
