import IdentifyingTerms
import PixelData

/// What OCR read in the pixels of one file (``PixelTextReader``): how much text, and which identifying terms of
/// the original it holds, where.
public struct PixelTextScan: Sendable, Hashable {
    /// An identifying term of the original read in a frame.
    public struct Match: Sendable, Hashable {
        public var term: IdentifierTerm
        /// The frame, from 0.
        public var frame: Int
        /// The words that match, in the frame's pixel coordinates (the whole line when the term is spread over
        /// its words: `DOE,JANE` read as `DOE,` `JANE`).
        public var box: PixelRectangle
        /// The line as read (PHI: print only when asked).
        public var read: String
        /// Whether the term is read as written (case aside; a date in any written form), not only approximately
        /// (OCR confusions, an edit, a word cut short).
        public var exact: Bool

        public init(term: IdentifierTerm, frame: Int, box: PixelRectangle, read: String, exact: Bool = true) {
            self.term = term
            self.frame = frame
            self.box = box
            self.read = read
            self.exact = exact
        }
    }

    /// Frames read.
    public var frames: Int
    /// Words read (OCR boxes), over every frame.
    public var textBoxes: Int
    /// Lines ``TextDetection/TextLineClassifier`` finds identifying (a header value, a date, a long number, an
    /// identity label), over every frame.
    public var identifyingLines: Int
    /// The identifying terms read, frame by frame, top to bottom.
    public var matches: [Match]

    public init(frames: Int = 0, textBoxes: Int = 0, identifyingLines: Int = 0, matches: [Match] = []) {
        self.frames = frames
        self.textBoxes = textBoxes
        self.identifyingLines = identifyingLines
        self.matches = matches
    }
}
