import DICOMCodec
import DICOMCore

/// One rule of a pixel rules file: a header condition and the rectangles to blank when it holds.
public struct PixelRule: Sendable, Hashable {
    public var condition: PixelCondition
    /// As written: a negative `x` (or `y`) counts from the right (or bottom) edge, as in CTP.
    public var rectangles: [PixelRectangle]
    /// The 1-based line of the rules file the condition starts on.
    public var line: Int
    /// The condition as written (whitespace collapsed), for dry runs and reports.
    public var text: String

    public init(condition: PixelCondition, rectangles: [PixelRectangle], line: Int, text: String) {
        self.condition = condition
        self.rectangles = rectangles
        self.line = line
        self.text = text
    }

    /// The rectangles placed on an image of `columns` x `rows`: negative origins count from the far edge (CTP's
    /// `Regions.getAdjustedRegions`), then everything is clipped to the image; empty ones are dropped.
    public func rectangles(columns: Int, rows: Int) -> [PixelRectangle] {
        rectangles.compactMap { r in
            var placed = r
            if placed.x < 0 { placed.x = max(0, placed.x + columns) }
            if placed.y < 0 { placed.y = max(0, placed.y + rows) }
            return placed.clipped(columns: columns, rows: rows)
        }
    }
}

/// A pixel rules file in CTP's DicomPixelAnonymizer script format: rules tried in order, the first that matches
/// applies.
///
/// ```
/// Free text is a comment.
/// { Modality.equals("US") * Manufacturer.containsIgnoreCase("ACME") }
///   (0,0,640,40) (-100,0,100,20)
/// ```
/// A rule is a condition in braces followed by rectangles `(x,y,w,h)` up to the next rule; `//` starts a comment
/// inside a condition. Parenthesised text outside braces that is not four comma-separated numbers is a comment (as in CTP);
/// rectangles before the first rule are ignored. A rule with no rectangle matches and blanks nothing: it declares
/// the images it matches clean.
public struct PixelRuleScript: Sendable, Hashable {
    public var rules: [PixelRule]

    public init(rules: [PixelRule]) { self.rules = rules }

    /// Parses a rules file.
    /// - Parameters:
    ///   - text: the file's text.
    ///   - file: the file's name, for errors.
    /// - Throws: ``PixelDataError`` `.invalidRules`: `file:line: reason`.
    public init(text: String, file: String) throws(PixelDataError) {
        var parser = PixelRuleParser(text: Array(text.unicodeScalars), file: file)
        rules = try parser.parseScript()
    }

    /// The first rule whose condition `dataSet` satisfies, if any.
    public func firstMatch(_ dataSet: DataSet, order: ByteOrder) -> PixelRule? {
        rules.first { $0.condition.evaluate(dataSet, order: order) }
    }
}
