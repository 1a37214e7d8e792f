import DICOMCodec
import DICOMCore
import Deidentification
import Diagnostics
import IdentifyingTerms
import Jobs

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

/// Reads a collection file by file, on the batch engine's threads (a reduce: ``BatchEngine/reduce(into:progress:_:merge:)``), and gathers its ``Inventory``: each attribute's
/// occurrences, VRs, distinct values and lengths, and what the profile (through ``Deidentifier/plan(_:recordingKept:)``)
/// does with it. Memory stays bounded: one file per thread is held at a time, and each row keeps value hashes
/// up to the distinct-value cap, then a fixed-size sketch.
public struct InventoryScanner: Sendable {
    /// Name and version written in the inventory.
    public static let tool = "dicom-review \(Toolkit.version)"

    public let deidentifier: Deidentifier
    public let options: InventoryOptions
    /// Reads each file's pixels for text (`--ocr`): words counted, the file's own header identifiers looked for.
    public let pixelText: PixelTextReader?

    /// - Parameters:
    ///   - deidentifier: plans each file with the chosen profile (nothing is written).
    ///   - pixelText: reads burned-in text (`--ocr`), or nil.
    public init(deidentifier: Deidentifier, options: InventoryOptions, pixelText: PixelTextReader? = nil) {
        self.deidentifier = deidentifier
        self.options = options
        self.pixelText = pixelText
    }

    /// Inventories `files`; reports name each by its ``InputScanner/Input/givenPath``.
    /// - Parameters:
    ///   - profile: the profile's name, written in the inventory.
    ///   - progress: told the number of files done (from any thread, throttled by ``ProgressThrottle``).
    ///   - failure: told each file that could not be read or planned, and why (from any thread); `skipped`
    ///     when a file found in a folder is not DICOM (it is then not counted).
    package func scan(_ files: [InputScanner.Input], profile: String,
                      progress: @escaping @Sendable (Int) -> Void = { _ in },
                      failure: @escaping @Sendable (_ label: String, _ message: String, _ skipped: Bool) -> Void
                          = { _, _, _ in }) -> Inventory {
        let scanner = self
        let options = self.options
        let merged = BatchEngine(inputs: files, jobs: options.jobs).reduce(
            into: { InventoryAccumulator(options: options) }, progress: progress
        ) { index, input, accumulator in
            do {
                let file = try Part10Reader.read(contentsOf: input.path)
                let plan = try scanner.deidentifier.plan(file, recordingKept: true)
                var pixelText: Result<PixelTextScan, LeftoverCheckError>?
                if let reader = scanner.pixelText, PixelTextReader.hasPixels(file.dataSet) {
                    // The file is the original: its own header gives the terms.
                    pixelText = Result { () throws(LeftoverCheckError) in try reader.read(file, terms: IdentifierCollector.terms(in: file.dataSet)) }
                }
                accumulator.add(file, plan: plan, index: index, path: input.givenPath, pixelText: pixelText)
            } catch where input.isSkipped(by: error) {
                accumulator.skippedFiles += 1
                failure(input.givenPath, FileOutcome.notDICOMReason, true)
            } catch {
                accumulator.failedFiles += 1
                failure(input.givenPath, BatchMessages.text(for: error), false)
            }
        } merge: { merged, partial in
            merged.merge(partial)
        }
        return merged.inventory(tool: Self.tool, profile: profile)
    }
}
