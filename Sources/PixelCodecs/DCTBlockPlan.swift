import PixelData

/// Which 8x8 DCT blocks of each component a set of rectangles touches, and the quantised DC coefficient that makes
/// a block decode to a target sample value (ISO/IEC 10918-1 A.3.3, with the level shift of A.3.1).
struct DCTBlockPlan: Hashable {
    /// Sampling of one component and the size of its block grid.
    struct Component: Hashable {
        var horizontal: Int
        var vertical: Int
        var widthInBlocks: Int
        var heightInBlocks: Int
    }

    /// A run of blocks: component, first column and row, end column and row (exclusive), in blocks.
    struct BlockRange: Hashable {
        var component: Int
        var columns: Range<Int>
        var rows: Range<Int>
    }

    var ranges: [BlockRange]

    /// The blocks under `rectangles` (clipped to the image): a pixel at column x lies in component sample
    /// floor(x * h / Hmax) (A.1.1), so the samples under a rectangle, and the blocks holding them, follow.
    init(rectangles: [PixelRectangle], components: [Component], maxHorizontal: Int, maxVertical: Int) {
        var ranges: [BlockRange] = []
        for rectangle in rectangles {
            for (index, component) in components.enumerated() {
                let firstColumn = rectangle.x * component.horizontal / maxHorizontal
                let endColumn = ((rectangle.x + rectangle.width) * component.horizontal + maxHorizontal - 1) / maxHorizontal
                let firstRow = rectangle.y * component.vertical / maxVertical
                let endRow = ((rectangle.y + rectangle.height) * component.vertical + maxVertical - 1) / maxVertical
                let columns = min(firstColumn / 8, component.widthInBlocks)..<min(component.widthInBlocks, (endColumn + 7) / 8)
                let rows = min(firstRow / 8, component.heightInBlocks)..<min(component.heightInBlocks, (endRow + 7) / 8)
                if !columns.isEmpty && !rows.isEmpty { ranges.append(BlockRange(component: index, columns: columns, rows: rows)) }
            }
        }
        self.ranges = ranges
    }

    /// The quantised DC coefficient whose block, with every AC coefficient 0, decodes to `target` (0...255 for
    /// 8-bit samples) or, when no multiple of `step` gives it exactly, to a value beyond `target` on the side away
    /// from the middle, which the decoder clamps to `target` when it is the range's minimum or maximum.
    /// The DC of a constant block of value v is 8 (v - 2^(P-1)) before quantisation.
    static func dc(target: Int, step: Int, precision: Int = 8) -> Int16 {
        let step = max(step, 1)
        let unquantised = 8 * (target - (1 << (precision - 1)))
        let magnitude = (abs(unquantised) + step - 1) / step
        return Int16(unquantised < 0 ? -magnitude : magnitude)
    }
}
