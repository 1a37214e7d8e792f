// dicom-bench: throughput of the codec and of the de-/re-identification engine.
//
// Speed is tracked here and by Scripts/bench.sh, never by timed tests. Every mode reads the files itself
// (page cache warm after the first pass), so rows are comparable with `cat` and `cp -r`.

import ArgumentParser
import CLISupport
import CMS
import DICOMCodec
import DICOMCore
import DICOMDictionary
import FileSystem
import Jobs
import Deidentification
import Diagnostics
import Dispatch
import Foundation
import PixelCodecs
import PixelData
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// `dicom-bench`: the command line, parsed by ArgumentParser; each subcommand fills ``Arguments`` and runs.
struct DicomBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dicom-bench",
        abstract: "Throughput of the codec and of the de-/re-identification engine (prints a markdown table).",
        discussion: "Exit status: 0 all files round-tripped; 1 some failed or differed; 2 usage.",
        version: Toolkit.version,
        subcommands: [Codec.self, Engine.self, Pixels.self, Text.self])
}

/// The folders and files every subcommand reads.
struct BenchInputs: ParsableArguments {
    @Argument(help: ArgumentHelp("Folders (searched recursively) and files.", valueName: "dir|file"),
              completion: .file())
    var paths: [String] = []

    func validate() throws {
        if paths.isEmpty { throw ValidationError("give at least one folder or file") }
    }
}

/// How many threads: all cores and one unless given.
struct BenchJobs: ParsableArguments {
    @Option(name: .shortAndLong, help: "Threads (default: 1 and all cores for codec, 1 for engine).")
    var jobs: Int?

    func validate() throws {
        if let jobs, jobs < 1 { throw ValidationError("--jobs needs a positive number") }
    }
}

extension DicomBench {
    struct Codec: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Read, parse, encode again and check the bytes are identical.",
            discussion: """
                Reads every file (FileIO.readAll), parses it (Part10Reader.read(bytes:)), encodes it again \
                (Part10Writer.encode) and checks the bytes are identical. Modes are cumulative: read (FileIO.readAll \
                only), parse (read + parse), write (read + parse + encode + byte-for-byte check); all: the three, the \
                default. Each mode runs with 1 thread and with all cores (DispatchQueue.concurrentPerform), unless \
                --jobs N.
                """)

        @Option(help: "read, parse, write or all.")
        var mode: CodecMode.Choice = .all
        @OptionGroup var threads: BenchJobs
        @Option(help: "Repeat each measurement and report the median.")
        var runs = 1
        @OptionGroup var inputs: BenchInputs

        func validate() throws {
            if runs < 1 { throw ValidationError("--runs needs a positive number") }
        }

        func run() throws {
            var arguments = Arguments(paths: inputs.paths, jobs: threads.jobs)
            arguments.mode = mode.rawValue
            arguments.runs = runs
            throw ExitCode(runCodec(arguments))
        }
    }

    struct Engine: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "In-process de-identification and, with --key, re-identification; no files are written.",
            discussion: "AES-256 to the recipient certificate. Single-threaded by default; prints where the time goes.")

        @Option(help: ArgumentHelp("Recipient certificate.", valueName: "cert"), completion: .file())
        var recipient: String
        @Option(help: ArgumentHelp("Recipient private key: re-identify the result too.", valueName: "key"), completion: .file())
        var key: String?
        @Option(help: ArgumentHelp("Secret file (default: a fixed secret, not for real use).", valueName: "file"), completion: .file())
        var secret: String?
        @OptionGroup var threads: BenchJobs
        @OptionGroup var inputs: BenchInputs

        func run() throws {
            var arguments = Arguments(paths: inputs.paths, jobs: threads.jobs)
            arguments.recipient = recipient
            arguments.key = key
            arguments.secret = secret
            throw ExitCode(runEngine(arguments))
        }
    }

    struct Pixels: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Per-frame cost of pixel cleaning, one row per file.",
            discussion: """
                Scripts/make-fixtures.py --kind codec-frames makes one 512x512 frame per encoding. The first frame is \
                redacted over and over on 1 thread (native: NativeRedaction.redact in place; encapsulated: the \
                transfer syntax's FrameCodec.redact, which decodes, blanks and re-encodes, or for JPEG Baseline \
                rewrites the DCT blocks) for a 64x32 rectangle at (10,10), for at least S seconds and 5 times; prints \
                the median thread CPU ms per frame (and wall ms), and the codec's decode time for comparison.
                """)

        @Option(help: "Seconds of repeats per row, at least.")
        var seconds = 1.0
        @OptionGroup var inputs: BenchInputs

        func validate() throws {
            guard seconds > 0, seconds.isFinite else { throw ValidationError("--seconds needs a positive number") }
        }

        func run() throws {
            var arguments = Arguments(paths: inputs.paths, jobs: nil)
            arguments.seconds = seconds
            throw ExitCode(runPixels(arguments))
        }
    }
}

/// Ends the run for an input that cannot be used (status 2).
func fail(_ message: String) -> Never {
    printError("dicom-bench: \(message)")
    exit(2)
}

/// One line on standard error.
func printError(_ line: String) {
    Terminal.line(line)
}

// MARK: - Arguments

/// What the subcommands were given.
struct Arguments {
    var paths: [String]
    var jobs: Int?
    var mode = "all"
    var runs = 1
    var recipient: String?
    var key: String?
    var secret: String?
    var seconds = 1.0
}

// MARK: - Inputs

/// Regular files under `paths`, recursively, in the order the commands take them (InputScanner), with their sizes.
func listFiles(_ paths: [String]) -> [(path: String, size: Int)] {
    let inputs: [InputScanner.Input]
    do {
        inputs = try InputScanner.files(paths, unreadableFolder: { folder, error in fail("\(folder): \(error)") })
    } catch { fail("\(error)") }
    return inputs.map { input in
        var info = stat()
        guard stat(input.path, &info) == 0 else { fail("cannot stat \(input.path)") }
        return (input.path, Int(info.st_size))
    }
}

// MARK: - Timing and formatting

func now() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

func median(_ values: [Double]) -> Double {
    let s = values.sorted()
    return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
}

func fmt(_ value: Double, _ digits: Int) -> String { String(format: "%.\(digits)f", value) }

/// Runs `body(index)` for every index in `0..<count` on `jobs` threads, handing out indices one by one so a
/// single large file does not hold back a whole slice.
func forEachIndex(_ count: Int, jobs: Int, _ body: @escaping @Sendable (Int) -> Void) {
    if jobs == 1 {
        for i in 0..<count { body(i) }
        return
    }
    let next = Atomic<Int>(0)
    DispatchQueue.concurrentPerform(iterations: min(jobs, max(count, 1))) { _ in
        while true {
            let i = next.wrappingAdd(1, ordering: .relaxed).oldValue
            guard i < count else { return }
            body(i)
        }
    }
}

struct Tally: Sendable {
    var bytes = 0
    var elements = 0
    var failures: [String] = []

    mutating func add(_ other: Tally) {
        bytes += other.bytes
        elements += other.elements
        failures += other.failures
    }
}

// MARK: - codec

enum CodecMode: String, CaseIterable {
    case read, parse, write

    /// `--mode`: one of the modes, or all of them.
    enum Choice: String, CaseIterable, ExpressibleByArgument {
        case read, parse, write, all
    }

    var label: String {
        switch self {
        case .read: return "read (FileIO.readAll)"
        case .parse: return "read + parse"
        case .write: return "read + parse + write + compare"
        }
    }
}

/// Byte equality with memcmp (Array's == compares element by element).
func sameBytes(_ a: [UInt8], _ b: [UInt8]) -> Bool {
    guard a.count == b.count else { return false }
    return a.withUnsafeBytes { pa in
        b.withUnsafeBytes { pb in
            guard let x = pa.baseAddress, let y = pb.baseAddress else { return true }
            return memcmp(x, y, a.count) == 0
        }
    }
}

/// One pass of `mode` over every file.
func codecPass(_ files: [String], mode: CodecMode, jobs: Int) -> Tally {
    let total = Mutex(Tally())
    forEachIndex(files.count, jobs: jobs) { i in
        var t = Tally()
        let path = files[i]
        do {
            let bytes = try FileIO.readAll(path: path)
            t.bytes = bytes.count
            if mode != .read {
                let file = try Part10Reader.read(bytes: bytes)
                t.elements = file.dataSet.elements.count
                if mode == .write {
                    let encoded = try Part10Writer.encode(file)
                    if !sameBytes(encoded, bytes) {
                        let at = zip(encoded, bytes).enumerated().first { $0.element.0 != $0.element.1 }?.offset
                            ?? min(encoded.count, bytes.count)
                        t.failures.append("\(path): re-encoded bytes differ (\(encoded.count) vs \(bytes.count) bytes, first at offset \(at))")
                    }
                }
            }
        } catch {
            t.failures.append("\(path): \(error)")
        }
        total.withLock { $0.add(t) }
    }
    return total.withLock { $0 }
}

func runCodec(_ args: Arguments) -> Int32 {
    let listed = listFiles(args.paths)
    let files = listed.map(\.path)
    let cores = ProcessInfo.processInfo.activeProcessorCount
    let threadCounts = args.jobs.map { [$0] } ?? (cores > 1 ? [1, cores] : [1])
    let modes = args.mode == "all" ? CodecMode.allCases : [CodecMode(rawValue: args.mode)!]
    let totalBytes = listed.reduce(0) { $0 + $1.size }
    print("dicom-bench codec: \(files.count) files, \(fmt(Double(totalBytes) / 1e6, 1)) MB, \(cores) cores, "
          + "median of \(args.runs) run(s) after a warm-up read; every mode reads the files itself")
    print("")
    print("| mode | threads | files | MB | seconds | MB/s | files/s |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    var failures: [String] = []
    _ = codecPass(files, mode: .read, jobs: cores)  // warm-up: page cache
    for jobs in threadCounts {
        for mode in modes {
            var times: [Double] = []
            var tally = Tally()
            for _ in 0..<args.runs {
                let start = now()
                tally = codecPass(files, mode: mode, jobs: jobs)
                times.append(now() - start)
            }
            failures += tally.failures
            let s = median(times)
            let mb = Double(tally.bytes) / 1e6
            print("| \(mode.label) | \(jobs) | \(files.count) | \(fmt(mb, 1)) | \(fmt(s, 3)) | \(fmt(mb / s, 1)) | \(fmt(Double(files.count) / s, 0)) |")
        }
    }
    let distinct = Array(Set(failures)).sorted()
    for f in distinct.prefix(20) { printError("error: \(f)") }
    if !distinct.isEmpty {
        printError("dicom-bench: \(distinct.count) failure(s)")
        return 1
    }
    return 0
}

// MARK: - engine

/// Seconds spent in each step, summed over files (thread time when jobs > 1).
struct Steps: Sendable {
    var read = 0.0, parse = 0.0, deidentify = 0.0, encode = 0.0
    var reidentify = 0.0, reencode = 0.0
    mutating func add(_ o: Steps) {
        read += o.read; parse += o.parse; deidentify += o.deidentify; encode += o.encode
        reidentify += o.reidentify; reencode += o.reencode
    }
}

func runEngine(_ args: Arguments) -> Int32 {
    let listed = listFiles(args.paths)
    let files = listed.map(\.path)
    let jobs = args.jobs ?? 1
    let deidentifier: Deidentifier
    let reidentifier: Reidentifier?
    do {
        let certificate = try RecipientCertificate(contentsOf: args.recipient!)
        let secret: [UInt8]
        if let path = args.secret {
            do { secret = try FileIO.readAll(path: path) } catch { fail("\(path): \(error)") }
        } else {
            secret = Array("dicom-bench fixed secret, not for real use".utf8)
        }
        deidentifier = Deidentifier(settings: DeidentificationSettings(
            keys: MappingKeys(secret: secret), recipients: Recipients([certificate], cipher: .aes256CBC, keyTransport: .rsaPKCS1v15)))
        reidentifier = try args.key.map {
            Reidentifier(key: try RecipientPrivateKey(contentsOf: $0, passphrase: nil), certificate: certificate)
        }
    } catch {
        fail("\(error)")
    }
    let steps = Mutex(Steps())
    let tally = Mutex(Tally())
    let start = now()
    forEachIndex(files.count, jobs: jobs) { i in
        var s = Steps()
        var t = Tally()
        do {
            var t0 = now()
            func lap(_ slot: inout Double) { let t1 = now(); slot += t1 - t0; t0 = t1 }
            let bytes = try FileIO.readAll(path: files[i])
            t.bytes = bytes.count
            lap(&s.read)
            let file = try Part10Reader.read(bytes: bytes)
            lap(&s.parse)
            let result = try deidentifier.deidentify(file)
            lap(&s.deidentify)
            let out = try Part10Writer.encode(result.file)
            lap(&s.encode)
            if let reidentifier {
                let again = try Part10Reader.read(bytes: out)
                lap(&s.parse)
                let restored = try reidentifier.reidentify(again)
                lap(&s.reidentify)
                _ = try Part10Writer.encode(restored.file)
                lap(&s.reencode)
            }
        } catch {
            t.failures.append("\(files[i]): \(error)")
        }
        steps.withLock { $0.add(s) }
        tally.withLock { $0.add(t) }
    }
    let wall = now() - start
    let total = tally.withLock { $0 }
    let st = steps.withLock { $0 }
    let mb = Double(total.bytes) / 1e6
    print("dicom-bench engine: \(files.count) files, \(fmt(mb, 1)) MB, \(jobs) thread(s), wall \(fmt(wall, 3)) s, "
          + "\(fmt(mb / wall, 1)) MB/s, \(fmt(Double(files.count) / wall, 0)) files/s")
    print("")
    print("| step | seconds | share | ms/file |")
    print("|---|---:|---:|---:|")
    let rows: [(String, Double)] = [
        ("read", st.read), ("parse (input, and de-identified output when re-identifying)", st.parse),
        ("deidentify (plan, edit, encrypt)", st.deidentify), ("encode de-identified", st.encode),
        ("reidentify (decrypt, restore)", st.reidentify), ("encode re-identified", st.reencode),
    ]
    let sum = rows.reduce(0) { $0 + $1.1 }
    for (name, seconds) in rows.prefix(reidentifier == nil ? 4 : 6) {
        print("| \(name) | \(fmt(seconds, 3)) | \(fmt(100 * seconds / max(sum, 1e-9), 1)) % | \(fmt(1000 * seconds / Double(max(files.count, 1)), 3)) |")
    }
    for f in total.failures.prefix(20) { printError("error: \(f)") }
    return total.failures.isEmpty ? 0 : 1
}

// MARK: - pixels

/// One frame to clean: the first frame of a file, with its codec (nil for native Pixel Data).
struct PixelCase {
    var path: String
    var encoding: String
    var description: PixelDescription
    var order: ByteOrder
    /// Native: the whole Pixel Data value (frame 0 is redacted); encapsulated: frame 0's fragments concatenated.
    var frame: [UInt8]
    var codec: (any FrameCodec)?
}

enum PixelCaseError: Error, CustomStringConvertible {
    case unusable(String, String)
    var description: String {
        switch self { case .unusable(let path, let why): return "\(path): \(why)" }
    }
}

func loadPixelCase(_ path: String) throws -> PixelCase {
    let file = try Part10Reader.read(bytes: try FileIO.readAll(path: path))
    let ts = file.transferSyntax
    let order = ts.byteOrder
    var description = try PixelDescription(file.dataSet, order: order)
    let encoding = UIDRegistry.name(for: ts.uid) ?? ts.uid
    guard let element = file.dataSet[Tag(0x7FE0, 0x0010)] else { throw PixelCaseError.unusable(path, "no Pixel Data") }
    switch element.value {
    case .bytes(let bytes):
        return PixelCase(path: path, encoding: encoding, description: description, order: order, frame: Array(bytes),
                         codec: nil)
    case .fragments(let fragments):
        guard let codec = PixelCodecs.registry.codec(for: ts.uid) else {
            throw PixelCaseError.unusable(path, "no frame codec for \(encoding)")
        }
        guard description.numberOfFrames == 1 else {
            throw PixelCaseError.unusable(path, "give single-frame files (\(description.numberOfFrames) frames)")
        }
        description.numberOfFrames = 1
        return PixelCase(path: path, encoding: encoding, description: description, order: order,
                         frame: Array(fragments.items.dropFirst().joined()), codec: codec)
    case .sequence:
        throw PixelCaseError.unusable(path, "Pixel Data is a sequence")
    }
}

/// CPU time of the calling thread, in seconds: on a shared machine a call that outlasts a scheduler time slice
/// loses whole slices to other processes, which wall time counts and this does not.
func threadCPUTime() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

/// Calls `body` once to warm up, then until `seconds` have passed and at least 5 times; returns the median
/// thread CPU seconds and the median wall seconds per call, and the number of timed calls.
func timeEach(seconds: Double, _ body: () throws -> Void) rethrows -> (cpu: Double, wall: Double, count: Int) {
    try body()
    var cpu: [Double] = []
    var wall: [Double] = []
    let start = now()
    while cpu.count < 5 || (now() - start < seconds && cpu.count < 1_000_000) {
        let c0 = threadCPUTime()
        let t0 = now()
        try body()
        wall.append(now() - t0)
        cpu.append(threadCPUTime() - c0)
    }
    return (median(cpu), median(wall), cpu.count)
}

func runPixels(_ args: Arguments) -> Int32 {
    let rectangles = [PixelRectangle(x: 10, y: 10, width: 64, height: 32)]
    print("dicom-bench pixels: redaction of one 64x32 rectangle at (10,10) in the first frame, 1 thread, median "
          + "of at least \(fmt(args.seconds, 1)) s of repeats per row; ms are thread CPU time (wall time in the "
          + "wall column: it also counts time slices lost to other processes)")
    print("")
    print("| file | encoding | frame | frame KB | redact ms/frame | frames/s | wall ms | decode ms/frame | repeats |")
    print("|---|---|---|---:|---:|---:|---:|---:|---:|")
    var failures = 0
    for (path, _) in listFiles(args.paths) {
        do {
            let c = try loadPixelCase(path)
            let d = c.description
            let shape = "\(d.columns)x\(d.rows) \(d.bitsAllocated)-bit\(d.samplesPerPixel == 3 ? " x3" : "")"
            let redact: (cpu: Double, wall: Double, count: Int)
            var decode = "n/a"
            var frameBytes = c.frame.count
            if let codec = c.codec {
                redact = try timeEach(seconds: args.seconds) {
                    _ = try codec.redact(frame: c.frame, description: d, rectangles: rectangles)
                }
                let decoded = try timeEach(seconds: args.seconds / 2) {
                    _ = try codec.decode(frame: c.frame, description: d)
                }
                decode = fmt(decoded.cpu * 1000, 3)
            } else {
                var bytes = c.frame
                frameBytes = d.nativeFrameLength
                redact = try timeEach(seconds: args.seconds) {
                    _ = try NativeRedaction.redact(&bytes, frame: 0, description: d, rectangles: rectangles, order: c.order)
                }
            }
            let name = Paths.lastComponent(path)
            print("| \(name) | \(c.encoding) | \(shape) | \(fmt(Double(frameBytes) / 1024, 1)) | "
                  + "\(fmt(redact.cpu * 1000, 3)) | \(fmt(1 / max(redact.cpu, 1e-9), 0)) | \(fmt(redact.wall * 1000, 3)) | "
                  + "\(decode) | \(redact.count) |")
        } catch {
            failures += 1
            printError("error: \(path): \(error)")
        }
    }
    return failures == 0 ? 0 : 1
}

// MARK: - main

// Usage errors exit 2, as documented, like the other tools.
CommandRunner.main(DicomBench.self)
