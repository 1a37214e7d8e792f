/// How frames are prepared for Tesseract and which Tesseract is used. The defaults are the preparations that
/// measurably found more words on the generated corpus (`Scripts/make-ocr-corpus.py`; docs/text-detection.md
/// has the numbers).
public struct TextDetectionOptions: Sendable, Hashable {
    /// Each image is enlarged this many times before it is read (1 to 4): small annotation text (8 to 12 pixels)
    /// is below the size Tesseract reads well.
    public var scale: Int = 2
    /// Whether each image is also read inverted (light text on a dark ground, as most burned-in text is).
    public var invertedPass: Bool = true
    /// Whether colour frames are also read plane by plane (red, green, blue), besides their luminance. Off: the
    /// chroma plane finds more for less (docs/text-detection.md).
    public var colourPlanes: Bool = false
    /// Whether colour frames are also read as their chroma (largest colour component less the smallest), where
    /// coloured text stands out from grey speckle; skipped for frames without colour (chroma at most
    /// ``TextDetector/greyChroma`` everywhere).
    public var chromaPlane: Bool = true
    /// How Tesseract turns each image into black and white before reading it (`thresholding_method`).
    public var thresholding: Thresholding = .sauvola
    /// Tesseract's own inversion of lines it reads badly (`tessedit_do_invert`).
    public var tesseractInverts: Bool = false
    /// How many times ``TextDetector/rectangles(in:rows:redaction:classifier:)`` reads a frame again with what it chose
    /// so far blanked, as the output will look, while a reading adds something: text that its blanked neighbours
    /// hid (read as one line with them, or not at all) is read then. 0 reads once.
    public var rereadsAfterBlanking: Int = 2
    /// Tesseract's language code.
    public var language: String = "eng"
    /// The directory with `<language>.traineddata`; nil for Tesseract's default (`TESSDATA_PREFIX`, else its
    /// built-in directory).
    public var dataDirectory: String?

    public init() {}

    /// Tesseract's binarisation methods.
    public enum Thresholding: Int, Sendable, Hashable, CaseIterable {
        /// One threshold for the whole image (Otsu): text over a grey body part is lost with the body.
        case otsu = 0
        /// Leptonica's local adaptive Otsu.
        case localAdaptive = 1
        /// Sauvola's local threshold, from each neighbourhood's mean and deviation.
        case sauvola = 2
    }
}
