import PixelData

/// How `--clean-pixel-data` cleans burned-in text (PS3.15 E.3.1, Clean Pixel Data Option, 113101).
public struct PixelCleaningSettings: Sendable {
    /// The pixel rules (CTP DicomPixelAnonymizer format); the first that matches a file applies.
    public var rules: PixelRuleScript
    /// The codecs for encapsulated transfer syntaxes; a syntax without one is refused, never passed through.
    public var registry: FrameCodecRegistry
    /// Write files likely to carry burned-in text that no rule or region covers, unblanked and without claiming
    /// the option, instead of refusing them.
    public var acceptUncleaned: Bool
    /// `--detect-text`: every image's frames read by OCR after the rules and regions (nil: off).
    public var textDetection: TextDetectionSettings?

    public init(rules: PixelRuleScript, registry: FrameCodecRegistry = .builtIn, acceptUncleaned: Bool = false,
                textDetection: TextDetectionSettings? = nil) {
        self.rules = rules
        self.registry = registry
        self.acceptUncleaned = acceptUncleaned
        self.textDetection = textDetection
    }
}
