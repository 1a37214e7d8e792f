import CPosix
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

extension FileIO {
    /// Reads everything from an open descriptor until its end (standard input, a pipe), in 64 KiB reads.
    /// - Throws: ``SystemCallError`` when a read fails.
    package static func readStream(descriptor: Int32) throws(SystemCallError) -> [UInt8] {
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = buffer.withUnsafeMutableBytes { raw in
                retryingOnInterrupt { read(descriptor, raw.baseAddress, raw.count) }
            }
            if count < 0 { throw SystemCallError(reason: "read failed", errno: errno, path: "standard input") }
            if count == 0 { return bytes }
            bytes += buffer[..<count]
        }
    }
}
