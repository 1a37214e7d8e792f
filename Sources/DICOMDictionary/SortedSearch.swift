/// Binary search over the sorted integer tables.
enum SortedSearch {
    /// Index of `key` in `table[range]`, which is sorted ascending; `nil` when absent.
    @inline(__always)
    static func index<T: FixedWidthInteger>(of key: T, in table: [T], range: Range<Int>) -> Int? {
        var low = range.lowerBound
        var high = range.upperBound
        while low < high {
            let mid = low &+ (high &- low) >> 1
            let value = table[mid]
            if value == key { return mid }
            if value < key { low = mid &+ 1 } else { high = mid }
        }
        return nil
    }

    /// Index of `key` in the whole sorted `table`.
    @inline(__always)
    static func index<T: FixedWidthInteger>(of key: T, in table: [T]) -> Int? {
        index(of: key, in: table, range: 0..<table.count)
    }
}
