import CMS
import DICOMCodec
import DICOMCore
import DICOMTestSupport
import Deidentification
import Foundation
import PixelCodecs
import PixelData
import Testing

/// Clean Pixel Data on every fixture of Fixtures/pixels (text burned in at the places its manifest lists):
/// cleaned with the fixtures' rules file (ultrasound files by their regions), checked by an independent decoder
/// (`Scripts/check-pixel-fixtures.py`: pydicom for native and RLE, dcmtk for JPEG and JPEG-LS, GDCM for JPEG 2000)
/// — every pixel under the text blank, every other pixel unchanged — then re-identified byte for byte, and read
/// by dciodvfy without new errors.
@Suite struct PixelFixtureTests {
    static let pixels = RepositoryPaths.fixtures.appendingPathComponent("pixels")
    static let secret = Array("test-only secret for keyed mappings, not for real data".utf8)

    struct Entry: Decodable, Sendable, CustomTestStringConvertible {
        var file: String
        var transferSyntax: String
        var testDescription: String { file }
    }

    /// The manifest's files; a manifest that cannot be read fails `manifestListsEveryFixture` (the argument list
    /// of the other tests is then empty, which alone would not fail).
    static let manifest: Result<[Entry], any Error> = Result {
        struct Manifest: Decodable { var files: [Entry] }
        let data = try Data(contentsOf: pixels.appendingPathComponent("manifest.json"))
        return try JSONDecoder().decode(Manifest.self, from: data).files
    }
    static var entries: [Entry] { (try? manifest.get()) ?? [] }

    /// The manifest reads, and lists exactly the .dcm files of Fixtures/pixels.
    @Test func manifestListsEveryFixture() throws {
        let files = try Self.manifest.get().map(\.file)
        let onDisk = try FileManager.default.contentsOfDirectory(atPath: Self.pixels.path).filter { $0.hasSuffix(".dcm") }
        #expect(files.count >= 10)
        #expect(Set(files) == Set(onDisk) && files.count == onDisk.count)
    }

    static let registry: FrameCodecRegistry = PixelCodecs.registry

    static func deidentifier(rules: PixelRuleScript) throws -> Deidentifier {
        let certificate = try RecipientCertificate(contentsOf: RepositoryPaths.keys.appendingPathComponent("test-recipient-a.crt").path)
        return Deidentifier(settings: DeidentificationSettings(
            policy: DeidentificationPolicy(cleanPixelData: PixelCleaningSettings(rules: rules, registry: registry)),
            keys: MappingKeys(secret: secret), recipients: Recipients([certificate])))
    }

    static func fixtureRules() throws -> PixelRuleScript {
        let path = pixels.appendingPathComponent("rules.script").path
        return try PixelRuleScript(text: try String(contentsOfFile: path, encoding: .utf8), file: path)
    }

    static func dataSetBytes(_ file: Part10File, droppingIdentityRemovedNO: Bool = false) throws -> [UInt8] {
        var dataSet = file.dataSet
        if droppingIdentityRemovedNO, dataSet[Tag(0x0012, 0x0062)]?.string() == "NO" { dataSet.remove(Tag(0x0012, 0x0062)) }
        return try DataSetWriter(target: file.dataSetEncoding, sourceOrder: file.dataSetEncoding.byteOrder).encode(dataSet)
    }

    @Test(.enabled(if: Peer.runnable(.pydicom), Comment(rawValue: Peer.skipReason(.pydicom))),
          arguments: PixelFixtureTests.entries.filter { PixelFixtureTests.registry.codec(for: $0.transferSyntax) != nil
              || ["1.2.840.10008.1.2", "1.2.840.10008.1.2.1", "1.2.840.10008.1.2.2"].contains($0.transferSyntax) })
    func cleanedAsTheManifestSaysAndRestoredExactly(_ entry: Entry) throws {
        let directory = try TemporaryDirectory(prefix: "pixel-fixture")
        defer { directory.remove() }
        let inputPath = Self.pixels.appendingPathComponent(entry.file).path
        let original = try Part10Reader.read(contentsOf: inputPath)
        let result = try Self.deidentifier(rules: try Self.fixtureRules()).deidentify(original)

        // The option is claimed: 113101 and Burned In Annotation NO.
        let codes = result.file.dataSet[Tag(0x0012, 0x0064)]?.sequence?.items.compactMap { $0.dataSet[Tag(0x0008, 0x0100)]?.string() } ?? []
        #expect(codes.contains("113101"), "\(codes)")
        #expect(result.file.dataSet[Tag(0x0028, 0x0301)]?.string() == "NO")

        // An independent decoder sees the text blank and every other pixel unchanged.
        let cleanedPath = directory.url.appendingPathComponent(entry.file).path
        try Data(try Part10Writer.encode(result.file)).write(to: URL(fileURLWithPath: cleanedPath))
        let check = try Peer.pydicom.require().run([RepositoryPaths.root.appendingPathComponent("Scripts/check-pixel-fixtures.py").path,
                                                       "--blank-check", inputPath, cleanedPath])
        #expect(check.status == 0, "\(entry.file): \(check.stdoutText)\(check.stderrText)")

        // Re-identification restores the data set, Pixel Data and its fragments included, byte for byte.
        let key = try RecipientPrivateKey(contentsOf: RepositoryPaths.keys.appendingPathComponent("test-recipient-a.key").path,
                                          passphrase: nil)
        let restored = try Reidentifier(key: key).reidentify(try Part10Reader.read(contentsOf: cleanedPath))
        #expect(try Self.dataSetBytes(restored.file, droppingIdentityRemovedNO: true) == Self.dataSetBytes(original),
                "\(entry.file) is not restored byte for byte")

        // dciodvfy finds nothing new in the cleaned file.
        if Peer.runnable(.dciodvfy) {
            let before = try ReaderInteropTests.dciodvfyErrors(inputPath)
            let after = try ReaderInteropTests.dciodvfyErrors(cleanedPath)
            #expect(after.subtracting(before).isEmpty, "\(entry.file): new dciodvfy errors \(after.subtracting(before).sorted())")
        }
    }

    /// Without a rule, the ultrasound fixtures are still cleaned by their regions, and every other fixture (all
    /// carry Burned In Annotation YES) is refused with one line.
    @Test func withoutRulesOnlyRegionsCleanAndTheRestIsRefused() throws {
        let deidentifier = try Self.deidentifier(rules: PixelRuleScript(rules: []))
        for entry in Self.entries where Self.registry.codec(for: entry.transferSyntax) != nil
            || ["1.2.840.10008.1.2", "1.2.840.10008.1.2.1", "1.2.840.10008.1.2.2"].contains(entry.transferSyntax) {
            let file = try Part10Reader.read(contentsOf: Self.pixels.appendingPathComponent(entry.file).path)
            if entry.file.hasPrefix("us-") {
                #expect(throws: Never.self, "\(entry.file) has regions") { _ = try deidentifier.deidentify(file) }
            } else {
                let error = #expect(throws: DeidentificationError.self, "\(entry.file) must be refused") {
                    _ = try deidentifier.deidentify(file)
                }
                #expect(error?.code == .pixelsNotCleaned, "\(entry.file): \(String(describing: error))")
                #expect(error.map { !"\($0)".contains("\n") } ?? false)
            }
        }
    }

    /// Damaged encapsulated frames: garbage after the JPEG scan header, a JPEG cut in half, a JPEG-LS and a JPEG 2000
    /// frame cut short, and Rows that lie about the frame. Each is one line, never a crash, and no file is made.
    @Test(arguments: ["garbage", "halved", "rows"])
    func damagedFramesAreRefusedWithOneLine(_ damage: String) throws {
        let deidentifier = try Self.deidentifier(rules: try Self.fixtureRules())
        for name in ["us-regions-jpeg-baseline.dcm", "ct-dose-screen-jpeg-ls.dcm", "cr-j2k-lossless.dcm"] {
            var file = try Part10Reader.read(contentsOf: Self.pixels.appendingPathComponent(name).path)
            let pixelTag = Tag(0x7FE0, 0x0010)
            guard var element = file.dataSet[pixelTag], case .fragments(var fragments) = element.value,
                  fragments.items.count >= 2 else {
                Issue.record("\(name) has no fragments")
                continue
            }
            var frame = Array(fragments.items[1])
            switch damage {
            case "garbage":
                // Keep the headers (first 40%), scramble the entropy-coded rest.
                for index in (frame.count * 2 / 5)..<(frame.count - 2) { frame[index] = UInt8(truncatingIfNeeded: index &* 131 &+ 7) }
            case "halved":
                frame = Array(frame.prefix(frame.count / 2 & ~1))
            default:
                let rows = (file.dataSet[Tag(0x0028, 0x0010)]?.uint16s(.littleEndian).first ?? 1) * 2
                file.dataSet.set(DataElement(tag: Tag(0x0028, 0x0010), vr: .US, bytes: ValueEncoding.us([rows], order: .littleEndian)))
            }
            fragments.items[1] = frame[...]
            element.value = .fragments(fragments)
            file.dataSet.set(element)
            do {
                _ = try deidentifier.deidentify(file)
                // Scrambled entropy-coded data may still decode (to other pixels); then it was cleaned like any frame.
                #expect(damage == "garbage", "\(name) with \(damage) was written")
            } catch {
                let text = "\(error)"
                #expect(!text.contains("\n") && !text.isEmpty, "\(name) \(damage): \(text)")
                #expect(error.code == .invalidPixelData || error.code == .unsupportedPixelEncoding, "\(name) \(damage): \(text)")
            }
        }
    }
}

extension PixelFixtureTests {
    static let opjCompress = Peer.opjCompress.tool
    static let gdcmconv = Peer.gdcmconv.tool

    /// JPEG 2000 with the irreversible colour transform (YBR_ICT, OpenJPEG's `opj_compress -I` of the RGB
    /// fixture's pixels) comes back with the reversible one, losslessly, and says so: Photometric Interpretation
    /// YBR_RCT (PS3.5 8.2.4), GDCM decodes it, and re-identification restores YBR_ICT and the frame byte for byte.
    @Test(.enabled(if: Peer.runnable(.opjCompress, .gdcmconv), Comment(rawValue: Peer.skipReason(.opjCompress, .gdcmconv))))
    func ictFramesComeBackAsRCTAndSaySo() throws {
        let directory = try TemporaryDirectory(prefix: "pixel-ict")
        defer { directory.remove() }
        let name = "sc-rgb-planar1-explicit-le.dcm"
        let source = try Part10Reader.read(contentsOf: Self.pixels.appendingPathComponent(name).path)
        let rows = 64, columns = 96
        let planes = Array(try #require(source.dataSet[Tag(0x7FE0, 0x0010)]?.bytes))
        try #require(planes.count == rows * columns * 3)
        let interleaved = (0..<(rows * columns * 3)).map { planes[($0 % 3) * rows * columns + $0 / 3] }
        let ppm = directory.url.appendingPathComponent("image.ppm").path, j2k = directory.url.appendingPathComponent("image.j2k").path
        try Data(Array("P6\n\(columns) \(rows)\n255\n".utf8) + interleaved).write(to: URL(fileURLWithPath: ppm))
        #expect(try #require(Self.opjCompress).run(["-i", ppm, "-o", j2k, "-I", "-r", "10"]).status == 0)
        var codestream = Array(try Data(contentsOf: URL(fileURLWithPath: j2k)))
        if codestream.count % 2 == 1 { codestream.append(0) }
        #expect(Self.codingStyle(codestream) == [1, 0], "the input uses the ICT and the 9/7 wavelet")
        // A JPEG 2000 (.91) file of the same image, its frame replaced by OpenJPEG's and its header saying YBR_ICT.
        let lossy = directory.url.appendingPathComponent("lossy.dcm").path
        #expect(try #require(Self.gdcmconv).run(["--j2k", "--lossy", "--irreversible", "-q", "30",
                                                   Self.pixels.appendingPathComponent(name).path, lossy]).status == 0)
        var original = try Part10Reader.read(contentsOf: lossy)
        original.dataSet.set(DataElement(tag: Tag(0x7FE0, 0x0010), vr: .OB, value: .fragments(Fragments(items: [[], codestream[...]]))))
        original.dataSet.set(DataElement(tag: Tag(0x0028, 0x0004), vr: .CS, string: "YBR_ICT"))
        original = try Part10Reader.read(bytes: try Part10Writer.encode(original))

        let result = try Self.deidentifier(rules: try Self.fixtureRules()).deidentify(original)
        #expect(result.file.dataSet[Tag(0x0028, 0x0004)]?.string() == "YBR_RCT")
        guard case .fragments(let fragments)? = result.file.dataSet[Tag(0x7FE0, 0x0010)]?.value else {
            Issue.record("no fragments")
            return
        }
        #expect(Self.codingStyle(Array(fragments.items[1])) == [1, 1], "the RCT and the 5/3 wavelet")
        let cleanedPath = directory.url.appendingPathComponent("cleaned.dcm").path
        try Data(try Part10Writer.encode(result.file)).write(to: URL(fileURLWithPath: cleanedPath))
        #expect(try #require(Self.gdcmconv).run(["--raw", cleanedPath, cleanedPath + ".raw.dcm"]).status == 0, "GDCM decodes it")
        let key = try RecipientPrivateKey(contentsOf: RepositoryPaths.keys.appendingPathComponent("test-recipient-a.key").path,
                                          passphrase: nil)
        let restored = try Reidentifier(key: key).reidentify(try Part10Reader.read(contentsOf: cleanedPath))
        #expect(try Self.dataSetBytes(restored.file, droppingIdentityRemovedNO: true) == Self.dataSetBytes(original))
    }

    /// The multiple component transform (0 none, 1 RCT or ICT) and the wavelet (0 9/7, 1 5/3) of a J2K
    /// codestream's COD marker (ISO/IEC 15444-1 A.6.1).
    static func codingStyle(_ codestream: [UInt8]) -> [UInt8] {
        guard let cod = (0..<(codestream.count - 14)).first(where: { codestream[$0] == 0xFF && codestream[$0 + 1] == 0x52 }) else { return [] }
        return [codestream[cod + 8], codestream[cod + 13]]
    }
}
