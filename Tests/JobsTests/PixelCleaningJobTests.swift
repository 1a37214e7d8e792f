import CMS
import DICOMCodec
import DICOMCore
import DICOMTestSupport
import Deidentification
import FileSystem
import Foundation
import Jobs
import PixelData
import Testing

/// `--clean-pixel-data` through the jobs, in-process: cleaned files written, uncovered ones refused with one line
/// and copied to the quarantine folder, accepted ones written without the claim, dry runs listing every frame.
@Suite struct PixelCleaningJobTests {
    static func deidentifier(acceptUncleaned: Bool = false, rules: String = "") throws -> Deidentifier {
        let cleaning = PixelCleaningSettings(rules: try PixelRuleScript(text: rules, file: "rules.script"),
                                             acceptUncleaned: acceptUncleaned)
        let settings = DeidentificationSettings(policy: DeidentificationPolicy(cleanPixelData: cleaning),
                                                keys: MappingKeys(secret: JobTests.secret), recipients: Recipients([
            try RecipientCertificate(contentsOf: RepositoryPaths.keys.appendingPathComponent("test-recipient-a.crt").path),
        ]))
        return Deidentifier(settings: settings)
    }

    /// Three inputs: a US with regions, a US without, a CT.
    static func inputs(in folder: URL) throws -> [InputScanner.Input] {
        var withRegions = SyntheticImage()
        withRegions.regions = [(2, 3, 17, 12)]
        withRegions.sopInstanceUID = "2.25.1"
        var without = SyntheticImage()
        without.sopInstanceUID = "2.25.2"
        var ct = SyntheticImage()
        ct.modality = "CT"
        ct.sopClassUID = "1.2.840.10008.5.1.4.1.1.2"
        ct.sopInstanceUID = "2.25.3"
        var inputs: [InputScanner.Input] = []
        for (name, image) in [("us-regions.dcm", withRegions), ("us-plain.dcm", without), ("ct.dcm", ct)] {
            let path = folder.appendingPathComponent(name).path
            try FileIO.writeAtomically(image.bytes, to: path, overwrite: true, prefix: ".t-")
            inputs.append(InputScanner.Input(path: path, relativePath: name))
        }
        return inputs
    }

    @Test func uncoveredFilesAreRefusedAndQuarantined() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let output = directory.url.appendingPathComponent("out").path, quarantine = directory.url.appendingPathComponent("q").path
        try FileIO.makeDirectories(output)
        try FileIO.makeDirectories(quarantine)
        let inputs = try Self.inputs(in: directory.url)
        let reporter = CollectingReporter()
        let job = DeidentifyJob(deidentifier: try Self.deidentifier(), outputRoot: output, layout: .inputPaths, quarantine: quarantine)
        let summary = BatchProcessor(inputs: inputs, jobs: 2, output: OutputSettings(root: output), audit: nil, reporter: reporter)
            .run(job.run, policy: job.commitPolicy)
        #expect(summary.written == 2)
        #expect(summary.failed == 1)
        #expect(JobTests.outputs(under: output) == ["ct.dcm", "us-regions.dcm"])
        let quarantined = quarantine + "/us-plain.dcm"
        #expect(try FileIO.readAll(path: quarantined) == FileIO.readAll(path: inputs[1].path))
        let mode = try FileManager.default.attributesOfItem(atPath: quarantined)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        let messages = reporter.events.compactMap { event -> String? in
            if case .error(let message) = event.event { return message }
            return nil
        }
        #expect(messages.count == 1)
        let message = messages.first ?? ""
        #expect(message.contains("ultrasound") && message.contains("copied to \(quarantined)") && !message.contains("\n"), "\(message)")

        // The same input refused again gets a name of its own in the quarantine.
        _ = BatchProcessor(inputs: [inputs[1]], jobs: 1, output: OutputSettings(root: output), audit: nil, reporter: reporter)
            .run(job.run, policy: job.commitPolicy)
        #expect(FileIO.exists(quarantine + "/us-plain-2.dcm"))
    }

    @Test func acceptedUncleanedFilesAreWrittenWithoutTheClaim() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let output = directory.url.appendingPathComponent("out").path
        try FileIO.makeDirectories(output)
        let inputs = try Self.inputs(in: directory.url)
        let job = DeidentifyJob(deidentifier: try Self.deidentifier(acceptUncleaned: true), outputRoot: output, layout: .inputPaths)
        let summary = BatchProcessor(inputs: inputs, jobs: 2, output: OutputSettings(root: output), audit: nil,
                                     reporter: CollectingReporter()).run(job.run, policy: job.commitPolicy)
        #expect(summary.written == 3)
        let plain = try Part10Reader.read(contentsOf: output + "/us-plain.dcm")
        let cleaned = try Part10Reader.read(contentsOf: output + "/us-regions.dcm")
        func codes(_ file: Part10File) -> [String] {
            (file.dataSet[Tag(0x0012, 0x0064)]?.sequence?.items ?? []).compactMap { $0.dataSet[Tag(0x0008, 0x0100)]?.string() }
        }
        #expect(!codes(plain).contains("113101"))
        #expect(codes(cleaned).contains("113101"))
        #expect(cleaned.dataSet[Tag(0x0028, 0x0301)]?.string() == "NO")
    }

    @Test func dryRunListsTheRuleAndRectanglesOfEveryFrame() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let inputs = try Self.inputs(in: directory.url)
        let deidentifier = try Self.deidentifier(rules: "{ Modality.equals(\"US\") } (0,0,20,2)")
        let lines = try DryRun.lines(for: inputs[0], deidentifier: deidentifier, showValues: false)
        let pixelLines = lines.filter { $0.hasPrefix("pixels frame") }
        #expect(pixelLines.count == 2)
        #expect(pixelLines.first?.contains("rule line 1 { Modality.equals(\"US\") } + outside the ultrasound regions: (0,0,20,2)") == true,
                "\(pixelLines)")
    }

    @Test func badPixelDataFailsWithOneLineAndNoOutput() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let output = directory.url.appendingPathComponent("out").path
        try FileIO.makeDirectories(output)
        var truncated = SyntheticImage()
        truncated.regions = [(0, 0, 9, 9)]
        truncated.pixelDataLength = 100
        var lying = SyntheticImage()
        lying.regions = [(0, 0, 9, 9)]
        lying.sopInstanceUID = "2.25.77"
        lying.rows = 400
        lying.pixelDataLength = 16 * 20 * 2
        var inputs: [InputScanner.Input] = []
        for (name, image) in [("truncated.dcm", truncated), ("lying.dcm", lying)] {
            let path = directory.url.appendingPathComponent(name).path
            try FileIO.writeAtomically(image.bytes, to: path, overwrite: true, prefix: ".t-")
            inputs.append(InputScanner.Input(path: path, relativePath: name))
        }
        let reporter = CollectingReporter()
        let job = DeidentifyJob(deidentifier: try Self.deidentifier(), outputRoot: output, layout: .inputPaths)
        let summary = BatchProcessor(inputs: inputs, jobs: 1, output: OutputSettings(root: output), audit: nil, reporter: reporter)
            .run(job.run, policy: job.commitPolicy)
        #expect(summary.failed == 2)
        #expect(JobTests.outputs(under: output).isEmpty)
        for event in reporter.events {
            if case .error(let message) = event.event {
                #expect(message.contains("pixel data truncated") && !message.contains("\n"), "\(message)")
            }
        }
    }
}
