import DICOMCore

/// A DICOM file as read: preamble, file meta information and data set (PS3.10 7.1).
public struct Part10File: Sendable {
    /// How the file was laid out on disk.
    public enum Layout: Hashable, Sendable {
        /// 128-byte preamble, `DICM`, file meta information, data set (PS3.10 7.1).
        case part10
        /// File meta information at offset 0 without preamble or `DICM` (not conformant, seen in the wild).
        case metaWithoutPreamble
        /// A bare data set with no file meta information (not a Part 10 file; some archives hold them).
        case rawDataSet
    }

    public var layout: Layout
    /// The 128 preamble bytes as read (PS3.10 7.1), nil when the file had none.
    public var preamble: ArraySlice<UInt8>?
    /// File Meta Information, group 0002 (PS3.10 7.1), including (0002,0000) and unknown elements as read.
    public var meta: DataSet
    /// The encoding the meta group was read in: Explicit VR Little Endian, unless the file was non-conformant.
    public var metaEncoding: ElementEncoding
    /// The data set.
    public var dataSet: DataSet
    /// The transfer syntax of the data set (from (0002,0010), or probed for raw data sets).
    public var transferSyntax: TransferSyntax
    /// The encoding the data set is actually in: that of ``transferSyntax``, except for the non-conformant files
    /// whose meta names an explicit VR syntax but whose data set is implicit VR (read as such, as pydicom does).
    public var dataSetEncoding: ElementEncoding
    /// For deflated files: the compressed bytes and what they inflated to, so an unchanged data set is written
    /// back with the original compressed stream rather than a re-compression that differs in bytes.
    var deflatedSource: DeflatedSource?

    struct DeflatedSource: Sendable {
        var compressed: ArraySlice<UInt8>
        var inflated: [UInt8]
    }

    public init(layout: Layout = .part10, preamble: ArraySlice<UInt8>? = nil, meta: DataSet,
                metaEncoding: ElementEncoding = .explicitLittle, dataSet: DataSet, transferSyntax: TransferSyntax) {
        self.layout = layout
        self.preamble = preamble
        self.meta = meta
        self.metaEncoding = metaEncoding
        self.dataSet = dataSet
        self.transferSyntax = transferSyntax
        self.dataSetEncoding = transferSyntax.encoding
    }
}
