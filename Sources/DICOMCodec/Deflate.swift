import CZlib

/// Raw DEFLATE (RFC 1951) for the Deflated Explicit VR Little Endian transfer syntax (PS3.5 A.5).
enum Deflate {
    /// Inflates `input`; accepts raw deflate (what PS3.5 A.5 requires) and, leniently, a zlib-wrapped stream.
    static func inflate(_ input: ArraySlice<UInt8>, limit: Int) throws(DICOMError) -> [UInt8] {
        do {
            return try inflate(input, windowBits: -MAX_WBITS, limit: limit)
        } catch let first {
            if first.code == .deflateFailed, !first.reason.contains("limit"),
               let wrapped = try? inflate(input, windowBits: MAX_WBITS, limit: limit) {
                return wrapped
            }
            throw first
        }
    }

    private static func inflate(_ input: ArraySlice<UInt8>, windowBits: Int32, limit: Int) throws(DICOMError) -> [UInt8] {
        var stream = z_stream()
        guard inflateInit2_(&stream, windowBits, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw DICOMError(.deflateFailed, reason: "zlib could not start inflating")
        }
        defer { inflateEnd(&stream) }
        // The first buffer never exceeds the limit, so the limit check below holds for small limits too.
        var output = [UInt8](repeating: 0, count: Swift.max(1, Swift.min(limit, Swift.max(4096, input.count * 4))))
        var produced = 0
        var status: Int32 = Z_OK
        var input = Array(input)
        let inputCount = input.count
        input.withUnsafeMutableBufferPointer { inBuf in
            stream.next_in = inBuf.baseAddress
            stream.avail_in = UInt32(inputCount)
            while true {
                if produced == output.count {
                    if output.count >= limit { status = Z_BUF_ERROR; return }
                    output.append(contentsOf: repeatElement(0, count: Swift.min(output.count, limit - output.count)))
                }
                output.withUnsafeMutableBufferPointer { outBuf in
                    stream.next_out = outBuf.baseAddress.map { $0 + produced }
                    stream.avail_out = UInt32(outBuf.count - produced)
                    status = CZlib.inflate(&stream, Z_NO_FLUSH)
                    produced = outBuf.count - Int(stream.avail_out)
                }
                if status == Z_STREAM_END || status != Z_OK { return }
                if stream.avail_in == 0 && produced < output.count { status = Z_DATA_ERROR; return }
            }
        }
        if status == Z_BUF_ERROR && produced >= limit {
            throw DICOMError(.deflateFailed, reason: "inflated data set exceeds the limit of \(limit) bytes")
        }
        guard status == Z_STREAM_END else {
            throw DICOMError(.deflateFailed, reason: "deflated data set is corrupt or truncated (zlib status \(status))")
        }
        output.removeSubrange(produced...)
        return output
    }

    /// Deflates `input` as raw DEFLATE.
    static func deflate(_ input: [UInt8]) throws(DICOMError) -> [UInt8] {
        var stream = z_stream()
        guard deflateInit2_(&stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY,
                            ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw DICOMError(.deflateFailed, reason: "zlib could not start deflating")
        }
        defer { deflateEnd(&stream) }
        let bound = Int(deflateBound(&stream, UInt(input.count)))
        var output = [UInt8](repeating: 0, count: bound + 64)
        var input = input
        let inputCount = input.count
        var status: Int32 = Z_OK
        var produced = 0
        input.withUnsafeMutableBufferPointer { inBuf in
            output.withUnsafeMutableBufferPointer { outBuf in
                stream.next_in = inBuf.baseAddress
                stream.avail_in = UInt32(inputCount)
                stream.next_out = outBuf.baseAddress
                stream.avail_out = UInt32(outBuf.count)
                status = CZlib.deflate(&stream, Z_FINISH)
                produced = outBuf.count - Int(stream.avail_out)
            }
        }
        guard status == Z_STREAM_END else {
            throw DICOMError(.deflateFailed, reason: "zlib deflate failed (status \(status))")
        }
        output.removeSubrange(produced...)
        return output
    }
}
