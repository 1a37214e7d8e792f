import DICOMCodec
import DICOMCore
import DICOMTestSupport
@testable import PixelCodecs
import PixelData
import Testing

/// Every 8-bit JPEG Baseline and Extended frame of pydicom's test files (written by dcmtk, GDCM and others: RGB
/// with and without an APP14 marker, YBR_FULL and YBR_FULL_422 at several samplings, a 3 x 3 image, a 30-frame
/// cine): spliced, or declined for a missing DC code and then transcoded by libjpeg, and either way decoding as
/// libjpeg's whole transcoding decodes.
@Suite(.enabled(if: Peer.runnable(.pydicom), Comment(rawValue: Peer.skipReason(.pydicom))))
struct JPEGSplicerCorpusTests {
    @Test func everyFrameIsSplicedOrDeclinedForAMissingCode() throws {
        _ = try Peer.pydicom.require()
        var spliced = 0, declined: [String] = []
        let codec = JPEGBaselineCodec()
        for frame in PydicomJPEGFrames.all {
            let description = frame.description, columns = description.columns, rows = description.rows
            let rectangles = description.clip([
                PixelRectangle(x: 0, y: 0, width: columns, height: max(1, rows / 8)),
                PixelRectangle(x: columns / 3, y: rows / 2, width: max(1, columns / 5), height: 9),
                PixelRectangle(x: columns - 1, y: rows - 1, width: 1, height: 1),
            ])
            let (ranges, dc) = try codec.blocks(frame.bytes, description, rectangles)
            let expected = try codec.decode(frame: try LibJPEGJob.redact(frame.bytes) { _ in (ranges, dc) }, description: description)
            switch JPEGBlockSplicer.redact(frame.bytes, ranges: ranges, dc: dc) {
            case .success(let output):
                spliced += 1
                #expect(try codec.decode(frame: output, description: description) == expected, "\(frame.name)")
                #expect(output.count < frame.bytes.count + 64, "\(frame.name): \(output.count) bytes from \(frame.bytes.count)")
            case .failure(let refusal):
                // dcmtk optimises its Huffman tables by default: a DC table may lack the category of the jump
                // to black (here the first block of the scan, blanked: a difference from 0 to black).
                declined.append(frame.name)
                #expect("\(refusal)".contains("no code for difference category"), "\(frame.name): \(refusal)")
            }
            let public_ = try codec.redact(frame: frame.bytes, description: description, rectangles: rectangles)
            #expect(try codec.decode(frame: public_, description: description) == expected, "\(frame.name)")
        }
        #expect(spliced + declined.count == PydicomJPEGFrames.all.count)
        #expect(spliced >= 36, "spliced \(spliced); declined \(declined)")
    }
}

/// The 8-bit JPEG frames of pydicom's test files.
enum PydicomJPEGFrames {
    struct Frame: CustomTestStringConvertible, Sendable {
        var name: String
        var bytes: [UInt8]
        var description: PixelDescription
        var testDescription: String { name }
    }

    /// The frames, each with its single-frame description (one fragment per frame, or one frame in all).
    static let all: [Frame] = PydicomCorpus.files.flatMap { path -> [Frame] in
        guard let file = try? Part10Reader.read(contentsOf: path),
              [JPEGBaselineCodec.baselineUID, JPEGBaselineCodec.extendedUID].contains(file.transferSyntax.uid),
              var description = try? PixelDescription(file.dataSet, order: .littleEndian), description.bitsStored == 8,
              case .fragments(let fragments)? = file.dataSet[.pixelData]?.value else { return [] }
        let items = fragments.items.dropFirst().map { Array($0) }
        let count = description.numberOfFrames
        description.numberOfFrames = 1
        let name = String(path.split(separator: "/").last ?? "")
        if count == 1 { return [Frame(name: name, bytes: items.flatMap { $0 }, description: description)] }
        guard items.count == count else { return [] }
        return items.enumerated().map { Frame(name: "\(name) frame \($0.offset + 1)", bytes: $0.element, description: description) }
    }
}
