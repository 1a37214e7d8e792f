import DICOMCodec
import Dispatch
import DICOMCore
import DICOMDictionary
import PixelData

/// The cleaned Pixel Data element and what is needed to undo the cleaning.
struct CleanedPixels {
    var element: DataElement
    var patches: [PixelPatch]
    /// The original Basic Offset Table, when the cleaning changed it.
    var originalOffsetTable: [UInt8]?
    /// Other attributes the cleaning rewrote (the Extended Offset Table and its lengths); their originals go
    /// into the Modified Attributes like any replaced attribute's.
    var rewrittenAttributes: [DataElement] = []
}

extension Deidentifier {
    /// Blanks each frame's rectangles (``PixelCleaningPlan/rectangles(inFrame:)``) in the Pixel Data of `dataSet`,
    /// native or encapsulated.
    /// - Throws: ``DeidentificationError`` `.invalidPixelData` (truncated, lying Rows/Columns, corrupt frame; the
    ///   cause names the frame), `.unsupportedPixelEncoding`.
    func cleanPixels(_ dataSet: DataSet, file: Part10File, plan: PixelCleaningPlan) throws(DeidentificationError) -> CleanedPixels {
        guard let element = dataSet[.pixelData] else {
            throw DeidentificationError(.invalidPixelData, "no Pixel Data (7FE0,0010)")
        }
        let order = file.dataSetEncoding.byteOrder
        do {
            let description = try PixelDescription(dataSet, order: order)
            switch element.value {
            case .bytes(let value):
                var bytes = Array(value)
                var patches: [PixelPatch] = []
                for frame in 0..<description.numberOfFrames {
                    patches += try NativeRedaction.redact(&bytes, frame: frame, description: description,
                                                          rectangles: plan.rectangles(inFrame: frame), order: order)
                }
                var cleaned = element
                cleaned.value = .bytes(bytes[...])
                return CleanedPixels(element: cleaned, patches: patches, originalOffsetTable: nil)
            case .fragments(let fragments):
                guard let codec = settings.policy.cleanPixelData?.registry.codec(for: file.transferSyntax.uid) else {
                    throw DeidentificationError(.unsupportedPixelEncoding,
                        "pixels in transfer syntax \(file.transferSyntax.uid) cannot be cleaned and written back (no codec)")
                }
                let frames = (0..<description.numberOfFrames).map { plan.rectangles(inFrame: $0) }
                return try Self.cleanEncapsulated(element, fragments: fragments, codec: codec, description: description,
                                                  rectangles: frames, dataSet: dataSet, order: order)
            case .sequence:
                throw DeidentificationError(.invalidPixelData, "Pixel Data (7FE0,0010) is a sequence")
            }
        } catch let error as PixelDataError {
            throw DeidentificationError(.invalidPixelData, cause: error)
        } catch let error as DeidentificationError {
            throw error
        } catch {
            throw DeidentificationError(.invalidPixelData, cause: error)
        }
    }

    /// Each frame's fragments concatenated, cleaned by the codec and written as one fragment, its original
    /// fragments saved; a frame the codec gives back unchanged keeps its fragments and saves nothing. The offset
    /// table (Basic, or Extended with its lengths) is recomputed when there was one.
    ///
    /// `rectangles` holds each frame's own rectangles. When the codec writes frames back with another colour
    /// transform (JPEG 2000 irreversible to reversible), one Photometric Interpretation must fit every frame: each
    /// frame then gets the union of all frames' rectangles (a superset), so that every frame is rewritten.
    private static func cleanEncapsulated(_ element: DataElement, fragments: Fragments, codec: any FrameCodec,
                                          description: PixelDescription, rectangles perFrame: [[PixelRectangle]],
                                          dataSet: DataSet, order: ByteOrder) throws -> CleanedPixels {
        let offsetTable = fragments.items.first ?? []
        let items = Array(fragments.items.dropFirst())
        let extended = dataSet[.extendedOffsetTable], extendedLengths = dataSet[.extendedOffsetTableLengths]
        let frames = try Self.encapsulatedFrameRanges(fragments, description: description, dataSet: dataSet, order: order)
        var single = description
        single.numberOfFrames = 1
        var output: [ArraySlice<UInt8>] = []
        var patches: [PixelPatch] = []
        var frameStarts: [Int] = [], frameLengths: [Int] = []
        var position = 0
        let inputs = frames.map { items[$0].flatMap { $0 } }
        var rectangles = perFrame
        if codec.photometricInterpretation(afterRedacting: description) != description.photometric {
            var seen: Set<PixelRectangle> = []
            let union = perFrame.joined().filter { seen.insert($0).inserted }
            rectangles = Array(repeating: union, count: frames.count)
        }
        let redacted = try Self.redactFrames(inputs, codec: codec, description: single, rectangles: rectangles)
        for (frame, range) in frames.enumerated() {
            frameStarts.append(position)
            var cleaned = redacted[frame]
            if cleaned.count % 2 == 1 { cleaned.append(0) }
            if cleaned == inputs[frame] {
                // The codec gave the frame back as it was (the blanked area was blank already): its fragments stay,
                // and nothing is saved for it.
                output += items[range]
                position += items[range].reduce(0) { $0 + 8 + $1.count }
                frameLengths.append(inputs[frame].count)
                continue
            }
            let original = items[range].map { Array($0) }
            patches.append(PixelPatch(frame: frame, content: .encapsulated(originalFragments: original,
                                                                           outputFragments: output.count..<output.count + 1)))
            output.append(cleaned[...])
            position += 8 + cleaned.count
            frameLengths.append(cleaned.count)
        }
        var newTable = Array(offsetTable)
        if !offsetTable.isEmpty {
            guard frameStarts.allSatisfy({ $0 <= UInt32.max }) else {
                throw PixelDataError(.codecFailed, "the cleaned frames run past the 4 GiB a Basic Offset Table can point into")
            }
            newTable = frameStarts.flatMap { ValueEncoding.ul(UInt32($0), order: .littleEndian) }
        }
        var cleaned = element
        cleaned.value = .fragments(Fragments(items: [newTable[...]] + output))
        var rewritten: [DataElement] = []
        let photometric = codec.photometricInterpretation(afterRedacting: description)
        if photometric != description.photometric, !patches.isEmpty {
            // The rewritten frames use another colour transform; one Photometric Interpretation must fit them all.
            guard patches.count == frames.count else {
                throw PixelDataError(.codecFailed, "\(frames.count - patches.count) of \(frames.count) frames would stay "
                                     + "\(description.photometric) beside frames written as \(photometric)")
            }
            rewritten.append(DataElement(tag: .photometricInterpretation, vr: .CS, string: photometric))
        }
        if let extended {
            rewritten.append(DataElement(tag: extended.tag, vr: extended.vr,
                                         bytes: ValueEncoding.uv(frameStarts.map { UInt64($0) }, order: order)))
            if let extendedLengths {
                rewritten.append(DataElement(tag: extendedLengths.tag, vr: extendedLengths.vr,
                                             bytes: ValueEncoding.uv(frameLengths.map { UInt64($0) }, order: order)))
            }
        }
        return CleanedPixels(element: cleaned, patches: patches,
                             originalOffsetTable: newTable == Array(offsetTable) ? nil : Array(offsetTable),
                             rewrittenAttributes: rewritten)
    }

    /// Which fragments (after the Basic Offset Table item) make up each frame, by the Extended Offset Table, the
    /// Basic Offset Table, or one fragment per frame.
    /// - Throws: ``PixelData/PixelDataError`` `.truncated`, `.corruptFrame`.
    static func encapsulatedFrameRanges(_ fragments: Fragments, description: PixelDescription, dataSet: DataSet,
                                        order: ByteOrder) throws(PixelDataError) -> [Range<Int>] {
        guard let offsetTable = fragments.items.first else {
            throw PixelDataError(.truncated, "encapsulated Pixel Data without a Basic Offset Table item")
        }
        let items = Array(fragments.items.dropFirst())
        let extended = dataSet[.extendedOffsetTable]
        let offsets: [Int]?
        if let extended {
            // PS3.5 A.4: with an Extended Offset Table the Basic Offset Table is empty; the 64-bit offsets are in
            // the data set's byte order (OV).
            guard offsetTable.isEmpty else {
                throw PixelDataError(.corruptFrame, "an Extended Offset Table (7FE0,0001) beside a Basic Offset Table with values")
            }
            let bytes = extended.bytes ?? []
            guard bytes.count == 8 * description.numberOfFrames else {
                throw PixelDataError(.corruptFrame, "the Extended Offset Table (7FE0,0001) has \(bytes.count / 8) offsets for \(description.numberOfFrames) frames")
            }
            offsets = ValueEncoding.uint64s(bytes, order: order).map { Int(clamping: $0) }
        } else {
            offsets = offsetTable.isEmpty ? nil : ValueEncoding.uint32s(offsetTable, order: .littleEndian).map { Int($0) }
        }
        return try EncapsulatedFrames.ranges(offsets: offsets, fragments: items, frameCount: description.numberOfFrames,
                                                   table: extended == nil ? "Basic Offset Table" : "Extended Offset Table")
    }
}

extension Deidentifier {
    /// Each frame cleaned by `codec` with its own rectangles (`rectangles[frame]`), on all cores when there are
    /// several (the codecs are thread-safe and a frame of JPEG 2000 takes tens of milliseconds); the error of the
    /// first frame that fails, naming it.
    private static func redactFrames(_ frames: [[UInt8]], codec: any FrameCodec, description: PixelDescription,
                                     rectangles: [[PixelRectangle]]) throws(PixelDataError) -> [[UInt8]] {
        var results = [Result<[UInt8], PixelDataError>](repeating: .success([]), count: frames.count)
        let redact = { @Sendable (index: Int) -> Result<[UInt8], PixelDataError> in
            Result { () throws(PixelDataError) -> [UInt8] in
                try codec.redact(frame: frames[index], description: description, rectangles: rectangles[index])
            }
        }
        if frames.count == 1 {
            results[0] = redact(0)
        } else {
            results.withUnsafeMutableBufferPointer { buffer in
                // Each iteration writes its own slot only.
                nonisolated(unsafe) let slots = buffer
                DispatchQueue.concurrentPerform(iterations: frames.count) { slots[$0] = redact($0) }
            }
        }
        var cleaned: [[UInt8]] = []
        cleaned.reserveCapacity(frames.count)
        for (frame, result) in results.enumerated() {
            switch result {
            case .success(let bytes): cleaned.append(bytes)
            case .failure(let error): throw PixelDataError(error.code, error.reason, frame: frame, cause: error.cause)
            }
        }
        return cleaned
    }
}

/// Which fragments make up each frame of encapsulated Pixel Data (PS3.5 A.4).
enum EncapsulatedFrames {
    /// One frame: every fragment. Several: by the offset table (`offsets`, from the Basic or the Extended
    /// Offset Table, named `table` in errors) when there is one, else one fragment per frame when the counts agree.
    /// - Throws: ``PixelDataError`` `.corruptFrame` when the frames cannot be told apart.
    static func ranges(offsets: [Int]?, fragments: [ArraySlice<UInt8>], frameCount: Int,
                       table: String = "Basic Offset Table") throws(PixelDataError) -> [Range<Int>] {
        guard !fragments.isEmpty else { throw PixelDataError(.truncated, "encapsulated Pixel Data has no fragment") }
        if frameCount == 1 { return [0..<fragments.count] }
        if let offsets {
            guard offsets.count == frameCount else {
                throw PixelDataError(.corruptFrame, "\(table) has \(offsets.count) offsets for \(frameCount) frames")
            }
            var starts: [Int: Int] = [:]
            var position = 0
            for (index, fragment) in fragments.enumerated() {
                starts[position] = index
                position += 8 + fragment.count
            }
            var first: [Int] = []
            for (frame, offset) in offsets.enumerated() {
                guard let index = starts[offset], first.last.map({ index > $0 }) ?? (index == 0) else {
                    throw PixelDataError(.corruptFrame, "\(table) entry \(frame + 1) (\(offset)) is not the start of a later fragment",
                                         frame: frame)
                }
                first.append(index)
            }
            return (0..<frameCount).map { first[$0]..<($0 + 1 < frameCount ? first[$0 + 1] : fragments.count) }
        }
        guard fragments.count == frameCount else {
            throw PixelDataError(.corruptFrame,
                                 "\(fragments.count) fragments for \(frameCount) frames and no Basic Offset Table to tell them apart")
        }
        return (0..<frameCount).map { $0..<$0 + 1 }
    }
}
