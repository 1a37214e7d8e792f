import DICOMCore

/// What checking one file found, and what the key decrypted to find it (for the re-identification audit trail).
public struct LeftoverCheckResult: Sendable {
    /// The findings, structure first, then values in file order; empty when the file is clean.
    public var findings: [LeftoverFinding]
    /// How the key fared with the Encrypted Attributes; nil when no key was used.
    public var decryption: Decryption?
    /// What OCR read in the pixels (`--ocr`); nil when they were not read (no `--ocr`, no Pixel Data, or unreadable).
    public var pixelScan: PixelTextScan?
    /// Why the pixels could not be read (`--ocr`): the file is then not fully checked.
    public var unreadablePixels: LeftoverCheckError?

    /// The key's use on one file: decrypting the originals is a re-identification, recorded like one.
    public enum Decryption: Sendable, Equatable {
        /// Item `item` (from 1) opened; `restoredTags` are the original attributes it holds (tags, never values).
        case opened(item: Int, restoredTags: [Tag])
        /// No item opened with the key: why, in one line.
        case failed(String)
    }

    public init(findings: [LeftoverFinding], decryption: Decryption? = nil) {
        self.findings = findings
        self.decryption = decryption
    }
}
