import PixelData
import TextDetection

/// Where a decoded frame differs from a reference frame, as the areas OCR must read again: every pixel whose
/// samples differ lies inside one of ``areas``, with at least ``margin`` pixels of context around it, and every
/// text line of the reference frame that comes near a changed pixel lies wholly inside one area.
///
/// Pixels are compared sample byte by sample byte (no tolerance) in 16 x 16 tiles; changed tiles are grown by
/// the margin, joined when they touch, and each group's bounding box is grown again until no reference line
/// crosses its edge. The frames must share their description.
struct FrameDifference {
    /// The areas to read again, in frame pixels, disjoint; empty when the frames are equal.
    var areas: [PixelRectangle]
    /// True when the areas cover so much of the frame (``wholeFrameShare``) that reading the frame whole is the
    /// cheaper way; ``areas`` is then the whole frame.
    var readsWholeFrame: Bool

    /// The side of the square tiles pixels are compared in.
    static let tile = 16
    /// Context read around each changed pixel: a line of text up to about 28 pixels high is read whole with its
    /// surroundings when any of its pixels changed.
    static let margin = 32
    /// Above this share of the frame's pixels the frame is read whole.
    static let wholeFrameShare = 0.5

    /// - Parameters:
    ///   - frame: the frame to read.
    ///   - reference: the frame read in full, of the same description.
    ///   - referenceLines: the text lines read in `reference` (its boxes keep their surroundings unchanged or are
    ///     read again).
    init(_ frame: DecodedFrame, from reference: DecodedFrame, referenceLines: [DetectedLine]) {
        let d = frame.description
        let columns = d.columns, rows = d.rows
        let whole = PixelRectangle(x: 0, y: 0, width: columns, height: rows)
        guard frame.samples.count == reference.samples.count, frame.description == reference.description,
              let changed = Self.changedTiles(frame, reference) else {
            areas = [whole]
            readsWholeFrame = true
            return
        }
        var boxes = Self.groups(changed, columns: columns, rows: rows)
        // A reference line near a changed pixel is read again whole (with its own surroundings): a line is then
        // either inside one area or kept from the reference with every pixel around it unchanged.
        let lineBoxes = referenceLines.map { Self.padded($0.box) }
        var grown = true
        while grown {
            grown = false
            for index in boxes.indices {
                for line in lineBoxes where Self.intersects(boxes[index], line) && !Self.contains(boxes[index], line) {
                    boxes[index] = Self.union(boxes[index], line)
                    grown = true
                }
            }
            let merged = Self.merged(boxes)
            if merged.count != boxes.count { grown = true }
            boxes = merged
        }
        boxes = boxes.compactMap { Self.evenAligned($0).clipped(columns: columns, rows: rows) }
        boxes = Self.merged(boxes)
        let area = boxes.reduce(0) { $0 + $1.width * $1.height }
        if Double(area) > Self.wholeFrameShare * Double(columns * rows) {
            areas = [whole]
            readsWholeFrame = true
        } else {
            areas = boxes
            readsWholeFrame = false
        }
    }

    /// Whether `line` (a reference line) is kept as read in the reference: it is outside every area.
    func keeps(_ line: DetectedLine) -> Bool {
        let box = Self.padded(line.box)
        return !areas.contains { Self.intersects($0, box) }
    }

    /// A line's box with the surroundings that must not change for its reading to stand: half its height to the
    /// left and right and a quarter above and below, at least 4 pixels (as wide as the rectangle that blanks it).
    static func padded(_ box: PixelRectangle) -> PixelRectangle {
        let across = max(4, box.height / 2 + 2), down = max(4, box.height / 4 + 2)
        return PixelRectangle(x: box.x - across, y: box.y - down, width: box.width + 2 * across, height: box.height + 2 * down)
    }

    // MARK: - Tiles

    /// Per tile (row-major, `ceil(columns / tile)` per row) whether a sample byte in it differs; nil when the
    /// sample layout is not one this compares (then the frame is read whole).
    private static func changedTiles(_ a: DecodedFrame, _ b: DecodedFrame) -> [Bool]? {
        let d = a.description
        let columns = d.columns, rows = d.rows
        let across = (columns + tile - 1) / tile, down = (rows + tile - 1) / tile
        var changed = [Bool](repeating: false, count: across * down)
        let pixels = rows * columns
        guard pixels > 0 else { return nil }
        if d.bitsAllocated == 1 {
            // Bit-packed, one sample per pixel: compare pixel by pixel.
            guard d.samplesPerPixel == 1, a.samples.count * 8 >= pixels else { return nil }
            for pixel in 0..<pixels where (a.samples[pixel / 8] ^ b.samples[pixel / 8]) & (1 << (pixel % 8)) != 0 {
                changed[(pixel / columns / tile) * across + (pixel % columns) / tile] = true
            }
            return changed
        }
        guard let layout = SampleRows(d, count: a.samples.count) else { return nil }
        a.samples.withUnsafeBufferPointer { left in
            b.samples.withUnsafeBufferPointer { right in
                for plane in 0..<layout.planes {
                    for row in 0..<rows {
                        let rowStart = plane * layout.planeBytes + row * layout.rowBytes
                        for column in 0..<across where !changed[(row / tile) * across + column] {
                            let start = rowStart + column * tile * layout.pixelBytes
                            let end = rowStart + min(columns, (column + 1) * tile) * layout.pixelBytes
                            var index = start
                            while index < end, left[index] == right[index] { index += 1 }
                            if index < end { changed[(row / tile) * across + column] = true }
                        }
                    }
                }
            }
        }
        return changed
    }

    /// The changed tiles grown by ``margin`` and joined where they touch: each group's bounding box, in pixels.
    private static func groups(_ changed: [Bool], columns: Int, rows: Int) -> [PixelRectangle] {
        let across = (columns + tile - 1) / tile, down = (rows + tile - 1) / tile
        let reach = (margin + tile - 1) / tile
        var grown = [Bool](repeating: false, count: changed.count)
        for ty in 0..<down {
            for tx in 0..<across where changed[ty * across + tx] {
                for y in max(0, ty - reach)...min(down - 1, ty + reach) {
                    for x in max(0, tx - reach)...min(across - 1, tx + reach) { grown[y * across + x] = true }
                }
            }
        }
        var label = [Bool](repeating: false, count: changed.count)
        var boxes: [PixelRectangle] = []
        for start in grown.indices where grown[start] && !label[start] {
            var stack = [start]
            label[start] = true
            var left = Int.max, top = Int.max, right = Int.min, bottom = Int.min
            while let tile = stack.popLast() {
                let tx = tile % across, ty = tile / across
                left = min(left, tx); right = max(right, tx); top = min(top, ty); bottom = max(bottom, ty)
                for (nx, ny) in [(tx - 1, ty), (tx + 1, ty), (tx, ty - 1), (tx, ty + 1)]
                where nx >= 0 && ny >= 0 && nx < across && ny < down {
                    let neighbour = ny * across + nx
                    if grown[neighbour] && !label[neighbour] {
                        label[neighbour] = true
                        stack.append(neighbour)
                    }
                }
            }
            let x = left * Self.tile, y = top * Self.tile
            boxes.append(PixelRectangle(x: x, y: y, width: min(columns, (right + 1) * Self.tile) - x,
                                        height: min(rows, (bottom + 1) * Self.tile) - y))
        }
        return boxes
    }

    // MARK: - Rectangles

    /// `boxes` with every two that overlap replaced by their bounding box, until none overlap.
    private static func merged(_ boxes: [PixelRectangle]) -> [PixelRectangle] {
        var result = boxes
        var joined = true
        while joined {
            joined = false
            outer: for i in result.indices {
                for j in result.indices where j > i && intersects(result[i], result[j]) {
                    result[i] = union(result[i], result[j])
                    result.remove(at: j)
                    joined = true
                    break outer
                }
            }
        }
        return result
    }

    /// The box widened to even columns on both sides: YBR_FULL_422 frames keep their pixel pairs whole.
    private static func evenAligned(_ box: PixelRectangle) -> PixelRectangle {
        let left = box.x - (box.x & 1), right = box.x + box.width + ((box.x + box.width) & 1)
        return PixelRectangle(x: left, y: box.y, width: right - left, height: box.height)
    }

    static func intersects(_ a: PixelRectangle, _ b: PixelRectangle) -> Bool {
        a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height
    }

    private static func contains(_ a: PixelRectangle, _ b: PixelRectangle) -> Bool {
        a.x <= b.x && a.y <= b.y && b.x + b.width <= a.x + a.width && b.y + b.height <= a.y + a.height
    }

    private static func union(_ a: PixelRectangle, _ b: PixelRectangle) -> PixelRectangle {
        let left = min(a.x, b.x), top = min(a.y, b.y)
        return PixelRectangle(x: left, y: top, width: max(a.x + a.width, b.x + b.width) - left,
                              height: max(a.y + a.height, b.y + b.height) - top)
    }
}

/// How the bytes of a decoded frame of 8 bits or more lie: `planes` planes of `planeBytes` (one, unless the
/// colour components are stored plane by plane), each `rows` rows of `rowBytes`, `pixelBytes` per pixel (2 per
/// pixel for YBR_FULL_422 pairs, as native data holds them). The same reading ``TextDetection`` makes of it.
struct SampleRows {
    var planes: Int
    var planeBytes: Int
    var rowBytes: Int
    var pixelBytes: Int

    /// nil when `count` bytes are too few for the description.
    init?(_ d: PixelDescription, count: Int) {
        let bytes = d.bitsAllocated / 8
        guard bytes > 0, d.samplesPerPixel > 0 else { return nil }
        let pixels = d.rows * d.columns
        if d.photometric == "YBR_FULL_422" && d.samplesPerPixel == 3 && count == pixels * 2 * bytes && d.columns % 2 == 0 {
            (planes, pixelBytes) = (1, 2 * bytes)
        } else if d.planarConfiguration == 1 && d.samplesPerPixel > 1 {
            (planes, pixelBytes) = (d.samplesPerPixel, bytes)
        } else {
            (planes, pixelBytes) = (1, d.samplesPerPixel * bytes)
        }
        rowBytes = d.columns * pixelBytes
        planeBytes = d.rows * rowBytes
        guard count >= planes * planeBytes else { return nil }
    }
}

extension DecodedFrame {
    /// The part of the frame inside `area` (even-aligned and inside the frame), as a frame of its own; nil for a
    /// layout that cannot be cut (the frame is then read whole).
    func cropped(to area: PixelRectangle) -> DecodedFrame? {
        var d = description
        let columns = d.columns
        d.columns = area.width
        d.rows = area.height
        if description.bitsAllocated == 1 {
            guard description.samplesPerPixel == 1 else { return nil }
            var bits = [UInt8](repeating: 0, count: (area.width * area.height + 7) / 8)
            for y in 0..<area.height {
                for x in 0..<area.width {
                    let source = (area.y + y) * columns + area.x + x
                    if samples[source / 8] & (1 << (source % 8)) != 0 {
                        let target = y * area.width + x
                        bits[target / 8] |= 1 << (target % 8)
                    }
                }
            }
            return DecodedFrame(samples: bits, description: d)
        }
        guard let layout = SampleRows(description, count: samples.count) else { return nil }
        var cut: [UInt8] = []
        cut.reserveCapacity(layout.planes * area.height * area.width * layout.pixelBytes)
        for plane in 0..<layout.planes {
            for row in area.y..<(area.y + area.height) {
                let start = plane * layout.planeBytes + row * layout.rowBytes + area.x * layout.pixelBytes
                cut += samples[start..<(start + area.width * layout.pixelBytes)]
            }
        }
        return DecodedFrame(samples: cut, description: d)
    }
}
