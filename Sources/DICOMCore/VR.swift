/// A value representation: the two ASCII characters of PS3.5 6.2, kept as read.
///
/// Unknown codes survive a round trip unchanged; ``usesLongLength`` follows PS3.5 7.1.2 and treats codes it
/// does not know as the long form, as the standard requires of VRs defined after a reader was written.
public struct VR: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The two bytes, first character in the high byte.
    public let rawValue: UInt16

    @inlinable
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    /// Creates a VR from two characters, e.g. `VR("PN")`.
    public init(_ code: StaticString) {
        precondition(code.utf8CodeUnitCount == 2, "a VR is two characters")
        let p = code.utf8Start
        self.rawValue = UInt16(p[0]) << 8 | UInt16(p[1])
    }

    /// Creates a VR from its two bytes as they appear in an explicit VR header.
    @inlinable
    public init(byte0: UInt8, byte1: UInt8) { self.rawValue = UInt16(byte0) << 8 | UInt16(byte1) }

    @inlinable
    public var byte0: UInt8 { UInt8(truncatingIfNeeded: rawValue >> 8) }
    @inlinable
    public var byte1: UInt8 { UInt8(truncatingIfNeeded: rawValue) }

    /// Both bytes are upper-case ASCII letters, the shape of every VR the standard defines.
    @inlinable
    public var isWellFormed: Bool {
        (0x41...0x5A).contains(byte0) && (0x41...0x5A).contains(byte1)
    }

    public var description: String {
        isWellFormed ? String(decoding: [byte0, byte1], as: UTF8.self) : "0x" + hex4(rawValue)
    }
}

extension VR {
    // Computed and inlinable rather than stored: a stored static is reached through an accessor call from other
    // modules, and these are compared on every element read or written.
    @inlinable public static var AE: VR { VR(rawValue: 0x4145) }  // "AE"
    @inlinable public static var AS: VR { VR(rawValue: 0x4153) }  // "AS"
    @inlinable public static var AT: VR { VR(rawValue: 0x4154) }  // "AT"
    @inlinable public static var CS: VR { VR(rawValue: 0x4353) }  // "CS"
    @inlinable public static var DA: VR { VR(rawValue: 0x4441) }  // "DA"
    @inlinable public static var DS: VR { VR(rawValue: 0x4453) }  // "DS"
    @inlinable public static var DT: VR { VR(rawValue: 0x4454) }  // "DT"
    @inlinable public static var FD: VR { VR(rawValue: 0x4644) }  // "FD"
    @inlinable public static var FL: VR { VR(rawValue: 0x464C) }  // "FL"
    @inlinable public static var IS: VR { VR(rawValue: 0x4953) }  // "IS"
    @inlinable public static var LO: VR { VR(rawValue: 0x4C4F) }  // "LO"
    @inlinable public static var LT: VR { VR(rawValue: 0x4C54) }  // "LT"
    @inlinable public static var OB: VR { VR(rawValue: 0x4F42) }  // "OB"
    @inlinable public static var OD: VR { VR(rawValue: 0x4F44) }  // "OD"
    @inlinable public static var OF: VR { VR(rawValue: 0x4F46) }  // "OF"
    @inlinable public static var OL: VR { VR(rawValue: 0x4F4C) }  // "OL"
    @inlinable public static var OV: VR { VR(rawValue: 0x4F56) }  // "OV"
    @inlinable public static var OW: VR { VR(rawValue: 0x4F57) }  // "OW"
    @inlinable public static var PN: VR { VR(rawValue: 0x504E) }  // "PN"
    @inlinable public static var SH: VR { VR(rawValue: 0x5348) }  // "SH"
    @inlinable public static var SL: VR { VR(rawValue: 0x534C) }  // "SL"
    @inlinable public static var SQ: VR { VR(rawValue: 0x5351) }  // "SQ"
    @inlinable public static var SS: VR { VR(rawValue: 0x5353) }  // "SS"
    @inlinable public static var ST: VR { VR(rawValue: 0x5354) }  // "ST"
    @inlinable public static var SV: VR { VR(rawValue: 0x5356) }  // "SV"
    @inlinable public static var TM: VR { VR(rawValue: 0x544D) }  // "TM"
    @inlinable public static var UC: VR { VR(rawValue: 0x5543) }  // "UC"
    @inlinable public static var UI: VR { VR(rawValue: 0x5549) }  // "UI"
    @inlinable public static var UL: VR { VR(rawValue: 0x554C) }  // "UL"
    @inlinable public static var UN: VR { VR(rawValue: 0x554E) }  // "UN"
    @inlinable public static var UR: VR { VR(rawValue: 0x5552) }  // "UR"
    @inlinable public static var US: VR { VR(rawValue: 0x5553) }  // "US"
    @inlinable public static var UT: VR { VR(rawValue: 0x5554) }  // "UT"
    @inlinable public static var UV: VR { VR(rawValue: 0x5556) }  // "UV"

    /// Every VR defined by PS3.5 (2024e).
    public static let allKnown: Set<VR> = [
        .AE, .AS, .AT, .CS, .DA, .DS, .DT, .FD, .FL, .IS, .LO, .LT, .OB, .OD, .OF, .OL, .OV, .OW, .PN,
        .SH, .SL, .SQ, .SS, .ST, .SV, .TM, .UC, .UI, .UL, .UN, .UR, .US, .UT, .UV,
    ]

    /// The explicit VR header uses 2 reserved bytes and a 32-bit length (PS3.5 Table 7.1-1) rather than a
    /// 16-bit length (Table 7.1-2). Unknown VRs take the long form.
    @inlinable
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
    @inlinable
    public var isText: Bool {
        switch self {
        case .AE, .AS, .CS, .DA, .DS, .DT, .IS, .LO, .LT, .PN, .SH, .ST, .TM, .UC, .UI, .UR, .UT: return true
        default: return false
        }
    }

    /// Bytes per binary word whose order depends on the transfer syntax; 1 for text and byte data.
    @inlinable
    public var wordSize: Int {
        switch self {
        case .US, .SS, .OW, .AT: return 2
        case .UL, .SL, .FL, .OF, .OL: return 4
        case .FD, .OD, .SV, .UV, .OV: return 8
        default: return 1
        }
    }

    /// The byte used to pad an odd-length value to even length (PS3.5 6.2): NUL for UI and binary, space for text.
    @inlinable
    public var paddingByte: UInt8 {
        if self == .UI { return 0 }
        return isText ? 0x20 : 0
    }
}
