import DICOMCodec
import DICOMCore
import PixelData

/// The cleaned Pixel Data element and what is needed to undo the cleaning.
struct CleanedPixels {
    var element: DataElement
    var patches: [PixelPatch]
    /// The original Basic Offset Table, when the cleaning changed it.
    var originalOffsetTable: [UInt8]?
}

extension Deidentifier {
    /// Blanks the plan's rectangles in every frame of the Pixel Data of `dataSet`, native or encapsulated.
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
                                                          rectangles: plan.rectangles, order: order)
                }
                var cleaned = element
                cleaned.value = .bytes(bytes[...])
                return CleanedPixels(element: cleaned, patches: patches, originalOffsetTable: nil)
            case .fragments(let fragments):
                guard let codec = settings.cleanPixelData?.registry.codec(for: file.transferSyntax.uid) else {
                    throw DeidentificationError(.unsupportedPixelEncoding,
                        "pixels in transfer syntax \(file.transferSyntax.uid) cannot be cleaned and written back (no codec)")
                }
                return try Self.cleanEncapsulated(element, fragments: fragments, codec: codec, description: description,
                                                  rectangles: plan.rectangles, dataSet: dataSet)
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
    /// table is recomputed when there was one.
    private static func cleanEncapsulated(_ element: DataElement, fragments: Fragments, codec: any FrameCodec,
                                          description: PixelDescription, rectangles: [PixelRectangle],
                                          dataSet: DataSet) throws -> CleanedPixels {
        guard !dataSet.contains(Tag(0x7FE0, 0x0001)) else {
            throw DeidentificationError(.unsupportedPixelEncoding, "an Extended Offset Table (7FE0,0001) is not supported yet")
        }
        guard let offsetTable = fragments.items.first else {
            throw PixelDataError(.truncated, "encapsulated Pixel Data without a Basic Offset Table item")
        }
        let items = Array(fragments.items.dropFirst())
        let frames = try EncapsulatedFrames.ranges(offsetTable: Array(offsetTable), fragments: items,
                                                   frameCount: description.numberOfFrames)
        var single = description
        single.numberOfFrames = 1
        var output: [ArraySlice<UInt8>] = []
        var patches: [PixelPatch] = []
        var frameStarts: [Int] = []
        var position = 0
        for (frame, range) in frames.enumerated() {
            frameStarts.append(position)
            let original = items[range].map { Array($0) }
            var cleaned: [UInt8]
            do {
                cleaned = try codec.redact(frame: original.flatMap { $0 }, description: single, rectangles: rectangles)
            } catch {
                throw PixelDataError(error.code, error.reason, frame: frame, cause: error.cause)
            }
            if cleaned.count % 2 == 1 { cleaned.append(0) }
            if cleaned.elementsEqual(original.joined()) {
                // No rectangle reached this frame: its fragments stay as they were, and nothing is saved for it.
                output += items[range]
                position += items[range].reduce(0) { $0 + 8 + $1.count }
                continue
            }
            patches.append(PixelPatch(frame: frame, content: .encapsulated(originalFragments: original,
                                                                           outputFragments: output.count..<output.count + 1)))
            output.append(cleaned[...])
            position += 8 + cleaned.count
        }
        var newTable = Array(offsetTable)
        if !offsetTable.isEmpty {
            newTable = frameStarts.flatMap { ValueEncoding.ul(UInt32(truncatingIfNeeded: $0), order: .littleEndian) }
        }
        var cleaned = element
        cleaned.value = .fragments(Fragments(items: [newTable[...]] + output))
        return CleanedPixels(element: cleaned, patches: patches,
                             originalOffsetTable: newTable == Array(offsetTable) ? nil : Array(offsetTable))
    }
}

/// Which fragments make up each frame of encapsulated Pixel Data (PS3.5 A.4).
enum EncapsulatedFrames {
    /// One frame: every fragment. Several: by the Basic Offset Table when it has one offset per frame, else one
    /// fragment per frame when the counts agree.
    /// - Throws: ``PixelDataError`` `.corruptFrame` when the frames cannot be told apart.
    static func ranges(offsetTable: [UInt8], fragments: [ArraySlice<UInt8>], frameCount: Int) throws(PixelDataError) -> [Range<Int>] {
        guard !fragments.isEmpty else { throw PixelDataError(.truncated, "encapsulated Pixel Data has no fragment") }
        if frameCount == 1 { return [0..<fragments.count] }
        if !offsetTable.isEmpty {
            guard offsetTable.count == 4 * frameCount else {
                throw PixelDataError(.corruptFrame, "Basic Offset Table has \(offsetTable.count / 4) offsets for \(frameCount) frames")
            }
            var starts: [Int: Int] = [:]
            var position = 0
            for (index, fragment) in fragments.enumerated() {
                starts[position] = index
                position += 8 + fragment.count
            }
            var first: [Int] = []
            for frame in 0..<frameCount {
                let b = offsetTable[4 * frame..<4 * frame + 4].map { Int($0) }
                let offset = b[0] | b[1] << 8 | b[2] << 16 | b[3] << 24
                guard let index = starts[offset], first.last.map({ index > $0 }) ?? (index == 0) else {
                    throw PixelDataError(.corruptFrame, "Basic Offset Table entry \(frame + 1) (\(offset)) is not the start of a later fragment",
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
