import DICOMCodec
import DICOMCore
import PixelData
import TextDetection

/// The frames of a file's Pixel Data, decoded one at a time as `--detect-text` reads them: native frames as they
/// are, encapsulated ones by the codec of the file's transfer syntax (RLE, JPEG Baseline/Extended, JPEG-LS,
/// JPEG 2000); PALETTE COLOR frames shown as RGB through their palette. For readers outside de-identification: `dicom-review check --ocr` and `inventory --ocr`.
public struct PixelFrames: Sendable {
    /// The image, ``PixelData/PixelDescription/numberOfFrames`` included.
    public let description: PixelDescription
    private let decode: @Sendable (Int) throws(DeidentificationError) -> DecodedFrame

    /// The number of frames.
    public var count: Int { description.numberOfFrames }

    /// - Parameters:
    ///   - file: a file with Pixel Data (7FE0,0010).
    ///   - registry: the codecs for encapsulated transfer syntaxes.
    /// - Throws: ``DeidentificationError`` `.invalidPixelData` (no Pixel Data, an Image Pixel Module that does not
    ///   describe it, frames that cannot be told apart), `.unsupportedPixelEncoding` (no codec for the syntax).
    public init(_ file: Part10File, registry: FrameCodecRegistry) throws(DeidentificationError) {
        let dataSet = file.dataSet
        let order = file.dataSetEncoding.byteOrder
        guard let element = dataSet[.pixelData] else { throw DeidentificationError(.invalidPixelData, "no Pixel Data (7FE0,0010)") }
        let description: PixelDescription
        do { description = try PixelDescription(dataSet, order: order) } catch {
            throw DeidentificationError(.invalidPixelData, cause: error)
        }
        let single = { var one = description; one.numberOfFrames = 1; return one }()
        let stored: @Sendable (Int) throws(DeidentificationError) -> DecodedFrame
        switch element.value {
        case .bytes(let value):
            stored = { frame throws(DeidentificationError) in
                do {
                    return try DecodedFrame(nativePixelData: value, frame: frame, description: single, littleEndian: order == .littleEndian)
                } catch {
                    throw DeidentificationError(.invalidPixelData, cause: error)
                }
            }
        case .fragments(let fragments):
            guard let codec = registry.codec(for: file.transferSyntax.uid) else {
                throw DeidentificationError(.unsupportedPixelEncoding,
                                            "pixels in transfer syntax \(file.transferSyntax.uid) cannot be decoded (no codec)")
            }
            let items = Array(fragments.items.dropFirst())
            let ranges: [Range<Int>]
            do {
                ranges = try Deidentifier.encapsulatedFrameRanges(fragments, description: description, dataSet: dataSet, order: order)
            } catch {
                throw DeidentificationError(.invalidPixelData, cause: error)
            }
            stored = { frame throws(DeidentificationError) in
                guard ranges.indices.contains(frame) else {
                    throw DeidentificationError(.invalidPixelData, "no frame \(frame + 1) of \(ranges.count)")
                }
                do {
                    return DecodedFrame(samples: try codec.decode(frame: Array(items[ranges[frame]].joined()), description: single),
                                        description: single)
                } catch {
                    throw DeidentificationError(.invalidPixelData, "frame \(frame + 1)", cause: error)
                }
            }
        case .sequence:
            throw DeidentificationError(.invalidPixelData, "Pixel Data (7FE0,0010) is a sequence")
        }
        self.description = description
        guard description.photometric == "PALETTE COLOR" else {
            decode = stored
            return
        }
        // Shown through its palette: OCR reads colours, not indices.
        let palette: PaletteColorTable
        do { palette = try PaletteColorTable(dataSet, order: order) } catch {
            throw DeidentificationError(.invalidPixelData, cause: error)
        }
        decode = { frame throws(DeidentificationError) in
            let indices = try stored(frame)
            do {
                let shown = try palette.rgb(indices: indices.samples, description: indices.description)
                return DecodedFrame(samples: shown.samples, description: shown.description)
            } catch {
                throw DeidentificationError(.invalidPixelData, "frame \(frame + 1)", cause: error)
            }
        }
    }

    /// Frame `index` (0-based), decoded.
    /// - Throws: ``DeidentificationError`` `.invalidPixelData` naming the frame when it cannot be decoded.
    public func frame(_ index: Int) throws(DeidentificationError) -> DecodedFrame {
        try decode(index)
    }
}
