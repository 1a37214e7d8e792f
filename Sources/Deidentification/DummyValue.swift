import DICOMCore
import DICOMDictionary

/// Dummy values for action D: non-empty, valid for the VR, carrying no identity (PS3.15 E.1.1).
enum DummyValue {
    /// Value bytes for an element of `vr` whose original value was `original`: text dummies, or zeros as long as
    /// the original's whole values (zeros read the same in either byte order).
    static func bytes(for vr: VR, original: ArraySlice<UInt8>) -> [UInt8] {
        switch vr {
        case .PN: return text("ANONYMIZED", vr)
        case .LO, .SH, .LT, .ST, .UT, .UC, .AE: return text("ANONYMIZED", vr)
        case .CS: return text("ANONYMIZED", vr)
        case .DA: return text("19000101", vr)
        case .DT: return text("19000101000000.000000", vr)
        case .TM: return text("000000.00", vr)
        case .DS, .IS: return text("0", vr)
        case .AS: return text("000Y", vr)
        case .UR: return text("urn:x-anonymized", vr)
        case .UI: return text("2.25.0", vr)
        case .US, .SS, .AT: return [UInt8](repeating: 0, count: max(2, original.count - original.count % 2))
        case .UL, .SL, .FL: return [UInt8](repeating: 0, count: max(4, original.count - original.count % 4))
        case .FD, .SV, .UV: return [UInt8](repeating: 0, count: max(8, original.count - original.count % 8))
        default: return [0, 0]
        }
    }

    /// `value` padded to even length with the VR's padding byte.
    static func text(_ value: String, _ vr: VR) -> [UInt8] {
        ValuePadding.padded(Array(value.utf8), for: vr)
    }
}
