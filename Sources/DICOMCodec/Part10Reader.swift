import DICOMCore
import FileSystem
import Foundation

/// Reads DICOM files: Part 10 (PS3.10 7.1), meta without preamble, and bare data sets.
public enum Part10Reader {
    /// Reads and parses the file at `path`.
    /// - Throws: ``DICOMError`` naming the file.
    public static func read(contentsOf path: String, options: ReadOptions = ReadOptions()) throws(DICOMError) -> Part10File {
        // The name only goes into errors: made when one is thrown (NSString path handling costs more than parsing
        // a small file's header).
        var name: String { (path as NSString).lastPathComponent }
        let bytes: [UInt8]
        do {
            bytes = try FileIO.readAll(path: path)
        } catch {
            throw DICOMError(.io, file: name, cause: error)
        }
        do throws(DICOMError) {
            return try read(bytes: bytes, options: options)
        } catch {
            throw error.inFile(name)
        }
    }

    /// Parses a whole file held in memory. Values of the result are slices of `bytes`.
    /// - Throws: ``DICOMError``.
    public static func read(bytes: [UInt8], options: ReadOptions = ReadOptions()) throws(DICOMError) -> Part10File {
        try read(bytes: bytes, options: options, dataSetEnd: .endOfBytes)
    }

    /// Parses the start of a file — the first few kilobytes, say — up to and including the top-level element
    /// `last`: enough to learn its SOP Instance UID (0008,0018) without reading the rest.
    /// - Throws: ``DICOMError``, also when the bytes end inside an element before `last` (read more then).
    public static func readHeader(bytes: [UInt8], through last: Tag, options: ReadOptions = ReadOptions()) throws(DICOMError) -> Part10File {
        try read(bytes: bytes, options: options, dataSetEnd: .after(last))
    }

    private static func read(bytes: [UInt8], options: ReadOptions, dataSetEnd: DataSetReader.Termination) throws(DICOMError) -> Part10File {
        let all = bytes[...]
        let parser = DataSetReader(options: options)
        let top = DataSetReader.Context(path: TagPath(), depth: 0, pixelRepresentation: nil)

        let layout: Part10File.Layout
        var metaStart: Int
        if bytes.count >= 132, bytes[128] == 0x44, bytes[129] == 0x49, bytes[130] == 0x43, bytes[131] == 0x4D {
            layout = .part10
            metaStart = 132
        } else if bytes.count >= 8, bytes[0] == 0x02, bytes[1] == 0x00, bytes[3] == 0x00 {
            layout = .metaWithoutPreamble
            metaStart = 0
        } else {
            return try readRawDataSet(all, parser: parser, options: options, dataSetEnd: dataSetEnd)
        }

        // File meta information: Explicit VR Little Endian (PS3.10 7.1), read leniently as implicit when the
        // VR bytes say so.
        let metaEncoding: ElementEncoding = all.count >= metaStart + 6 && VR(byte0: all[metaStart + 4], byte1: all[metaStart + 5]).isWellFormed
            ? .explicitLittle : .implicitLittle
        var reader = ByteReader(all[metaStart...], order: .littleEndian)
        let meta: DataSet
        do {
            meta = try parser.readDataSet(&reader, encoding: metaEncoding, until: .endOfGroup2, context: top)
        } catch {
            throw error.withReason(prefix: "file meta information: ")
        }
        guard !meta.isEmpty else {
            throw DICOMError(.invalidFileMeta, offset: metaStart, reason: "no file meta elements after DICM")
        }
        let dataStart = reader.offset
        let rest = all[dataStart...]

        var transferSyntax: TransferSyntax
        if let tsElement = meta[Tag(0x0002, 0x0010)], let tsBytes = tsElement.bytes {
            let uid = TextDecoding.trimmedASCII(tsBytes)
            guard let ts = TransferSyntax.lookup(uid: uid) else {
                throw DICOMError(.unsupportedTransferSyntax, offset: tsBytes.startIndex,
                                 path: TagPath(Tag(0x0002, 0x0010)), reason: "transfer syntax \(quotedUID(uid)) is not a DICOM transfer syntax")
            }
            transferSyntax = ts
        } else {
            transferSyntax = probeTransferSyntax(rest)
        }

        var file = Part10File(layout: layout, preamble: layout == .part10 ? all[0..<128] : nil, meta: meta,
                              metaEncoding: metaEncoding, dataSet: DataSet(), transferSyntax: transferSyntax)
        if transferSyntax.isDeflated {
            let inflated: [UInt8]
            do {
                inflated = try Deflate.inflate(rest, limit: options.maxInflatedSize)
            } catch {
                throw error.placed(at: dataStart, in: error.path)
            }
            file.dataSetEncoding = actualEncoding(inflated[...], declared: transferSyntax.encoding)
            var dataReader = ByteReader(inflated[...], order: transferSyntax.byteOrder)
            do {
                file.dataSet = try parser.readDataSet(&dataReader, encoding: file.dataSetEncoding,
                                                      until: dataSetEnd, context: top)
            } catch {
                throw error.withReason(suffix: " (offset within the inflated data set)")
            }
            file.deflatedSource = Part10File.DeflatedSource(compressed: rest, inflated: inflated)
        } else {
            file.dataSetEncoding = actualEncoding(rest, declared: transferSyntax.encoding)
            var dataReader = ByteReader(rest, order: file.dataSetEncoding.byteOrder)
            file.dataSet = try parser.readDataSet(&dataReader, encoding: file.dataSetEncoding,
                                                  until: dataSetEnd, context: top)
        }
        return file
    }

    /// Reads a data set with no file meta, probing its encoding; refuses bytes that do not start like a data set.
    private static func readRawDataSet(_ all: ArraySlice<UInt8>, parser: DataSetReader, options: ReadOptions,
                                       dataSetEnd: DataSetReader.Termination) throws(DICOMError) -> Part10File {
        let notDICOM = DICOMError(.notDICOM, offset: 0,
                                  reason: "no DICM marker at offset 128 and no data set at offset 0")
        guard options.allowRawDataSet, all.count >= 8 else { throw notDICOM }
        let ts = probeTransferSyntax(all)
        let groupLE = UInt16(all[0]) | UInt16(all[1]) << 8
        let groupBE = UInt16(all[0]) << 8 | UInt16(all[1])
        let group = ts.byteOrder == .littleEndian ? groupLE : groupBE
        // A data set starts with a low group (0008 for almost every IOD, 0004 for DICOMDIR); anything else is
        // far more likely another kind of file.
        guard (0x0004...0x0028).contains(group) else { throw notDICOM }
        var reader = ByteReader(all, order: ts.byteOrder)
        let top = DataSetReader.Context(path: TagPath(), depth: 0, pixelRepresentation: nil)
        let dataSet: DataSet
        do {
            dataSet = try parser.readDataSet(&reader, encoding: ts.encoding, until: dataSetEnd, context: top)
        } catch {
            throw error.withReason(prefix: "not a Part 10 file; as a bare data set: ")
        }
        return Part10File(layout: .rawDataSet, preamble: nil, meta: DataSet(), dataSet: dataSet, transferSyntax: ts)
    }

    /// The declared encoding, or Implicit VR Little Endian when an explicit syntax is declared but the first
    /// element has no VR where one must be (a known writer bug that pydicom also tolerates).
    static func actualEncoding(_ bytes: ArraySlice<UInt8>, declared: ElementEncoding) -> ElementEncoding {
        guard declared == .explicitLittle, bytes.count >= 8 else { return declared }
        let s = bytes.startIndex
        if VR(byte0: bytes[s + 4], byte1: bytes[s + 5]).isWellFormed { return declared }
        return .implicitLittle
    }

    /// Guesses the encoding of a data set from its first element header.
    static func probeTransferSyntax(_ bytes: ArraySlice<UInt8>) -> TransferSyntax {
        guard bytes.count >= 6 else { return .implicitVRLittleEndian }
        let s = bytes.startIndex
        let vr = VR(byte0: bytes[s + 4], byte1: bytes[s + 5])
        let explicit = VR.allKnown.contains(vr)
        let groupLE = UInt16(bytes[s]) | UInt16(bytes[s + 1]) << 8
        let looksBigEndian = groupLE > 0x00FF && (UInt16(bytes[s]) << 8 | UInt16(bytes[s + 1])) <= 0x00FF
        if explicit { return looksBigEndian ? .explicitVRBigEndian : .explicitVRLittleEndian }
        return .implicitVRLittleEndian
    }
}

extension Part10Reader {
    /// Parses a bare data set encoded in `transferSyntax` (e.g. decrypted Encrypted Content, PS3.15 E.1.2).
    /// The whole buffer must be consumed by complete elements.
    /// - Throws: ``DICOMError``.
    public static func readDataSet(bytes: [UInt8], transferSyntax: TransferSyntax,
                                   options: ReadOptions = ReadOptions()) throws(DICOMError) -> DataSet {
        let parser = DataSetReader(options: options)
        let top = DataSetReader.Context(path: TagPath(), depth: 0, pixelRepresentation: nil)
        if transferSyntax.isDeflated {
            let inflated = try Deflate.inflate(bytes[...], limit: options.maxInflatedSize)
            var reader = ByteReader(inflated[...], order: transferSyntax.byteOrder)
            return try parser.readDataSet(&reader, encoding: transferSyntax.encoding, until: .endOfBytes, context: top)
        }
        var reader = ByteReader(bytes[...], order: transferSyntax.byteOrder)
        return try parser.readDataSet(&reader, encoding: transferSyntax.encoding, until: .endOfBytes, context: top)
    }
}
