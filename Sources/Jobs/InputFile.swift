import DICOMCodec
import FileSystem

/// An input file read once into memory and parsed from there, for a job that needs the bytes too (to digest
/// them): the same errors as ``Part10Reader/read(contentsOf:options:)``.
enum InputFile {
    /// The whole file.
    /// - Throws: ``DICOMError`` `.io` naming the file.
    static func read(_ path: String) throws(DICOMError) -> [UInt8] {
        do {
            return try FileIO.readAll(path: path)
        } catch {
            throw DICOMError(.io, file: name(path), cause: error)
        }
    }

    /// `bytes`, the file at `path`, parsed.
    /// - Throws: ``DICOMError`` naming the file.
    static func parse(_ bytes: [UInt8], path: String) throws(DICOMError) -> Part10File {
        do throws(DICOMError) {
            return try Part10Reader.read(bytes: bytes)
        } catch {
            throw error.inFile(name(path))
        }
    }

    private static func name(_ path: String) -> String {
        path.split(separator: "/", omittingEmptySubsequences: true).last.map(String.init) ?? path
    }
}
