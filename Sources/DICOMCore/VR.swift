/// A value representation: the two ASCII characters of PS3.5 6.2, kept as read.
///
/// Unknown codes survive a round trip unchanged; ``usesLongLength`` follows PS3.5 7.1.2 and treats codes it
/// does not know as the long form, as the standard requires of VRs defined after a reader was written.
public struct VR: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The two bytes, first character in the high byte.
    public let rawValue: UInt16

    public init(rawValue: UInt16) { self.rawValue = rawValue }

    /// Creates a VR from two characters, e.g. `VR("PN")`.
    public init(_ code: StaticString) {
        precondition(code.utf8CodeUnitCount == 2, "a VR is two characters")
        let p = code.utf8Start
        self.rawValue = UInt16(p[0]) << 8 | UInt16(p[1])
    }

    /// Creates a VR from its two bytes as they appear in an explicit VR header.
    public init(byte0: UInt8, byte1: UInt8) { self.rawValue = UInt16(byte0) << 8 | UInt16(byte1) }

    public var byte0: UInt8 { UInt8(truncatingIfNeeded: rawValue >> 8) }
    public var byte1: UInt8 { UInt8(truncatingIfNeeded: rawValue) }

    /// Both bytes are upper-case ASCII letters, the shape of every VR the standard defines.
    public var isWellFormed: Bool {
        (0x41...0x5A).contains(byte0) && (0x41...0x5A).contains(byte1)
    }

    public var description: String {
        isWellFormed ? String(decoding: [byte0, byte1], as: UTF8.self) : "0x" + hex4(rawValue)
    }
}

extension VR {
    public static let AE = VR("AE"), AS = VR("AS"), AT = VR("AT"), CS = VR("CS"), DA = VR("DA"), DS = VR("DS")
    public static let DT = VR("DT"), FD = VR("FD"), FL = VR("FL"), IS = VR("IS"), LO = VR("LO"), LT = VR("LT")
    public static let OB = VR("OB"), OD = VR("OD"), OF = VR("OF"), OL = VR("OL"), OV = VR("OV"), OW = VR("OW")
    public static let PN = VR("PN"), SH = VR("SH"), SL = VR("SL"), SQ = VR("SQ"), SS = VR("SS"), ST = VR("ST")
    public static let SV = VR("SV"), TM = VR("TM"), UC = VR("UC"), UI = VR("UI"), UL = VR("UL"), UN = VR("UN")
    public static let UR = VR("UR"), US = VR("US"), UT = VR("UT"), UV = VR("UV")

    /// Every VR defined by PS3.5 (2024e).
    public static let allKnown: Set<VR> = [
        .AE, .AS, .AT, .CS, .DA, .DS, .DT, .FD, .FL, .IS, .LO, .LT, .OB, .OD, .OF, .OL, .OV, .OW, .PN,
        .SH, .SL, .SQ, .SS, .ST, .SV, .TM, .UC, .UI, .UL, .UN, .UR, .US, .UT, .UV,
    ]

    /// The explicit VR header uses 2 reserved bytes and a 32-bit length (PS3.5 Table 7.1-1) rather than a
    /// 16-bit length (Table 7.1-2). Unknown VRs take the long form.
    public var usesLongLength: Bool {
        switch self {
        case .AE, .AS, .AT, .CS, .DA, .DS, .DT, .FD, .FL, .IS, .LO, .LT, .PN, .SH, .SL, .SS, .ST, .TM, .UI,
             .UL, .US:
            return false
        default:
            return true
        }
    }

    /// Text VRs whose value is a character string (PS3.5 6.2).
    public var isText: Bool {
        switch self {
        case .AE, .AS, .CS, .DA, .DS, .DT, .IS, .LO, .LT, .PN, .SH, .ST, .TM, .UC, .UI, .UR, .UT: return true
        default: return false
        }
    }

    /// Bytes per binary word whose order depends on the transfer syntax; 1 for text and byte data.
    public var wordSize: Int {
        switch self {
        case .US, .SS, .OW, .AT: return 2
        case .UL, .SL, .FL, .OF, .OL: return 4
        case .FD, .OD, .SV, .UV, .OV: return 8
        default: return 1
        }
    }

    /// The byte used to pad an odd-length value to even length (PS3.5 6.2): NUL for UI and binary, space for text.
    public var paddingByte: UInt8 {
        if self == .UI { return 0 }
        return isText ? 0x20 : 0
    }
}
