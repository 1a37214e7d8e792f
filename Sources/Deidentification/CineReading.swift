import Hashing
import PixelData

/// What `--detect-text` reads of one frame of a multi-frame image, planned from the SHA-256 of each row of every
/// frame as the detector prepares it (``TextDetection/TextDetector/preparedRows(of:)``): a cine's banner is the
/// same in every frame, and often only a clock or a frame counter in it changes.
///
/// Where a frame's prepared rows equal those of the frame it is compared with, a reading sees the same pixels, so
/// that frame's reading stands there; every row that differs is read in the frame itself, over the full width, with
/// ``margin`` rows above and below and whole the text lines of the reference it touches (``bands(_:holding:rows:)``),
/// so that new text anywhere is read with the context of its line and its neighbourhood.
enum CineReading: Equatable {
    /// Read whole (the first frame, and a frame that differs from the last frame read whole in more than
    /// ``wholeShare`` of its rows, as when an ultrasound sector moves).
    case whole
    /// Prepared exactly as an earlier frame: takes that frame's rectangles.
    case same(as: Int)
    /// Differs from `reference` (read whole) in these bands of rows only (grown by ``margin``, merged).
    case bands(reference: Int, rows: [Range<Int>])

    /// Rows read above and below each changed row: Sauvola's window (about 12 frame pixels at Tesseract's 70 dpi
    /// and the 2x enlargement) and a text line of up to 28 pixels above and below.
    static let margin = 32
    /// Above this share of a frame's rows in bands, the frame is read whole.
    static let wholeShare = 0.5

    /// Per frame, what is read: the first frame whole, each later one compared with the last frame read whole.
    static func plan(_ rowDigests: [[[UInt8]]]) -> [CineReading] {
        var plan: [CineReading] = []
        var firstWith: [[UInt8]: Int] = [:]
        var reference = 0
        for (frame, rows) in rowDigests.enumerated() {
            let digest = SHA256.digest(rows)
            if let earlier = firstWith[digest] {
                plan.append(.same(as: earlier))
                continue
            }
            firstWith[digest] = frame
            let changed = rows.indices.filter { frame > 0 && rows[$0] != rowDigests[reference][$0] }
            let bands = merged(changed.map { max(0, $0 - margin)..<min(rows.count, $0 + 1 + margin) })
            if frame == 0 || Double(bands.reduce(0) { $0 + $1.count }) > wholeShare * Double(rows.count) {
                plan.append(.whole)
                reference = frame
            } else {
                plan.append(.bands(reference: reference, rows: bands))
            }
        }
        return plan
    }

    /// Per frame: whole, or the same as an earlier frame prepared exactly alike (the reading without bands, kept
    /// to measure the bands against).
    static func wholeFrames(_ rowDigests: [[[UInt8]]]) -> [CineReading] {
        var firstWith: [[UInt8]: Int] = [:]
        return rowDigests.enumerated().map { frame, rows in
            let digest = SHA256.digest(rows)
            if let earlier = firstWith[digest] { return .same(as: earlier) }
            firstWith[digest] = frame
            return .whole
        }
    }

    /// `bands` grown to hold whole every box of `boxes` (the reference's text lines and rectangles) they touch,
    /// merged, within `rows`: a line is read whole or not at all. Grown once, not until no box is cut: the boxes
    /// of speckle read as words would chain a band over the whole sector.
    static func bands(_ bands: [Range<Int>], holding boxes: [PixelRectangle], rows: Int) -> [Range<Int>] {
        merged(merged(bands).map { band in
            boxes.filter { overlaps(band, $0) }.reduce(band) { band, box in
                max(0, min(band.lowerBound, box.y))..<min(rows, max(band.upperBound, box.y + box.height))
            }
        })
    }

    /// Whether `box` has a row in `band`.
    static func overlaps(_ band: Range<Int>, _ box: PixelRectangle) -> Bool {
        box.height > 0 && box.y < band.upperBound && box.y + box.height > band.lowerBound
    }

    /// Overlapping or touching ranges joined, in order.
    static func merged(_ ranges: [Range<Int>]) -> [Range<Int>] {
        var out: [Range<Int>] = []
        for range in ranges.sorted(by: { $0.lowerBound < $1.lowerBound }) where !range.isEmpty {
            if let last = out.last, range.lowerBound <= last.upperBound {
                out[out.count - 1] = last.lowerBound..<max(last.upperBound, range.upperBound)
            } else {
                out.append(range)
            }
        }
        return out
    }
}
