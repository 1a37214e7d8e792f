import DICOMCore

/// Attribute Types per IOD, for choosing between the alternatives of compound Table E.1-1 action codes
/// (`X/Z`, `X/D`, `Z/D`, `X/Z/D`, `X/Z/U*`, PS3.15 E.1.1).
///
/// Covers only the attributes Table E.1-1 lists (with the sequences leading to them). Data: highdicom
/// 0.28.2's SOP Class -> IOD -> module maps and module attribute tables, keywords resolved with the
/// 2024e data dictionary. All modules of an IOD count, whatever their usage (M, C or U): an attribute of a
/// User-optional module is still "in the IOD".
public enum IODAttributeTypes {
    /// The IOD key of a SOP Class UID, e.g. `1.2.840.10008.5.1.4.1.1.2` -> `ct-image`.
    /// - Parameter uid: a SOP Class UID (a trailing NUL or space is ignored).
    public static func iodKey(forSOPClassUID uid: String) -> String? {
        guard let index = IODTables.sopClassUIDs.index(of: LookupKey.trimmed(uid)) else { return nil }
        return IODTables.iodKeys[Int(IODTables.sopIODs[index])]
    }

    /// The Type of every attribute of the IOD that Table E.1-1 lists, merged over the IOD's modules;
    /// where modules disagree the stronger requirement wins (1 > 1C > 2 > 2C > 3).
    ///
    /// Keys are tag paths: the sequences leading to the attribute, then the attribute itself, e.g.
    /// `[ReferencedSeriesSequence, SeriesInstanceUID]`. Built on each call; callers cache it per IOD.
    /// Returns an empty dictionary for an unknown key.
    /// - Parameter key: an IOD key from ``iodKey(forSOPClassUID:)``.
    public static func types(forIOD key: String) -> [[Tag]: AttributeType] {
        guard let iod = IODTables.iodKeys.index(of: key[...]) else { return [:] }
        var result: [[Tag]: AttributeType] = [:]
        let modules = IODTables.iodModules[Int(IODTables.iodStarts[iod])..<Int(IODTables.iodStarts[iod + 1])]
        for module in modules {
            let entries = Int(IODTables.moduleStarts[Int(module)])..<Int(IODTables.moduleStarts[Int(module) + 1])
            for entry in IODTables.moduleEntries[entries] {
                guard let type = AttributeType(rawValue: UInt8(entry & 0x7)) else { continue }
                let path = tagPath(node: Int(entry >> 3))
                if let existing = result[path], existing <= type { continue }
                result[path] = type
            }
        }
        return result
    }

    /// Every IOD key, sorted.
    public static var iodKeys: [String] { (0..<IODTables.iodKeys.count).map { IODTables.iodKeys[$0] } }

    /// The tags from the top level down to `node`.
    static func tagPath(node: Int) -> [Tag] {
        var path: [Tag] = []
        var current = node + 1
        while current > 0 {
            path.append(Tag(IODTables.pathTags[current - 1]))
            current = Int(IODTables.pathParents[current - 1])
        }
        return path.reversed()
    }
}
