import DICOMCodec
import DICOMTestSupport
import Foundation
import Testing

/// Every file of pydicom's bundled test corpus round-trips byte for byte, except the known malformed ones,
/// which are refused with the expected error.
///
/// The corpus comes from the PyPI package pydicom (3.0.2, installed by .ci/run).
struct PydicomCorpusTests {
    struct CorpusFile: Sendable, CustomStringConvertible {
        let path: String
        let pydicomReadsStrictly: Bool
        var name: String { (path as NSString).lastPathComponent }
        var description: String { name }
    }

    /// Files of the corpus that are broken on purpose (or by accident), with the error we must give.
    /// pydicom reads some of them anyway, lazily or leniently; dcmdump refuses them too.
    static let knownMalformed: [String: DICOMError.Code] = [
        "MR_truncated.dcm": .lengthExceedsParent,         // Pixel Data claims 8192 bytes, 8130 remain
        "rtplan_truncated.dcm": .lengthExceedsParent,     // cut inside a nested sequence
        "DICOMDIR-nooffset": .lengthExceedsParent,        // an item overruns its sequence's defined length
        "no_meta.dcm": .notDICOM,
    ]

    static let corpus: [CorpusFile] = {
        let script = """
        import pydicom
        from pydicom.data import get_testdata_files
        for f in sorted(get_testdata_files()):
            try:
                pydicom.dcmread(f)
                ok = 1
            except Exception:
                ok = 0
            print(f"{ok}\\t{f}")
        """
        guard let python = ExternalTool.find("python3"),
              let outcome = try? python.run(["-c", script]), outcome.status == 0 else { return [] }
        return outcome.stdoutText.split(separator: "\n").compactMap { line in
            let parts = line.split(separator: "\t", maxSplits: 1)
            var isDirectory: ObjCBool = false
            guard parts.count == 2, FileManager.default.fileExists(atPath: String(parts[1]), isDirectory: &isDirectory),
                  !isDirectory.boolValue else { return nil }
            return CorpusFile(path: String(parts[1]), pydicomReadsStrictly: parts[0] == "1")
        }
    }()

    @Test(.enabled(if: Peer.runnable(.pydicom), Comment(rawValue: Peer.skipReason(.pydicom))))
    func corpusIsAvailable() throws {
        _ = try Peer.pydicom.require()
        #expect(Self.corpus.count > 100, "pip install pydicom==3.0.2 provides the corpus")
    }

    @Test(arguments: corpus)
    func roundTripsOrRefusesClearly(_ file: CorpusFile) throws {
        let original = try [UInt8](Data(contentsOf: URL(fileURLWithPath: file.path)))
        if let expected = Self.knownMalformed[file.name] {
            #expect(throws: DICOMError(expected)) { try Part10Reader.read(bytes: original) }
            return
        }
        let parsed: Part10File
        do {
            parsed = try Part10Reader.read(bytes: original)
        } catch {
            // Whatever pydicom cannot read without `force` (text, JSON, ICC profiles, gzip) must be refused as
            // not DICOM, on one line; everything pydicom reads, we read.
            if file.pydicomReadsStrictly {
                Issue.record("\(file) is read by pydicom but refused by us: \(error)")
            } else {
                #expect(error.code == .notDICOM, "\(file): \(error)")
                #expect(!error.description.contains("\n"))
            }
            return
        }
        let written = try Part10Writer.encode(parsed)
        if let at = firstDifference(original, written) {
            Issue.record("\(file): output differs from input at offset \(at) (sizes \(original.count) vs \(written.count))")
        }
    }
}
