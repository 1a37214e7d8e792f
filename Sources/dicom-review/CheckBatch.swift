import Jobs
import CLISupport
import DICOMCodec
import DICOMCore
import Dispatch
import Foundation
import Review
import Synchronization

/// Runs the check over many files in parallel, in windows of bounded size, and prints each file's findings in
/// input order (standard output) and its failure (standard error). With a key, each file's decryption goes
/// into the re-identification audit trail, in input order, from this thread only.
enum CheckBatch {
    struct Tally {
        var checked = 0, withFindings = 0, findings = 0, failed = 0, skipped = 0
    }

    enum Outcome: Sendable {
        case checked(LeftoverCheckResult)
        case notDICOM
        case failed(String)
    }

    static func run(files: [InputScanner.Input], jobs: Int, showValues: Bool, quiet: Bool, audit: AuditLog?,
                    _ work: @escaping @Sendable (String) throws -> LeftoverCheckResult) -> Tally {
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
                        outcome = .checked(try work(slice[n].path))
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
                case .checked(let result):
                    let findings = result.findings
                    audit?.append(record(path: path, result.decryption))
                    tally.checked += 1
                    if !findings.isEmpty { tally.withFindings += 1 }
                    tally.findings += findings.count
                    for finding in findings { print("\(path): \(finding.line(showValues: showValues))") }
                case .notDICOM:
                    audit?.append(["input": .string(absolute(path)), "status": .string("skipped"), "reason": .string("not a DICOM file")])
                    tally.skipped += 1
                case .failed(let message):
                    audit?.append(["input": .string(absolute(path)), "status": .string("failed"), "error": .string(message)])
                    tally.failed += 1
                    Terminal.line("error: \(path): \(message)")
                }
            }
            start += slice.count
            if progress, start < files.count { Terminal.line("checked \(start)/\(files.count)") }
        }
        return tally
    }

    /// The trail's record of one checked file: its absolute path, and what the key opened (tags, never values).
    static func record(path: String, _ decryption: LeftoverCheckResult.Decryption?) -> [String: AuditValue] {
        var record: [String: AuditValue] = ["input": .string(absolute(path))]
        switch decryption {
        case .opened(let item, let tags):
            record["status"] = .string("checked")
            record["item"] = .int(item)
            record["restoredTags"] = .strings(tags.map(\.description))
        case .failed(let message):
            record["status"] = .string("failed")
            record["error"] = .string(message)
        case nil:
            record["status"] = .string("checked")
        }
        return record
    }

    /// The trail outlives the working directory: paths in it are absolute.
    static func absolute(_ path: String) -> String { URL(fileURLWithPath: path).standardizedFileURL.path }
}
