import DICOMTestSupport
import Foundation
import Testing
import TextDetection

/// Runs Scripts/make-ocr-corpus.py with `arguments` into a temporary folder and hands the folder to `read` (the
/// folder is removed afterwards); nil, and a message naming `suite`, where python3, pydicom, Pillow, numpy, the
/// DejaVu fonts or Tesseract's English data are missing.
func generatedOCRCorpus<T>(for suite: String, _ arguments: [String], read: (URL) throws -> T) -> Result<T, any Error>? {
    guard let python = ExternalTool.find("python3") else { print("\(suite) skipped: no python3"); return nil }
    let probe = "import pydicom, PIL, numpy, os, sys; sys.exit(0 if all(os.path.exists('/usr/share/fonts/truetype/dejavu/' + f)"
        + " for f in ('DejaVuSans.ttf', 'DejaVuSansMono.ttf')) else 3)"
    guard let outcome = try? python.run(["-c", probe]), outcome.status == 0 else {
        print("\(suite) skipped: pydicom, Pillow, numpy or fonts-dejavu is missing (Scripts/setup.sh installs them)")
        return nil
    }
    do { _ = try TextDetector() } catch {
        print("\(suite) skipped: \(error)")
        return nil
    }
    return Result {
        let directory = try TemporaryDirectory(prefix: "ocr-corpus")
        defer { directory.remove() }
        let script = RepositoryPaths.root.appendingPathComponent("Scripts/make-ocr-corpus.py").path
        let made = try python.run([script, directory.url.path] + arguments)
        try #require(made.status == 0, "make-ocr-corpus.py: \(made.stderrText)")
        return try read(directory.url)
    }
}
