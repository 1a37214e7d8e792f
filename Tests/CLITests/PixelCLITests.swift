import DICOMCodec
import DICOMCore
import DICOMTestSupport
import Foundation
import Testing

/// `dicom-deidentify --clean-pixel-data` run for real: clean and restore, refusals and their quarantine, option
/// errors in one line.
@Suite struct PixelCLITests {
    static func write(_ image: SyntheticImage, _ path: String) throws {
        try Data(image.bytes).write(to: URL(fileURLWithPath: path))
    }

    @Test func cleansUltrasoundAndReidentificationRestoresTheFileExactly() throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        var image = SyntheticImage()
        image.regions = [(2, 3, 17, 12)]
        let input = sandbox.path("us.dcm")
        try Self.write(image, input)
        let out = sandbox.path("out"), restored = sandbox.path("restored")
        try sandbox.deidentify([input], into: out, ["--clean-pixel-data", "--keep-layout"])
        let deidentified = try Part10Reader.read(contentsOf: out + "/us.dcm")
        let pixels = try #require(deidentified.dataSet[Tag(0x7FE0, 0x0010)]?.bytes.map(Array.init))
        #expect(pixels.prefix(3 * 20).allSatisfy { $0 == 0 }, "rows above the region blanked")
        #expect(pixels != image.pixels)
        let reid = try sandbox.run(.reidentify, [out, "--output", restored, "--key", Sandbox.keyA, "--keep-layout"])
        #expect(reid.status == 0, "\(reid.stderrText)")
        let original = try Part10Reader.read(bytes: image.bytes)
        var back = try Part10Reader.read(contentsOf: restored + "/us.dcm")
        back.dataSet.remove(Tag(0x0012, 0x0062))
        let encode = { (file: Part10File) in
            try DataSetWriter(target: file.dataSetEncoding, sourceOrder: file.dataSetEncoding.byteOrder).encode(file.dataSet)
        }
        #expect(try encode(original) == encode(back))
    }

    @Test func refusedInputsFailWithOneLineAndAreQuarantined() throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let input = sandbox.path("in/scan.dcm")
        try FileManager.default.createDirectory(atPath: sandbox.path("in"), withIntermediateDirectories: true)
        try Self.write(SyntheticImage(), input)
        let outcome = try sandbox.run(.deidentify, [sandbox.path("in"), "--output", sandbox.path("out"), "--recipient",
                                                    Sandbox.recipientA, "--clean-pixel-data", "--quarantine", sandbox.path("q")])
        #expect(outcome.status == 1)
        let line = outcome.stderrText.split(separator: "\n").first { $0.contains("scan.dcm") }.map(String.init) ?? ""
        #expect(line.contains("burned-in text") && line.contains("ultrasound"), "\(outcome.stderrText)")
        #expect(Sandbox.files(under: sandbox.path("out")).isEmpty)
        #expect(Sandbox.files(under: sandbox.path("q")) == ["scan.dcm"])

        let accepted = try sandbox.run(.deidentify, [input, "--output", sandbox.path("out2"), "--recipient", Sandbox.recipientA,
                                                     "--clean-pixel-data", "--accept-uncleaned-pixels"])
        #expect(accepted.status == 0, "\(accepted.stderrText)")
        #expect(Sandbox.files(under: sandbox.path("out2")).count == 1)
    }

    @Test func optionMistakesAreOneLineErrors() throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let input = sandbox.path("us.dcm")
        try Self.write(SyntheticImage(), input)
        let rules = sandbox.path("rules.script")
        try Data("A comment\n{ Modality.equals(\"US\") *\n  Nonsense.equals(\"x\") }\n(0,0,1,1)\n".utf8).write(to: URL(fileURLWithPath: rules))
        let base = [input, "--output", sandbox.path("out"), "--recipient", Sandbox.recipientA]
        let badRules = try sandbox.run(.deidentify, base + ["--clean-pixel-data", "--pixel-rules", rules])
        #expect(badRules.status != 0)
        #expect(badRules.stderrText.contains("rules.script:3: unknown element keyword 'Nonsense'"), "\(badRules.stderrText)")
        let inside = try sandbox.run(.deidentify, base + ["--clean-pixel-data", "--quarantine", sandbox.path("out/q")])
        #expect(inside.status != 0)
        #expect(inside.stderrText.contains("must not be inside the output folder"), "\(inside.stderrText)")
        let alone = try sandbox.run(.deidentify, base + ["--pixel-rules", rules])
        #expect(alone.status == 2)
        #expect(alone.stderrText.contains("go with --clean-pixel-data"), "\(alone.stderrText)")
    }

    @Test func dryRunListsEachFrame() throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        var image = SyntheticImage()
        image.regions = [(2, 3, 17, 12)]
        image.frames = 3
        let input = sandbox.path("us.dcm")
        try Self.write(image, input)
        let outcome = try sandbox.run(.deidentify, [input, "--dry-run", "--clean-pixel-data"])
        #expect(outcome.status == 0, "\(outcome.stderrText)")
        let frames = outcome.stdoutText.split(separator: "\n").filter { $0.hasPrefix("pixels frame") }
        #expect(frames.count == 3)
        #expect(frames.first?.contains("outside the ultrasound regions: (0,0,20,3)") == true, "\(frames)")
    }
}
