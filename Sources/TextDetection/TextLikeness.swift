import PixelData

/// Whether a word box Tesseract reported holds text, judged from the pixels rather than from what was read: the
/// test behind blanking text OCR cannot read with confidence, which must not blank ultrasound speckle or image
/// texture wholesale.
///
/// Burned-in text is ink of one colour drawn in a band of character height: inside the box many pixels share the
/// ink's value (the box's brightest or darkest), while just above and below the box, between text lines, few
/// do, and the rest of the box differs from the ink clearly. Speckle read as a "word" has its brightest values
/// scattered as much outside the box as inside. Measured on the generated corpus (docs/text-detection.md).
enum TextLikeness {
    /// The least height of a character box, in frame pixels (the capitals of 8-pixel text are about 7 high).
    static let minimumHeight = 7
    /// How close to the ink's value a pixel must be to count as ink.
    static let inkTolerance = 16
    /// How far the rest of the box must lie from the ink's value.
    static let minimumContrast = 50
    /// The share of ink in the box must be this many times its share just above and below.
    static let bandRatio = 3.0

    /// Whether `box` looks like a text band in any of `images` (the frame's luminance and its red, green and blue planes), read
    /// either as light ink on a darker ground or dark on a lighter one.
    static func looksLikeText(_ box: PixelRectangle, in images: [GreyImage]) -> Bool {
        images.contains { ink(of: box, in: $0) != nil }
    }

    /// The value of the ink that makes `box` a text band in `image` (its brightest or darkest), or nil when it is not one.
    static func ink(of box: PixelRectangle, in image: GreyImage) -> Int? {
        guard box.height >= minimumHeight, box.width >= 2 else { return nil }
        let inside = pixels(of: image, x: box.x, y: box.y, width: box.width, height: box.height)
        let margin = max(1, box.height / 4)
        let around = pixels(of: image, x: box.x, y: box.y - 1 - margin, width: box.width, height: margin)
            + pixels(of: image, x: box.x, y: box.y + box.height + 1, width: box.width, height: margin)
        guard inside.count >= 6, around.count >= 3 else { return nil }
        let sorted = inside.sorted()
        return [sorted[sorted.count * 97 / 100], sorted[sorted.count * 3 / 100]].map(Int.init).first { ink in
            isBand(ink: ink, inside: inside, around: around)
        }
    }

    /// Whether ink of value `ink` fills a band: at least 5% of the box, `bandRatio` times its share around the
    /// box, on a ground whose median differs by `minimumContrast`.
    private static func isBand(ink: Int, inside: [UInt8], around: [UInt8]) -> Bool {
        func isInk(_ value: UInt8) -> Bool { abs(Int(value) - ink) <= inkTolerance }
        let ground = inside.filter { !isInk($0) }.sorted()
        guard !ground.isEmpty, abs(Int(ground[ground.count / 2]) - ink) >= minimumContrast else { return false }
        let shareInside = Double(inside.count - ground.count) / Double(inside.count)
        let shareAround = Double(around.filter(isInk).count) / Double(around.count)
        return shareInside >= 0.05 && shareInside >= bandRatio * (shareAround + 0.02)
    }

    /// The pixels of a rectangle clipped to the image, row by row.
    static func pixels(of image: GreyImage, x: Int, y: Int, width: Int, height: Int) -> [UInt8] {
        let left = max(0, x), right = min(image.width, x + width)
        let top = max(0, y), bottom = min(image.height, y + height)
        guard left < right, top < bottom else { return [] }
        var out: [UInt8] = []
        out.reserveCapacity((right - left) * (bottom - top))
        for row in top..<bottom { out += image.pixels[row * image.width + left..<row * image.width + right] }
        return out
    }
}
