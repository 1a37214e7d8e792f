import PixelData

/// One word read in a frame.
public struct DetectedWord: Sendable, Hashable {
    /// What Tesseract read (UTF-8; may hold OCR errors).
    public var text: String
    /// Where, in the frame's pixel coordinates.
    public var box: PixelRectangle
    /// Tesseract's confidence, 0 to 100.
    public var confidence: Double

    public init(text: String, box: PixelRectangle, confidence: Double) {
        self.text = text
        self.box = box
        self.confidence = confidence
    }
}
