import Hashing
import DICOMCodec
import FileSystem

/// An input file read once, and its keyed digest computed from the same bytes when a job needs one.
enum InputFile {
    /// The file at `path`, parsed, and with `digestKey` the HMAC-SHA-256 of its bytes under that key.
    /// - Throws: ``DICOMError`` naming the file, as ``Part10Reader/read(contentsOf:options:)``.
    static func read(_ path: String, digestKey: [UInt8]?) throws(DICOMError) -> (file: Part10File, digest: [UInt8]?) {
        guard let digestKey else { return (try Part10Reader.read(contentsOf: path), nil) }
        let name = path.split(separator: "/").last.map(String.init) ?? path
        let bytes: [UInt8]
        do {
            bytes = try FileIO.readAll(path: path)
        } catch {
            throw DICOMError(.io, file: name, cause: error)
        }
        let digest = KeyedDigest.hmacSHA256(key: digestKey, message: bytes)
        do throws(DICOMError) {
            return (try Part10Reader.read(bytes: bytes), digest)
        } catch {
            throw error.inFile(name)
        }
    }
}
