import DICOMCodec
import Deidentification
import Diagnostics
import Foundation
import Synchronization

/// How the inventory is gathered.
public struct InventoryOptions: Sendable {
    /// Keep example values (they are patient data), at most ``exampleLimit`` per row.
    public var showValues: Bool
    /// Distinct values are counted exactly up to this many per row, then estimated.
    public var distinctValueCap: Int
    /// Files read in parallel.
    public var jobs: Int
    public var exampleLimit = 5

    public init(showValues: Bool = false, distinctValueCap: Int = 1000, jobs: Int = 1) {
        self.showValues = showValues
        self.distinctValueCap = distinctValueCap
        self.jobs = max(1, jobs)
    }
}

/// One file to inventory.
public struct InventoryInput: Sendable {
    public var path: String
    /// How reports name it (the path as the user wrote it, relative to the folder given).
    public var label: String
    /// Named on the command line: a file that is not DICOM is a failure, not skipped.
    public var isNamed: Bool

    public init(path: String, label: String? = nil, isNamed: Bool = true) {
        self.path = path
        self.label = label ?? path
        self.isNamed = isNamed
    }
}

/// Reads a collection file by file, on several threads, and gathers its ``Inventory``: each attribute's
/// occurrences, VRs, distinct values and lengths, and what the profile (through ``Deidentifier/plan(_:recordingKept:)``)
/// does with it. Memory stays bounded: one file per thread is held at a time, and each row keeps value hashes
/// up to the distinct-value cap, then a fixed-size sketch.
public struct InventoryScanner: Sendable {
    /// Name and version written in the inventory.
    public static let tool = "dicom-review \(ToolkitVersion.number)"

    public let deidentifier: Deidentifier
    public let options: InventoryOptions

    /// - Parameter deidentifier: plans each file with the chosen profile (nothing is written).
    public init(deidentifier: Deidentifier, options: InventoryOptions) {
        self.deidentifier = deidentifier
        self.options = options
    }

    /// Inventories `files`.
    /// - Parameters:
    ///   - profile: the profile's name, written in the inventory.
    ///   - progress: told the number of files done (from any thread, at most about ten times a second).
    ///   - failure: told each file that could not be read or planned, and why (from any thread); `skipped`
    ///     when a file found in a folder is not DICOM (it is then not counted).
    public func scan(_ files: [InventoryInput], profile: String,
                     progress: @escaping @Sendable (Int) -> Void = { _ in },
                     failure: @escaping @Sendable (_ label: String, _ message: String, _ skipped: Bool) -> Void
                         = { _, _, _ in }) -> Inventory {
        final class Results: @unchecked Sendable {
            let lock = NSLock()
            var merged: InventoryAccumulator
            init(_ options: InventoryOptions) { merged = InventoryAccumulator(options: options) }
        }
        let results = Results(options)
        let nextIndex = Atomic<Int>(0)
        let done = Atomic<Int>(0)
        let lastProgress = Atomic<UInt64>(0)
        let workers = min(options.jobs, max(1, files.count))
        let group = DispatchGroup()
        let scanner = self
        for _ in 0..<workers {
            group.enter()
            let thread = Thread {
                var local = InventoryAccumulator(options: scanner.options)
                while true {
                    let index = nextIndex.wrappingAdd(1, ordering: .relaxed).oldValue
                    guard index < files.count else { break }
                    let input = files[index]
                    do {
                        let file = try Part10Reader.read(contentsOf: input.path)
                        let plan = try scanner.deidentifier.plan(file, recordingKept: true)
                        local.add(file, plan: plan, index: index,
                                  path: input.label)
                    } catch let error as DICOMError where error.code == .notDICOM && !input.isNamed {
                        local.skippedFiles += 1
                        failure(input.label, "not a DICOM file", true)
                    } catch {
                        local.failedFiles += 1
                        // The line names the file already.
                        failure(input.label, "\((error as? DICOMError)?.withoutFile.description ?? "\(error)")", false)
                    }
                    let finished = done.wrappingAdd(1, ordering: .relaxed).newValue
                    let now = DispatchTime.now().uptimeNanoseconds
                    let last = lastProgress.load(ordering: .relaxed)
                    // Another thread may have stored a later time since `now` was read: no subtraction.
                    if now > last &+ 100_000_000 || finished == files.count,
                       lastProgress.compareExchange(expected: last, desired: now, ordering: .relaxed).exchanged {
                        progress(finished)
                    }
                }
                results.lock.lock()
                results.merged.merge(local)
                results.lock.unlock()
                group.leave()
            }
            thread.stackSize = 8 << 20
            thread.start()
        }
        group.wait()
        return results.merged.inventory(tool: Self.tool, profile: profile)
    }
}
