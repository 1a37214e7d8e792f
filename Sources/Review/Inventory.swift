/// The inventory of a collection: one row per attribute key and path pattern, flags per file, and a summary.
/// Its JSON form (``InventoryWriter``) is what the HTML report reads.
public struct Inventory: Codable, Sendable {
    /// Counts by SOP class name, modality and manufacturer.
    public struct Summary: Codable, Sendable, Equatable {
        public var sopClasses: [String: Int] = [:]
        public var modalities: [String: Int] = [:]
        public var manufacturers: [String: Int] = [:]
        public init() {}
    }

    /// One attribute key at one sequence path pattern, over every file.
    public struct Row: Codable, Sendable, Equatable {
        /// `(0010,0010)`, or `(0019,"SIEMENS MR HEADER",0C)` for a private attribute.
        public var key: String
        /// The PS3.6 keyword; empty for private and unknown attributes.
        public var keyword: String
        /// Keywords (or keys) joined by `[*].`: `ReferencedStudySequence[*].ReferencedSOPInstanceUID`.
        public var path: String
        public var vrs: [String]
        public var files: Int
        public var occurrences: Int
        public var distinctValues: Int
        public var distinctIsEstimate: Bool
        /// Value lengths in bytes (text without its trailing padding); nil for sequences.
        public var minLength: Int?
        public var maxLength: Int?
        /// The profile's action, or `mixed` when files disagree (then ``rule`` and ``origin`` are the most
        /// frequent ones).
        public var action: String
        public var rule: String
        public var origin: String
        /// ``InventoryFlag`` raw values.
        public var flags: [String]
        /// Example values: only with show-values, at most ``InventoryOptions/exampleLimit``.
        public var examples: [String]?
        /// A private data element's disposition in the knowledge base given (``PrivateTagKnowledgeBase``), or
        /// `not listed`; nil for other rows and without a base.
        public var knowledgeBase: String? = nil
    }

    /// A file whose pixels may carry burned-in text.
    public struct FileFlags: Codable, Sendable, Equatable {
        public var file: String
        public var flags: [String]
        public var modality: String
        public var sopClass: String
        /// With `--ocr`: words OCR read in the pixels, over every frame (nil without `--ocr` or when unreadable).
        public var textBoxes: Int? = nil
        /// With `--ocr`: identifiers of the file's own header read in the pixels (occurrences, over every frame).
        public var matchedTerms: Int? = nil
        /// With `--ocr`: lines read that look identifying (a header value, a date, a long number, an identity label).
        public var identifyingLines: Int? = nil
    }

    public var tool: String
    /// Files inventoried or failed.
    public var files: Int
    /// Files that could not be read or planned.
    public var failedFiles: Int
    /// Files found in folders that are not DICOM (not in ``files``).
    public var skippedFiles: Int
    public var profile: String
    public var distinctValueCap: Int
    public var summary: Summary
    public var rows: [Row]
    public var fileFlags: [FileFlags]
    /// The private tag knowledge base shown beside the profile's actions (its file name), if any.
    public var knowledgeBase: String? = nil
}

/// What the inventory points out to a curator.
public enum InventoryFlag: String, Sendable, CaseIterable {
    /// A free-text VR (LO, LT, ST, UT, SH, PN, UC) the profile keeps in at least one file.
    case freeTextKept
    /// A private attribute the profile keeps in at least one file.
    case privateKept
    /// A private attribute whose creator neither the private dictionary nor a rule of the profile names.
    case unknownCreator
    /// An attribute the data dictionary (standard or private) does not list.
    case notInDictionary
    /// Per file: Burned In Annotation (0028,0301) is YES.
    case burnedInAnnotation
    /// Per file: a modality that often carries burned-in text (US, SC, XA, RF, ES).
    case burnedInModality
    /// Per file: a secondary capture, video or encapsulated document SOP class.
    case burnedInSOPClass
    /// Per file (`--ocr`): OCR read text in the pixels.
    case textInPixels
    /// Per file (`--ocr`): OCR read an identifier of the header, or a line that looks identifying, in the pixels:
    /// a person must look at them before release.
    case identifyingTextInPixels
    /// Per file (`--ocr`): the pixels could not be read for text (PALETTE COLOR, a corrupt frame): look at them.
    case pixelsNotRead
}
