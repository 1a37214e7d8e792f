/// Where the writer puts encoded bytes: a flat array, or ``ChunkedBytes``, which borrows large values from
/// the input instead of copying them.
public protocol ByteSink {
    /// Bytes written so far.
    var written: Int { get }
    mutating func write(_ byte: UInt8)
    mutating func write(_ bytes: ArraySlice<UInt8>)
    /// Appends a few bytes held in a temporary buffer (an element header), in one call rather than one per byte.
    mutating func write(header bytes: UnsafeRawBufferPointer)
    /// Replaces an already written byte (length fields patched after their container is written).
    mutating func overwrite(_ byte: UInt8, at offset: Int)
}

extension ByteSink {
    /// Appends the bytes one by one, for sinks that have nothing faster.
    public mutating func write(header bytes: UnsafeRawBufferPointer) {
        for byte in bytes { write(byte) }
    }
}

extension Array: ByteSink where Element == UInt8 {
    public var written: Int { count }
    public mutating func write(_ byte: UInt8) { append(byte) }
    public mutating func write(_ bytes: ArraySlice<UInt8>) { append(contentsOf: bytes) }
    public mutating func write(header bytes: UnsafeRawBufferPointer) { append(contentsOf: bytes) }
    public mutating func overwrite(_ byte: UInt8, at offset: Int) { self[offset] = byte }
}

/// Counts bytes without keeping them: the encoded length of a data set (group lengths, size hints).
package struct ByteCounter: ByteSink {
    package private(set) var written = 0
    package init() {}
    package mutating func write(_ byte: UInt8) { written += 1 }
    package mutating func write(_ bytes: ArraySlice<UInt8>) { written += bytes.count }
    package mutating func write(header bytes: UnsafeRawBufferPointer) { written += bytes.count }
    package mutating func overwrite(_ byte: UInt8, at offset: Int) {}
}

/// Encoded output as a list of chunks: small runs of headers and values are copied into owned buffers,
/// values of at least ``borrowThreshold`` bytes (pixel data above all) are kept as slices of the input, so
/// writing a file copies them once, from the input buffer to the kernel.
public struct ChunkedBytes: ByteSink, Sendable {
    /// Values this long or longer are borrowed rather than copied.
    public static let borrowThreshold = 16 * 1024

    private enum Chunk: Sendable {
        case owned([UInt8])
        case borrowed(ArraySlice<UInt8>)
    }

    private var chunks: [Chunk] = []
    private var starts: [Int] = []
    private var current: [UInt8] = []
    public private(set) var written = 0

    public init() {
        current.reserveCapacity(4096)
    }

    public mutating func write(_ byte: UInt8) {
        current.append(byte)
        written += 1
    }

    public mutating func write(_ bytes: ArraySlice<UInt8>) {
        if bytes.count >= Self.borrowThreshold {
            flush()
            starts.append(written)
            chunks.append(.borrowed(bytes))
        } else {
            current.append(contentsOf: bytes)
        }
        written += bytes.count
    }

    public mutating func write(header bytes: UnsafeRawBufferPointer) {
        current.append(contentsOf: bytes)
        written += bytes.count
    }

    public mutating func overwrite(_ byte: UInt8, at offset: Int) {
        let currentStart = written - current.count
        if offset >= currentStart {
            current[offset - currentStart] = byte
            return
        }
        // Length fields are always in owned chunks: find the chunk that holds `offset`.
        var low = 0, high = starts.count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if starts[mid] <= offset { low = mid } else { high = mid - 1 }
        }
        guard case .owned(var buffer) = chunks[low] else {
            preconditionFailure("a length field inside a borrowed value")
        }
        chunks[low] = .owned([])         // drop the second reference, so the write below does not copy
        buffer[offset - starts[low]] = byte
        chunks[low] = .owned(buffer)
    }

    private mutating func flush() {
        guard !current.isEmpty else { return }
        starts.append(written - current.count)
        chunks.append(.owned(current))
        current = []
        current.reserveCapacity(4096)
    }

    /// The chunks in order, for ``FileIO/writeTemporary(chunks:inDirectory:mode:sync:)``.
    public var slices: [ArraySlice<UInt8>] {
        var out = chunks.map { chunk -> ArraySlice<UInt8> in
            switch chunk {
            case .owned(let bytes): return bytes[...]
            case .borrowed(let slice): return slice
            }
        }
        if !current.isEmpty { out.append(current[...]) }
        return out
    }

    /// All bytes in one array (a copy).
    public var flattened: [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(written)
        for slice in slices { out.append(contentsOf: slice) }
        return out
    }
}
