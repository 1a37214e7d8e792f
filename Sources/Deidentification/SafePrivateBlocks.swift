import DICOMCodec
import DICOMCore
import DICOMDictionary

/// Which private elements are safe to keep under the Retain Safe Private Option (PS3.15 E.3.10): those on
/// the Table E.3.10-1 list, and those the instance itself declares non-identifying in its Private Data
/// Element Characteristics Sequence (0008,0300), PS3.3 C.12.1.1.7.
struct SafePrivateBlocks: Sendable {
    private struct BlockKey: Hashable {
        let group: UInt16
        let creator: String
    }
    /// Blocks with Block Identifying Information Status SAFE.
    private var safeBlocks = Set<BlockKey>()
    /// Element bytes listed in Nonidentifying Private Elements, per block.
    private var safeElements: [BlockKey: Set<UInt8>] = [:]

    init(_ dataSet: DataSet, order: ByteOrder) {
        guard let sequence = dataSet[Tag(0x0008, 0x0300)]?.sequence else { return }
        for item in sequence.items {
            let ds = item.dataSet
            guard let group = ds[Tag(0x0008, 0x0301)]?.uint16s(order).first,
                  let creator = ds[Tag(0x0008, 0x0302)]?.string() else { continue }
            let key = BlockKey(group: group, creator: creator)
            let status = ds[Tag(0x0008, 0x0303)]?.string()
            if status == "SAFE" { safeBlocks.insert(key) }
            if let listed = ds[Tag(0x0008, 0x0304)]?.uint16s(order) {
                safeElements[key, default: []].formUnion(listed.map { UInt8(truncatingIfNeeded: $0) })
            }
        }
    }

    /// Whether private element `tag` of the block reserved by `creator` may be kept.
    func isSafe(_ tag: Tag, creator: String) -> Bool {
        let byte = UInt8(truncatingIfNeeded: tag.element)
        if SafePrivateAttributes.isSafe(creator: creator, group: tag.group, elementByte: byte) { return true }
        let key = BlockKey(group: tag.group, creator: creator)
        return safeBlocks.contains(key) || safeElements[key]?.contains(byte) == true
    }
}
