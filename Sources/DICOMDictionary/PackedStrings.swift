/// A generated string table: all strings concatenated in one literal, with the UTF-8 offset where
/// each ends.
///
/// The generator writes this rather than a `[String]` literal because the optimizer is quadratic in
/// the element count of the latter (minutes for a few thousand strings with `-O`).
struct PackedStrings: Sendable {
    /// The concatenated strings.
    let text: String
    /// `ends[i]` is the UTF-8 offset just past string `i`; string `i` starts where `i - 1` ends.
    let ends: [UInt32]

    var count: Int { ends.count }

    /// UTF-8 offsets of string `index`.
    private func bounds(_ index: Int) -> Range<Int> {
        (index == 0 ? 0 : Int(ends[index - 1]))..<Int(ends[index])
    }

    /// String `index`; allocates only for strings longer than the small-string limit.
    subscript(index: Int) -> String {
        let range = bounds(index)
        if let string = text.utf8.withContiguousStorageIfAvailable({ bytes in
            String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
        }) {
            return string
        }
        let utf8 = text.utf8
        let start = utf8.index(utf8.startIndex, offsetBy: range.lowerBound)
        let end = utf8.index(start, offsetBy: range.count)
        return String(decoding: utf8[start..<end], as: UTF8.self)
    }

    /// Whether string `index` is empty, without building it.
    func isEmpty(_ index: Int) -> Bool { bounds(index).isEmpty }

    /// Three-way comparison of string `index` with `key` by UTF-8 bytes (the generator's sort order):
    /// negative, zero or positive. No allocation.
    func compare(_ index: Int, _ key: Substring) -> Int {
        let range = bounds(index)
        if let order = text.utf8.withContiguousStorageIfAvailable({ bytes in
            Self.compare(bytes[range], key.utf8)
        }) {
            return order
        }
        let utf8 = text.utf8
        let start = utf8.index(utf8.startIndex, offsetBy: range.lowerBound)
        let end = utf8.index(start, offsetBy: range.count)
        return Self.compare(utf8[start..<end], key.utf8)
    }

    /// Index of `key` in a table sorted by UTF-8 bytes, by binary search.
    func index(of key: Substring) -> Int? {
        var low = 0
        var high = count
        while low < high {
            let mid = low + (high - low) / 2
            let order = compare(mid, key)
            if order == 0 { return mid }
            if order < 0 { low = mid + 1 } else { high = mid }
        }
        return nil
    }

    private static func compare(_ lhs: some Sequence<UInt8>, _ rhs: some Sequence<UInt8>) -> Int {
        var left = lhs.makeIterator()
        var right = rhs.makeIterator()
        while true {
            switch (left.next(), right.next()) {
            case (nil, nil): return 0
            case (nil, _): return -1
            case (_, nil): return 1
            case let (a?, b?):
                if a != b { return a < b ? -1 : 1 }
            }
        }
    }
}
