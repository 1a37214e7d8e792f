import Deidentification
import ProfileFiles

/// A private tag knowledge base: a disposition per private attribute (group, private creator, element byte),
/// shown in the inventory beside the profile's action, as TCIA's DICOM Tag Sniffer shows its Private Tag
/// Knowledge Base beside each private element it finds (Profiles/private/tcia-private-tag-kb-2024-02-01.csv).
public struct PrivateTagKnowledgeBase: Sendable {
    /// How reports name it (the file name).
    public var name: String
    /// The label shown for each listed attribute, such as `keep (TCIA k)`.
    public var labels: [PrivateAttributeKey: String]

    public init(name: String, labels: [PrivateAttributeKey: String]) {
        self.name = name
        self.labels = labels
    }

    /// What the report shows for a private attribute the base does not list.
    public static let notListed = "not listed"

    /// A disposition file (`--private-dispositions` format) as a base: each line's action, with the source's own
    /// code when its comment starts with one (`keep (TCIA k)` for `TCIA k; ...`).
    /// - Throws: ``ProfileFileError`` naming the file and line.
    public static func load(path: String) throws(ProfileFileError) -> PrivateTagKnowledgeBase {
        var labels: [PrivateAttributeKey: String] = [:]
        for entry in try PrivateDispositions.loadEntries(path: path) {
            let source = entry.comment.split(separator: ";", maxSplits: 1).first.map(String.init) ?? ""
            labels[entry.key] = source.hasPrefix("TCIA ") ? "\(entry.actionName) (\(source))" : entry.actionName
        }
        return PrivateTagKnowledgeBase(name: String(path.split(separator: "/").last ?? Substring(path)), labels: labels)
    }
}

extension Inventory {
    /// Sets each private data element row's ``Row/knowledgeBase`` to the base's label for its last step (a row
    /// inside a sequence is judged by its own attribute, as a disposition rule applies at every depth), or
    /// ``PrivateTagKnowledgeBase/notListed``; other rows get none.
    public mutating func annotate(with base: PrivateTagKnowledgeBase) {
        var byKey: [String: String] = [:]
        for (key, label) in base.labels {
            byKey[InventoryAccumulator.privateDataKey(group: key.group, creator: key.creator, elementByte: key.elementByte)] = label
        }
        knowledgeBase = base.name
        for index in rows.indices where rows[index].key.wholeMatch(of: /\([0-9A-F]{4},".*",[0-9A-F]{2}\)/) != nil {
            rows[index].knowledgeBase = byKey[rows[index].key] ?? PrivateTagKnowledgeBase.notListed
        }
    }
}
