extension InventoryReport {
    /// The inventory JSON as the report reads it (`<report>/inventory.json`, schema in docs/review.md).
    ///
    /// Only `rows` and each row's `key` are required: the page renders whatever else is present, so a newer
    /// inventory with extra fields, or an older one without some, still gives a page.
    struct Document: Decodable {
        var tool: String?
        var files: Int?
        var failedFiles: Int?
        /// Files found in folders that are not DICOM (not counted in `files`).
        var skippedFiles: Int?
        var profile: String?
        var distinctValueCap: Int?
        var summary: Summary?
        var rows: [Row]
        var fileFlags: [FileFlags]?
        /// The private tag knowledge base whose dispositions rows carry, if any.
        var knowledgeBase: String?
    }

    /// Counts of files by SOP class name, modality and manufacturer.
    struct Summary: Decodable {
        var sopClasses: [String: Int]?
        var modalities: [String: Int]?
        var manufacturers: [String: Int]?
    }

    /// One distinct attribute key (standard tag, or group + private creator + element byte) under one path pattern.
    struct Row: Decodable {
        var key: String
        var keyword: String?
        var path: String?
        var vrs: [String]?
        var files: Int?
        var occurrences: Int?
        var distinctValues: Int?
        var distinctIsEstimate: Bool?
        var minLength: Int?
        var maxLength: Int?
        var action: String?
        var rule: String?
        var origin: String?
        var flags: [String]?
        /// Example values, present only when the inventory ran with `--show-values` (they are PHI).
        var examples: [String]?
        /// The knowledge base's disposition of a private data element (`keep (TCIA k)`, `not listed`).
        var knowledgeBase: String?
    }

    /// Flags that concern a whole file (burned-in annotation, a modality or SOP class that often carries it).
    struct FileFlags: Decodable {
        var file: String
        var flags: [String]?
        var modality: String?
        var sopClass: String?
        /// With `--ocr`: words read in the pixels, header identifiers among them, lines that look identifying.
        var textBoxes: Int?
        var matchedTerms: Int?
        var identifyingLines: Int?
    }
}
