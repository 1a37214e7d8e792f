import DICOMCodec
import DICOMCore

/// What the Image Pixel Module says of the pixels (PS3.3 C.7.6.3): enough to find, decode and blank every frame.
public struct PixelDescription: Sendable, Hashable {
    public var rows: Int
    public var columns: Int
    /// 1 or 3.
    public var samplesPerPixel: Int
    /// 1, 8, 16 or 32.
    public var bitsAllocated: Int
    public var bitsStored: Int
    public var highBit: Int
    /// 0 unsigned, 1 two's complement.
    public var pixelRepresentation: Int
    /// 0 colour-by-pixel, 1 colour-by-plane (only meaningful with 3 samples).
    public var planarConfiguration: Int
    /// e.g. `MONOCHROME2`, `RGB`, `YBR_FULL_422`, `PALETTE COLOR`.
    public var photometric: String
    /// Number of Frames (0028,0008), 1 when absent.
    public var numberOfFrames: Int

    public init(rows: Int, columns: Int, samplesPerPixel: Int, bitsAllocated: Int, bitsStored: Int, highBit: Int,
                pixelRepresentation: Int, planarConfiguration: Int, photometric: String, numberOfFrames: Int) {
        self.rows = rows
        self.columns = columns
        self.samplesPerPixel = samplesPerPixel
        self.bitsAllocated = bitsAllocated
        self.bitsStored = bitsStored
        self.highBit = highBit
        self.pixelRepresentation = pixelRepresentation
        self.planarConfiguration = planarConfiguration
        self.photometric = photometric
        self.numberOfFrames = numberOfFrames
    }

    /// Reads and checks the Image Pixel attributes of `dataSet` (`order`: the data set's byte order).
    /// - Throws: ``PixelDataError`` `.invalidDescription` naming the attribute that is missing or out of range.
    public init(_ dataSet: DataSet, order: ByteOrder) throws(PixelDataError) {
        func us(_ element: UInt16, _ name: String, default value: Int? = nil) throws(PixelDataError) -> Int {
            if let read = dataSet[Tag(0x0028, element)]?.uint16s(order).first { return Int(read) }
            if let value { return value }
            throw PixelDataError(.invalidDescription, "\(name) (0028,\(hex4(element))) is missing")
        }
        rows = try us(0x0010, "Rows")
        columns = try us(0x0011, "Columns")
        samplesPerPixel = try us(0x0002, "Samples per Pixel")
        bitsAllocated = try us(0x0100, "Bits Allocated")
        bitsStored = try us(0x0101, "Bits Stored", default: bitsAllocated)
        highBit = try us(0x0102, "High Bit", default: bitsStored - 1)
        pixelRepresentation = try us(0x0103, "Pixel Representation", default: 0)
        planarConfiguration = try us(0x0006, "Planar Configuration", default: 0)
        photometric = dataSet[Tag(0x0028, 0x0004)]?.strings().first ?? ""
        let frames = dataSet[Tag(0x0028, 0x0008)]?.strings().first.map { Int($0) } ?? 1
        guard let frames else { throw PixelDataError(.invalidDescription, "Number of Frames (0028,0008) is not a number") }
        numberOfFrames = frames
        try validate()
    }

    private func validate() throws(PixelDataError) {
        guard rows >= 1, columns >= 1 else {
            throw PixelDataError(.invalidDescription, "Rows and Columns must be at least 1 (\(rows) x \(columns))")
        }
        guard samplesPerPixel == 1 || samplesPerPixel == 3 else {
            throw PixelDataError(.invalidDescription, "Samples per Pixel \(samplesPerPixel) (1 or 3 expected)")
        }
        guard [1, 8, 16, 32].contains(bitsAllocated) else {
            throw PixelDataError(.invalidDescription, "Bits Allocated \(bitsAllocated) (1, 8, 16 or 32 expected)")
        }
        guard bitsStored >= 1, bitsStored <= bitsAllocated, highBit < bitsAllocated else {
            throw PixelDataError(.invalidDescription, "Bits Stored \(bitsStored) / High Bit \(highBit) do not fit Bits Allocated \(bitsAllocated)")
        }
        guard pixelRepresentation == 0 || pixelRepresentation == 1 else {
            throw PixelDataError(.invalidDescription, "Pixel Representation \(pixelRepresentation) (0 or 1 expected)")
        }
        guard planarConfiguration == 0 || planarConfiguration == 1 else {
            throw PixelDataError(.invalidDescription, "Planar Configuration \(planarConfiguration) (0 or 1 expected)")
        }
        guard numberOfFrames >= 1, numberOfFrames <= 1 << 20 else {
            throw PixelDataError(.invalidDescription, "Number of Frames \(numberOfFrames)")
        }
        guard !photometric.isEmpty else {
            throw PixelDataError(.invalidDescription, "Photometric Interpretation (0028,0004) is missing")
        }
        // A frame must have a size that can be computed without overflow.
        let (pixels, overflow) = rows.multipliedReportingOverflow(by: columns)
        guard !overflow, pixels <= 1 << 30 else {
            throw PixelDataError(.invalidDescription, "\(rows) x \(columns) pixels per frame is too many")
        }
    }

    /// The most samples (rows x columns x samples per pixel) a frame may have to be decoded (by the codecs, or
    /// for text detection): 2^28, 16384 x 16384 grey. A decoded frame takes 4 to 8 bytes per sample in the
    /// libraries, and a lying header must not make them allocate tens of gigabytes.
    public static let maximumDecodedFrameSamples = 1 << 28

    /// Rows x columns x samples per pixel.
    public var frameSamples: Int { rows * columns * samplesPerPixel }

    /// Bytes of one frame of native (uncompressed) pixel data (PS3.5 8.2). With Bits Allocated 1 frames are bit
    /// packed; YBR_FULL_422 holds two luminance and one pair of chrominance samples per two pixels.
    public var nativeFrameLength: Int {
        let pixels = rows * columns
        if bitsAllocated == 1 { return (pixels * samplesPerPixel + 7) / 8 }
        let bytesPerSample = bitsAllocated / 8
        if photometric == "YBR_FULL_422" { return pixels * 2 * bytesPerSample }
        return pixels * samplesPerPixel * bytesPerSample
    }
}
