import PixelData

/// Stretches an identifying line's box along its row over the ink that continues its text, judged from the
/// pixels: OCR often reads only part of a burned-in value (`DOB 29` of `DOB 29.02.1984`, `NORTHGATE` of
/// `NORTHGATE HOSPITAL`), or reads the label and not the value after it. What follows the part read, in the same
/// ink and band, with gaps no wider than a word space, is the rest of the same text.
///
/// The ink is the value that makes the line's box a text band (``TextLikeness``); the run goes on in steps of a
/// third of the text height while a step holds that ink in the band and little of it just above and below, and
/// ends at a gap wider than ``gapHeights`` text heights, at a step whose ink is as much around the band as in it
/// (speckle, an image edge), or after ``maximumHeights`` heights.
struct TextRun {
    /// The frame's images the line was read from (luminance, and chroma for colour frames).
    let images: [GreyImage]

    /// The widest blank gap inside a run, in text heights: a word space, a wide space in monospaced text.
    static let gapHeights = 1.2
    /// How far a run goes beyond the box on each side, in text heights.
    static let maximumHeights = 16

    /// `box` widened to the left and right over the text-like run it is part of; `box` itself when its pixels are
    /// not a text band in any image.
    func stretched(_ box: PixelRectangle) -> PixelRectangle {
        guard box.height >= TextLikeness.minimumHeight else { return box }
        var left = box.x, right = box.x + box.width
        for image in images {
            guard let ink = TextLikeness.ink(of: box, in: image) else { continue }
            left = min(left, end(from: box, in: image, ink: ink, step: -1))
            right = max(right, end(from: box, in: image, ink: ink, step: 1))
        }
        return PixelRectangle(x: left, y: box.y, width: right - left, height: box.height)
    }

    /// The outer edge of the run from `box`'s left (`step` -1) or right (`step` 1) side.
    private func end(from box: PixelRectangle, in image: GreyImage, ink: Int, step: Int) -> Int {
        let width = max(2, box.height / 3)
        let gapLimit = Int(Self.gapHeights * Double(box.height))
        let margin = max(1, box.height / 4)
        let limit = Self.maximumHeights * box.height
        let start = step > 0 ? box.x + box.width : box.x
        var edge = start, probe = start
        func isInk(_ value: UInt8) -> Bool { abs(Int(value) - ink) <= TextLikeness.inkTolerance }
        while abs(probe - start) < limit {
            let x = step > 0 ? probe : probe - width
            guard x >= 0, x + width <= image.width else { break }
            let inside = TextLikeness.pixels(of: image, x: x, y: box.y, width: width, height: box.height)
            let around = TextLikeness.pixels(of: image, x: x, y: box.y - 1 - margin, width: width, height: margin)
                + TextLikeness.pixels(of: image, x: x, y: box.y + box.height + 1, width: width, height: margin)
            let inkInside = inside.filter(isInk).count
            probe += step * width
            if inkInside == 0 {
                if abs(probe - edge) > gapLimit { break }
                continue
            }
            let shareInside = Double(inkInside) / Double(inside.count)
            let shareAround = Double(around.filter(isInk).count) / Double(max(1, around.count))
            // Ink as much above and below as in the band: image texture, not text.
            guard shareInside >= TextLikeness.bandRatio * (shareAround + 0.02) else { break }
            edge = probe
        }
        return edge
    }
}
