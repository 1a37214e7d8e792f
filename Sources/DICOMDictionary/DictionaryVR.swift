import DICOMCore

/// The VR the data dictionary gives an attribute (PS3.6 Table 6-1).
///
/// Most attributes have one VR. A few have a choice that only the data set can settle (PS3.5 A.1 c):
/// `US or SS` depends on Pixel Representation, `OB or OW` on the transfer syntax and Bits Allocated.
/// A reader of implicit VR data keeps such an element ambiguous until that context is known.
/// Entries PS3.6 gives no VR (the `(FFFE,E000)` item tags, a few retired rows) are `.single(.UN)`.
public enum DictionaryVR: Hashable, Sendable {
    /// Exactly one VR.
    case single(VR)
    /// `US or SS`, e.g. Smallest Image Pixel Value `(0028,0106)`.
    case usOrSS
    /// `OB or OW`, e.g. Overlay Data `(60xx,3000)`.
    case obOrOW
    /// `US or OW`.
    case usOrOW
    /// `US or SS or OW`.
    case usOrSSOrOW

    /// Every VR the entry allows, in PS3.6's order.
    public var candidates: [VR] {
        switch self {
        case .single(let vr): return [vr]
        case .usOrSS: return [.US, .SS]
        case .obOrOW: return [.OB, .OW]
        case .usOrOW: return [.US, .OW]
        case .usOrSSOrOW: return [.US, .SS, .OW]
        }
    }

    /// The VR when there is exactly one, else `nil`.
    public var single: VR? {
        if case .single(let vr) = self { return vr }
        return nil
    }
}
