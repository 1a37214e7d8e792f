import DICOMCore
import DICOMDictionary

/// Resolves the VR of an element read in an implicit VR transfer syntax (PS3.5 7.1.3, PS3.5 6.2.2 notes).
///
/// Order of rules: group length -> UL; private creator -> LO; private element -> the private dictionary by
/// (creator, group, element byte), else UN; standard dictionary; ambiguous VRs resolved from context
/// (`US or SS` by Pixel Representation, `OB or OW` as OW, which is what Implicit VR Little Endian requires of
/// Pixel Data); anything else UN.
///
/// Generic over its dictionary (not an existential), so the reader's calls into the generated tables stay
/// direct. `VRResolver()` uses ``StandardVRDictionary``.
public struct VRResolver<Dictionary: VRDictionary>: Sendable {
    /// Where the VRs come from.
    public let dictionary: Dictionary

    /// A resolver over `dictionary`.
    public init(dictionary: Dictionary) {
        self.dictionary = dictionary
    }

    /// The VR for `tag`.
    /// - Parameters:
    ///   - creator: the private creator reserving the block, for private elements.
    ///   - pixelRepresentation: (0028,0103) of the enclosing data set, when known.
    public func resolve(_ tag: Tag, creator: String?, pixelRepresentation: UInt16?) -> VR {
        if tag.isGroupLength { return .UL }
        if tag.isPrivate {
            if tag.isPrivateCreator { return .LO }
            if let creator, tag.element >= 0x1000,
               let vr = dictionary.privateVR(creator: creator, group: tag.group,
                                             elementByte: UInt8(truncatingIfNeeded: tag.element)) {
                return vr
            }
            return .UN
        }
        switch dictionary.vr(for: tag) {
        case .single(let vr)?: return vr
        case .usOrSS?: return pixelRepresentation == 1 ? .SS : .US
        case .obOrOW?, .usOrOW?, .usOrSSOrOW?: return .OW
        case nil: return .UN
        }
    }
}

extension VRResolver where Dictionary == StandardVRDictionary {
    /// A resolver over the generated dictionaries (``StandardVRDictionary``).
    public init() {
        self.init(dictionary: StandardVRDictionary())
    }
}
