import ArgumentParser
import CMS
import DICOMCodec
import DICOMCore
import Deidentification
import FileSystem
import Foundation
import PixelCodecs
import PixelData
import TextDetection

extension DicomBench {
    struct Text: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Cost of --detect-text (burned-in text found by OCR), one row per file.",
            discussion: """
                Scripts/make-ocr-corpus.py makes the inputs (--cine FRAMES for cines). Per file: the first frame \
                decoded and read alone on 1 thread after a warm-up read (thread CPU ms: the cost of one frame), then the pixel plan of \
                dicom-deidentify --clean-pixel-data --detect-text (every frame decoded; the first read whole, a later one \
                in the bands of rows where it differs from the last frame read whole, or whole when those are most of \
                it, on all cores; a frame equal to an earlier one is not read again) RUNS times after a warm-up: median process CPU ms (all \
                threads) and wall ms per file and per frame, and the file's CPU over its first frame's ("x frame 1"; \
                issue 19's goal for a 30-frame cine with a static banner: at most 3). With --compare-whole, also \
                every distinct frame read whole (bands of changed rows not read on their own) once: its CPU ms, and \
                the frames where what it blanks is not all blanked by the default reading, with the pixels left.
                """)

        @Option(help: ArgumentHelp("Recipient certificate (the engine needs one; nothing is encrypted).", valueName: "cert"),
                completion: .file())
        var recipient: String
        @Option(help: "Timed runs per file after the warm-up.")
        var runs = 3
        @Flag(help: "Also read every distinct frame whole and compare what is blanked.")
        var compareWhole = false
        @OptionGroup var inputs: BenchInputs

        func validate() throws {
            guard runs > 0 else { throw ValidationError("--runs needs a positive number") }
        }

        func run() throws {
            throw ExitCode(runText(paths: inputs.paths, recipient: recipient, runs: runs, compareWhole: compareWhole))
        }
    }
}

/// CPU time of the whole process (every thread), in seconds.
func processCPUTime() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

/// The first frame of `file`, decoded as --detect-text decodes it; nil when its fragments are not one per frame.
func firstFrame(_ file: Part10File) throws -> DecodedFrame? {
    var description = try PixelDescription(file.dataSet, order: file.transferSyntax.byteOrder)
    guard let element = file.dataSet[Tag(0x7FE0, 0x0010)] else { return nil }
    switch element.value {
    case .bytes(let value):
        return try DecodedFrame(nativePixelData: value, frame: 0, description: description,
                                littleEndian: file.transferSyntax.byteOrder == .littleEndian)
    case .fragments(let fragments):
        let frames = description.numberOfFrames
        description.numberOfFrames = 1
        guard let codec = PixelCodecs.registry.codec(for: file.transferSyntax.uid) else { return nil }
        let bytes: [UInt8]
        if frames == 1 { bytes = Array(fragments.items.dropFirst().joined()) }
        else if fragments.items.count == frames + 1 { bytes = Array(fragments.items[1]) }
        else { return nil }
        return DecodedFrame(samples: try codec.decode(frame: bytes, description: description), description: description)
    case .sequence:
        return nil
    }
}

/// The pixels of `wanted` (rectangles, possibly overlapping) that no rectangle of `blanked` covers.
func pixelsLeft(_ wanted: [PixelRectangle], by blanked: [PixelRectangle]) -> Int {
    var left = Set<Int>()
    for box in wanted {
        for y in box.y..<(box.y + box.height) {
            for x in box.x..<(box.x + box.width)
            where !blanked.contains(where: { x >= $0.x && x < $0.x + $0.width && y >= $0.y && y < $0.y + $0.height }) {
                left.insert(y << 20 | x)
            }
        }
    }
    return left.count
}

func runText(paths: [String], recipient: String, runs: Int, compareWhole: Bool = false) -> Int32 {
    let deidentifier: Deidentifier, wholeFrames: Deidentifier
    let detector: TextDetector
    do {
        let certificate = try RecipientCertificate(contentsOf: recipient)
        let detection = try TextDetectionSettings()
        detector = try TextDetector(options: detection.options)
        func engine(_ detection: TextDetectionSettings) -> Deidentifier {
            Deidentifier(settings: DeidentificationSettings(
                policy: DeidentificationPolicy(cleanPixelData: PixelCleaningSettings(rules: PixelRuleScript(rules: []), registry: PixelCodecs.registry,
                                                                                   textDetection: detection)),
                keys: MappingKeys(secret: Array("dicom-bench fixed secret, not for real use".utf8)),
                recipients: Recipients([certificate], cipher: .aes256CBC, keyTransport: .rsaPKCS1v15)))
        }
        deidentifier = engine(detection)
        var whole = detection
        whole.readsChangedRows = false
        wholeFrames = engine(whole)
    } catch {
        fail("\(error)")
    }
    print("dicom-bench text: --detect-text (identifying), \(ProcessInfo.processInfo.activeProcessorCount) cores; frame 1 "
          + "alone: thread CPU ms on 1 thread; file: median of \(runs) run(s) after a warm-up, process CPU ms (all threads) "
          + "and wall ms (wall also counts time slices lost to other processes)")
    print("")
    if compareWhole {
        print("| file | frame | frames | frame 1 CPU ms | file CPU ms | CPU ms/frame | x frame 1 | wall ms | boxes "
              + "| whole frames CPU ms | x frame 1 | frames blanking less than whole (pixels) |")
        print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    } else {
        print("| file | frame | frames | frame 1 CPU ms | file CPU ms | CPU ms/frame | x frame 1 | wall ms | boxes |")
        print("|---|---|---:|---:|---:|---:|---:|---:|---:|")
    }
    var failures = 0
    for (path, _) in listFiles(paths) where path.hasSuffix(".dcm") {
        do {
            let file = try Part10Reader.read(bytes: try FileIO.readAll(path: path))
            let d = try PixelDescription(file.dataSet, order: file.transferSyntax.byteOrder)
            let shape = "\(d.columns)x\(d.rows) \(d.bitsAllocated)-bit\(d.samplesPerPixel == 3 ? " x3" : "")"
            var single = "n/a"
            var singleCPU: Double?
            if let frame = try firstFrame(file) {
                _ = try detector.detect(in: frame)  // warm-up: Tesseract's first read of a process costs more
                let c0 = threadCPUTime()
                _ = try detector.detect(in: frame)
                singleCPU = threadCPUTime() - c0
                single = fmt(singleCPU! * 1000, 0)
            }
            var plan = try deidentifier.pixelPlan(file)
            var cpu: [Double] = [], wall: [Double] = []
            for _ in 0..<runs {
                let c0 = processCPUTime(), t0 = now()
                plan = try deidentifier.pixelPlan(file)
                cpu.append(processCPUTime() - c0)
                wall.append(now() - t0)
            }
            let boxes = plan?.detectedText?.reduce(0) { $0 + $1.count } ?? 0
            let fileCPU = median(cpu), frames = Double(d.numberOfFrames)
            let ratio = singleCPU.map { fmt(fileCPU / max($0, 1e-9), 2) } ?? "n/a"
            var comparison = ""
            if compareWhole {
                let c0 = processCPUTime()
                let whole = try wholeFrames.pixelPlan(file)?.detectedText ?? []
                let wholeCPU = processCPUTime() - c0
                let found = plan?.detectedText ?? []
                let short = whole.indices.compactMap { frame -> String? in
                    let left = pixelsLeft(whole[frame], by: frame < found.count ? found[frame] : [])
                    return left > 0 ? "\(frame + 1) (\(left))" : nil
                }
                comparison = " \(fmt(wholeCPU * 1000, 0)) | \(singleCPU.map { fmt(wholeCPU / max($0, 1e-9), 2) } ?? "n/a") | "
                    + "\(short.isEmpty ? "none" : short.joined(separator: ", ")) |"
            }
            print("| \(Paths.lastComponent(path)) | \(shape) | \(d.numberOfFrames) | \(single) | \(fmt(fileCPU * 1000, 0)) | "
                  + "\(fmt(fileCPU * 1000 / frames, 1)) | \(ratio) | \(fmt(median(wall) * 1000, 0)) | \(boxes) |" + comparison)
        } catch {
            failures += 1
            printError("error: \(path): \(error)")
        }
    }
    return failures == 0 ? 0 : 1
}
