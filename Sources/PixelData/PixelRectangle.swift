/// A rectangle of pixels: `x`, `y` the top-left column and row (0-based), `width` columns, `height` rows.
public struct PixelRectangle: Sendable, Hashable, CustomStringConvertible {
    public var x: Int
    public var y: Int
    public var width: Int
    public var height: Int

    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
    }

    /// The part inside an image of `columns` x `rows`; nil when nothing of it is.
    public func clipped(columns: Int, rows: Int) -> PixelRectangle? {
        let left = max(0, x), top = max(0, y)
        let right = min(columns, x &+ max(0, width)), bottom = min(rows, y &+ max(0, height))
        guard right > left, bottom > top else { return nil }
        return PixelRectangle(x: left, y: top, width: right - left, height: bottom - top)
    }

    /// `(x,y,w,h)`, as CTP's pixel scripts write rectangles.
    public var description: String { "(\(x),\(y),\(width),\(height))" }
}
