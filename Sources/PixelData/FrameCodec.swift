/// An encapsulated transfer syntax whose frames can be decoded and cleaned, and written back in the same syntax.
public protocol FrameCodec: Sendable {
    /// Blanks `rectangles` in one encoded frame (its fragments concatenated) and returns the new encoded frame
    /// (the bytes of one fragment, even length). Pixels outside the rectangles stay exactly as they decode from the
    /// input: bit for bit for lossless codecs; for JPEG baseline and extended, every 8x8 block that touches no
    /// rectangle keeps its DCT coefficients.
    /// - Throws: ``PixelDataError`` `.corruptFrame` for a frame that does not decode, `.codecFailed` when encoding
    ///   fails.
    func redact(frame: [UInt8], description: PixelDescription,
                rectangles: [PixelRectangle]) throws(PixelDataError) -> [UInt8]

    /// Decodes one frame to native little-endian bytes laid out as PS3.5 8.2 describes (for checks and tests).
    /// - Throws: ``PixelDataError`` `.corruptFrame`.
    func decode(frame: [UInt8], description: PixelDescription) throws(PixelDataError) -> [UInt8]

    /// The Photometric Interpretation that describes the frames ``redact(frame:description:rectangles:)`` writes
    /// for an image `description` describes: its own, unless the codec writes another colour transform (JPEG
    /// 2000 writes an irreversibly transformed frame back with the reversible one).
    func photometricInterpretation(afterRedacting description: PixelDescription) -> String
}

extension FrameCodec {
    /// The input's own Photometric Interpretation: most codecs write frames back as they were.
    public func photometricInterpretation(afterRedacting description: PixelDescription) -> String { description.photometric }
}

/// The frame codecs known, by transfer syntax UID.
public struct FrameCodecRegistry: Sendable {
    private let codecs: [String: any FrameCodec]

    public init(codecs: [String: any FrameCodec]) {
        self.codecs = codecs
    }

    /// The codec for `transferSyntaxUID`, or nil when this toolkit cannot write such frames back.
    public func codec(for transferSyntaxUID: String) -> (any FrameCodec)? { codecs[transferSyntaxUID] }

    /// The transfer syntaxes with a codec.
    public var transferSyntaxUIDs: [String] { codecs.keys.sorted() }

    /// This registry with `more` added (replacing codecs for the same transfer syntax).
    public func adding(_ more: [String: any FrameCodec]) -> FrameCodecRegistry {
        FrameCodecRegistry(codecs: codecs.merging(more) { _, new in new })
    }
}
