import PixelData

/// An 8-bit grey image, one byte per pixel, rows top to bottom: what Tesseract is given.
struct GreyImage: Sendable, Equatable {
    var width: Int
    var height: Int
    var pixels: [UInt8]

    /// The image with `rectangles` set to 0, as blanking leaves them in the output (black).
    func blanking(_ rectangles: [PixelRectangle]) -> GreyImage {
        guard !rectangles.isEmpty else { return self }
        var out = self
        for rectangle in rectangles {
            guard let inside = rectangle.clipped(columns: width, rows: height) else { continue }
            for y in inside.y..<(inside.y + inside.height) {
                let row = y * width
                for x in inside.x..<(inside.x + inside.width) { out.pixels[row + x] = 0 }
            }
        }
        return out
    }

    /// The rows `band` (clamped to the image), full width.
    func rows(_ band: Range<Int>) -> GreyImage {
        let top = max(0, min(height, band.lowerBound)), bottom = max(top, min(height, band.upperBound))
        return GreyImage(width: width, height: bottom - top, pixels: Array(pixels[top * width..<bottom * width]))
    }

    /// Dark and light swapped: Tesseract reads dark text on a light ground best.
    func inverted() -> GreyImage {
        GreyImage(width: width, height: height, pixels: pixels.map { 255 - $0 })
    }

    /// Enlarged `factor` times in each direction by bilinear interpolation (Tesseract reads text whose capitals
    /// are 20 to 30 pixels high best; burned-in annotations are often 8 to 12).
    func scaled(by factor: Int) -> GreyImage {
        guard factor > 1 else { return self }
        let outWidth = width * factor, outHeight = height * factor
        var out = [UInt8](repeating: 0, count: outWidth * outHeight)
        // Source coordinate of an output pixel's centre, in 1/256 pixel: (o + 0.5) / f - 0.5.
        func source(_ o: Int, _ limit: Int) -> (Int, Int, Int) {
            let position = max(0, ((2 * o + 1) * 256) / (2 * factor) - 128)
            let index = min(position >> 8, limit - 1)
            return (index, min(index + 1, limit - 1), position & 255)
        }
        let columns = (0..<outWidth).map { source($0, width) }
        pixels.withUnsafeBufferPointer { input in
            out.withUnsafeMutableBufferPointer { output in
                for y in 0..<outHeight {
                    let (y0, y1, fy) = source(y, height)
                    let row0 = y0 * width, row1 = y1 * width
                    let base = y * outWidth
                    for x in 0..<outWidth {
                        let (x0, x1, fx) = columns[x]
                        let top = Int(input[row0 + x0]) * (256 - fx) + Int(input[row0 + x1]) * fx
                        let bottom = Int(input[row1 + x0]) * (256 - fx) + Int(input[row1 + x1]) * fx
                        output[base + x] = UInt8((top * (256 - fy) + bottom * fy + 32768) >> 16)
                    }
                }
            }
        }
        return GreyImage(width: outWidth, height: outHeight, pixels: out)
    }
}
