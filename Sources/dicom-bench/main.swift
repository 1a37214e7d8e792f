// dicom-bench: throughput of the codec and of the de-/re-identification engine.
//
// Speed is tracked here and by Scripts/bench.sh, never by timed tests. Every mode reads the files itself
// (page cache warm after the first pass), so rows are comparable with `cat` and `cp -r`.

import CMS
import DICOMCodec
import FileSystem
import Jobs
import Deidentification
import Dispatch
import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

let usage = """
usage: dicom-bench codec [--mode read|parse|write|all] [--jobs N] [--runs N] DIR|FILE...
       dicom-bench engine --recipient CERT [--key KEY] [--secret FILE] [--jobs N] DIR|FILE...

codec   reads every file (FileIO.readAll), parses it (Part10Reader.read(bytes:)), encodes it again
        (Part10Writer.encode) and checks the bytes are identical. Modes are cumulative:
          read   FileIO.readAll only
          parse  read + parse
          write  read + parse + encode + byte-for-byte check      (all: the three, the default)
        Each mode runs with 1 thread and with all cores (DispatchQueue.concurrentPerform), unless --jobs N.
        --runs N repeats each measurement and reports the median (default 1).
engine  in-process de-identification (AES-256, the recipient certificate) and, with --key, re-identification
        of the result; no files are written. Single-threaded by default; prints where the time goes.

Prints a markdown table. Exit status: 0 all files round-tripped; 1 some failed or differed; 2 usage.
"""

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("dicom-bench: \(message)\n\(usage)\n".utf8))
    exit(2)
}

// MARK: - Arguments

struct Arguments {
    var command = ""
    var paths: [String] = []
    var mode = "all"
    var jobs: Int?
    var runs = 1
    var recipient: String?
    var key: String?
    var secret: String?

    init(_ argv: [String]) {
        var rest = argv[...]
        guard let command = rest.popFirst() else { fail("no command") }
        if command == "-h" || command == "--help" { print(usage); exit(0) }
        guard command == "codec" || command == "engine" else { fail("unknown command '\(command)'") }
        self.command = command
        func value(_ flag: String) -> String {
            guard let v = rest.popFirst() else { fail("\(flag) needs a value") }
            return v
        }
        func positive(_ flag: String) -> Int {
            guard let n = Int(value(flag)), n >= 1 else { fail("\(flag) needs a positive number") }
            return n
        }
        while let arg = rest.popFirst() {
            switch arg {
            case "--mode":
                mode = value(arg)
                guard ["read", "parse", "write", "all"].contains(mode) else { fail("unknown mode '\(mode)'") }
            case "--jobs", "-j": jobs = positive(arg)
            case "--runs": runs = positive(arg)
            case "--recipient": recipient = value(arg)
            case "--key": key = value(arg)
            case "--secret": secret = value(arg)
            case "-h", "--help": print(usage); exit(0)
            default:
                if arg.hasPrefix("-") { fail("unknown option '\(arg)'") }
                paths.append(arg)
            }
        }
        if paths.isEmpty { fail("give at least one folder or file") }
        if command == "engine", recipient == nil { fail("engine needs --recipient CERT") }
    }
}

// MARK: - Inputs

/// Regular files under `paths`, recursively, in the order the commands take them (InputScanner), with their sizes.
func listFiles(_ paths: [String]) -> [(path: String, size: Int)] {
    let inputs: [InputScanner.Input]
    do { inputs = try InputScanner.files(paths) } catch { fail("\(error)") }
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
    for f in distinct.prefix(20) { FileHandle.standardError.write(Data("error: \(f)\n".utf8)) }
    if !distinct.isEmpty {
        FileHandle.standardError.write(Data("dicom-bench: \(distinct.count) failure(s)\n".utf8))
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
            guard let data = FileManager.default.contents(atPath: path) else { fail("cannot read \(path)") }
            secret = [UInt8](data)
        } else {
            secret = Array("dicom-bench fixed secret, not for real use".utf8)
        }
        deidentifier = Deidentifier(settings: DeidentificationSettings(
            secret: secret, recipients: [certificate], cipher: .aes256CBC, keyTransport: .rsaPKCS1v15))
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
    for f in total.failures.prefix(20) { FileHandle.standardError.write(Data("error: \(f)\n".utf8)) }
    return total.failures.isEmpty ? 0 : 1
}

// MARK: - main

let arguments = Arguments(Array(CommandLine.arguments.dropFirst()))
exit(arguments.command == "codec" ? runCodec(arguments) : runEngine(arguments))
