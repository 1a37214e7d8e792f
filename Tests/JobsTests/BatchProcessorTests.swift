import FileSystem
import Jobs
import DICOMTestSupport
import Foundation
import Synchronization
import Testing

/// The batch runner: outputs committed in input order whatever order the workers finish in, beyond the
/// window of files the workers may run ahead, with failures and skips in their places.
@Suite struct BatchProcessorTests {
    @Test func commitsEveryOutputInInputOrderWhateverOrderWorkersFinish() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let root = directory.url.path
        let count = 1_500  // more than the window of 512 files the workers may run ahead
        let inputs = (0..<count).map { InputScanner.Input(path: "input-\($0)", relativePath: "input-\($0)") }
        let processor = BatchProcessor(inputs: inputs, jobs: 4, output: OutputSettings(root: root), audit: nil,
                                       reporter: CollectingReporter())
        let summary = processor.run { input in
            let index = Int(input.path.dropFirst("input-".count))!
            if index % 7 == 0 { usleep(UInt32(200 + index % 300)) }  // finish out of order
            if index % 250 == 3 { return .skipped(reason: "not a DICOM file") }
            guard let temporary = try? FileIO.writeTemporary(chunks: [Array("\(index)".utf8)[...]], inDirectory: root,
                                                             prefix: OutputNaming.temporaryPrefix, sync: false) else {
                return .failed(JobError(.inputFailed, "cannot write"))
            }
            // Three output names shared by every third input: the later ones get -2, -3... in input order.
            return .written(WrittenOutput(temporary: temporary, name: "out/\(index % 3)/same.txt"))
        }
        let skipped = (0..<count).filter { $0 % 250 == 3 }
        #expect(summary.written == count - skipped.count)
        #expect(summary.skipped == skipped.count)
        #expect(summary.failed == 0)
        for folder in 0..<3 {
            let expected = (0..<count).filter { $0 % 3 == folder && $0 % 250 != 3 }
            for (position, index) in expected.enumerated() {
                let name = position == 0 ? "same.txt" : "same-\(position + 1).txt"
                let path = "\(root)/out/\(folder)/\(name)"
                let text = try String(contentsOfFile: path, encoding: .utf8)
                #expect(text == "\(index)", "\(name) in folder \(folder) should hold input \(index)")
            }
        }
        // No temporary is left behind.
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: root).filter { $0.hasPrefix(".") }
        #expect(leftovers.isEmpty)
    }

    @Test func reportsAFailureAndGoesOn() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let root = directory.url.path
        let reporter = CollectingReporter()
        let processor = BatchProcessor(inputs: ["a", "b", "c"].map { InputScanner.Input(path: $0, relativePath: $0) },
                                       jobs: 2, output: OutputSettings(root: root), audit: nil, reporter: reporter)
        let summary = processor.run { input in
            if input.path == "b" { return .failed(JobError(.inputFailed, "truncated")) }
            guard let temporary = try? FileIO.writeTemporary(chunks: [Array(input.path.utf8)[...]], inDirectory: root,
                                                             prefix: OutputNaming.temporaryPrefix, sync: false) else {
                return .failed(JobError(.inputFailed, "cannot write"))
            }
            return .written(WrittenOutput(temporary: temporary, name: "\(input.path).txt"))
        }
        #expect(reporter.events == [CollectingReporter.Event(input: "b", event: .error("truncated"))])
        #expect(summary.written == 2)
        #expect(summary.failed == 1)
        #expect(try String(contentsOfFile: root + "/c.txt", encoding: .utf8) == "c")
    }

    /// The engine's reduce: every input folded exactly once, on several workers, and the last progress report says
    /// every input is done.
    @Test func reduceFoldsEveryInputOnceAndReportsTheLastProgress() {
        let count = 2_000
        let inputs = (0..<count).map { InputScanner.Input(path: "input-\($0)", relativePath: "input-\($0)") }
        let last = Mutex(0)
        let total = BatchEngine(inputs: inputs, jobs: 4).reduce(into: { [Int]() }, progress: { done in
            last.withLock { $0 = max($0, done) }
        }) { index, input, seen in
            #expect(input.path == "input-\(index)")
            seen.append(index)
        } merge: { all, partial in
            all += partial
        }
        #expect(total.sorted() == Array(0..<count))
        #expect(last.withLock { $0 } == count)
    }
}
