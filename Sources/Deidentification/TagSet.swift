import DICOMCore

/// A small set of tags kept as a sorted array: membership by binary search, no hashing.
///
/// For the per-file sets of the hot path (the top-level attributes a file's de-identification changed): a
/// `Set<Tag>` hashes each tag with SipHash on every insert and look-up, some 300 instructions, and a small
/// file makes about 300 of them (issue 23). Tags arrive mostly in ascending order, so most inserts append.
struct TagSet {
    private var tags: [Tag] = []

    init() {}

    /// The set of `tags`, in any order, duplicates allowed.
    init(_ tags: some Sequence<Tag>) {
        for tag in tags { insert(tag) }
    }

    /// Adds `tag` unless it is there already.
    mutating func insert(_ tag: Tag) {
        guard let last = tags.last, !(last < tag) else {
            tags.append(tag)
            return
        }
        let position = insertionIndex(of: tag)
        if position < tags.count, tags[position] == tag { return }
        tags.insert(tag, at: position)
    }

    func contains(_ tag: Tag) -> Bool {
        let position = insertionIndex(of: tag)
        return position < tags.count && tags[position] == tag
    }

    /// The index of the first tag not below `tag`.
    private func insertionIndex(of tag: Tag) -> Int {
        var low = 0, high = tags.count
        while low < high {
            let mid = (low + high) / 2
            if tags[mid] < tag { low = mid + 1 } else { high = mid }
        }
        return low
    }
}
