import PixelData

/// One word read in a frame.
public struct DetectedWord: Sendable, Hashable {
    /// What Tesseract read (UTF-8; may hold OCR errors).
    public var text: String
    /// Where, in the frame's pixel coordinates.
    public var box: PixelRectangle
    /// Tesseract's confidence, 0 to 100.
    public var confidence: Double
    /// Whether the box's pixels look like a band of text (ink of one value in a band of character height,
    /// unlike speckle): a word read below ``TextRedaction/confidenceFloor`` is blanked only when it is.
    /// Set by ``TextDetector``; false for words made by hand unless given.
    public var textLike: Bool

    public init(text: String, box: PixelRectangle, confidence: Double, textLike: Bool = false) {
        self.text = text
        self.box = box
        self.confidence = confidence
        self.textLike = textLike
    }
}
