/// What the de-identifier does to each file: the profile, whether a de-identified file may get a second layer,
/// and whether burned-in text is cleaned.
public struct DeidentificationPolicy: Sendable {
    /// The Basic Profile options (CID 7050) of the built-in profile, and those a profile file claims.
    public var options: Set<ProfileOption>
    /// A profile from a file or script; nil for the built-in Basic Profile with ``options``.
    public var profile: Profile?
    /// Accept input that is already de-identified, adding a second Encrypted Attributes item.
    public var allowRepeat: Bool
    /// `--clean-pixel-data`: blank burned-in text by rules and ultrasound regions (PS3.15 E.3.1); nil leaves
    /// the pixels alone.
    public var cleanPixelData: PixelCleaningSettings?

    public init(options: Set<ProfileOption> = [], profile: Profile? = nil, allowRepeat: Bool = false,
                cleanPixelData: PixelCleaningSettings? = nil) {
        self.options = options
        self.profile = profile
        self.allowRepeat = allowRepeat
        self.cleanPixelData = cleanPixelData
    }
}
