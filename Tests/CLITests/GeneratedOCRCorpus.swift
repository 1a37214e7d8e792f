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

/// De-identifies `image`, alone as `name`, with `--clean-pixel-data --detect-text --quarantine`, and expects it
/// refused: exit 1, one line naming it and holding `reason`, nothing written, the input quarantined.
func expectDetectTextRefuses(_ image: SyntheticImage, named name: String, because reason: String, in sandbox: Sandbox) throws {
    let input = sandbox.path("in/" + name)
    try FileManager.default.createDirectory(atPath: sandbox.path("in"), withIntermediateDirectories: true)
    try Data(image.bytes).write(to: URL(fileURLWithPath: input))
    let outcome = try sandbox.run(.deidentify, [input, "--output", sandbox.path("out"), "--recipient", Sandbox.recipientA,
                                                "--clean-pixel-data", "--detect-text", "--quarantine", sandbox.path("q")])
    #expect(outcome.status == 1)
    #expect(outcome.stderrLines(naming: name).count == 1, "\(outcome.stderrText)")
    #expect(outcome.stderrText.contains(reason), "\(outcome.stderrText)")
    #expect(Sandbox.files(under: sandbox.path("out")).isEmpty)
    #expect(Sandbox.files(under: sandbox.path("q")) == [name])
}
