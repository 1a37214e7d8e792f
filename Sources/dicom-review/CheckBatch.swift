import Jobs
import CLISupport
import DICOMCodec
import Dispatch
import Foundation
import Review
import Synchronization

/// Runs the check over many files in parallel, in windows of bounded size, and prints each file's findings in
/// input order (standard output) and its failure (standard error).
enum CheckBatch {
    struct Tally {
        var checked = 0, withFindings = 0, findings = 0, failed = 0, skipped = 0
    }

    enum Outcome: Sendable {
        case findings([LeftoverFinding])
        case notDICOM
        case failed(String)
    }

    static func run(files: [InputScanner.Input], jobs: Int, showValues: Bool, quiet: Bool,
                    _ work: @escaping @Sendable (String) throws -> [LeftoverFinding]) -> Tally {
        var tally = Tally()
        let window = max(16, jobs * 8)
        let progress = Terminal.isInteractive && !quiet && files.count > window
        var start = 0
        while start < files.count {
            let slice = Array(files[start..<min(files.count, start + window)])
            let results = Mutex<[Int: Outcome]>([:])
            DispatchQueue.concurrentPerform(iterations: min(jobs, slice.count)) { worker in
                var n = worker
                while n < slice.count {
                    let outcome: Outcome
                    do {
                        outcome = .findings(try work(slice[n].path))
                    } catch let error as DICOMError where error.code == .notDICOM {
                        outcome = slice[n].isNamed ? .failed("not a DICOM file") : .notDICOM
                    } catch let error as DICOMError {
                        outcome = .failed("\(error.withoutFile)")    // the line names the file already
                    } catch {
                        outcome = .failed("\(error)")
                    }
                    results.withLock { $0[n] = outcome }
                    n += min(jobs, slice.count)
                }
            }
            let outcomes = results.withLock { $0 }
            for n in slice.indices {
                let path = slice[n].path
                switch outcomes[n] ?? .failed("not checked") {
                case .findings(let findings):
                    tally.checked += 1
                    if !findings.isEmpty { tally.withFindings += 1 }
                    tally.findings += findings.count
                    for finding in findings { print("\(path): \(finding.line(showValues: showValues))") }
                case .notDICOM:
                    tally.skipped += 1
                case .failed(let message):
                    tally.failed += 1
                    Terminal.line("error: \(path): \(message)")
                }
            }
            start += slice.count
            if progress, start < files.count { Terminal.line("checked \(start)/\(files.count)") }
        }
        return tally
    }
}
