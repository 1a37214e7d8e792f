import PixelData

/// The frame codecs of this toolkit: those PixelData writes itself plus those behind C libraries here.
///
/// | Transfer syntax | Codec | How frames are cleaned |
/// | --- | --- | --- |
/// | 1.2.840.10008.1.2.4.50 JPEG Baseline | ``JPEGBaselineCodec`` | DCT blocks under the rectangles set flat: their entropy codes rewritten, every other block's bits copied (libjpeg-turbo transcodes progressive frames) |
/// | 1.2.840.10008.1.2.4.51 JPEG Extended | ``JPEGBaselineCodec`` | the same; 8-bit only (12-bit refused) |
/// | 1.2.840.10008.1.2.4.80 JPEG-LS Lossless | ``JPEGLSCodec`` | decoded, blanked, re-encoded losslessly (CharLS) |
/// | 1.2.840.10008.1.2.4.81 JPEG-LS Near-Lossless | ``JPEGLSCodec`` | decoded, blanked, re-encoded losslessly (NEAR 0, which .81 allows), so no further loss |
/// | 1.2.840.10008.1.2.4.90 JPEG 2000 Lossless | ``JPEG2000Codec`` | decoded, blanked, re-encoded reversibly (OpenJPEG) |
/// | 1.2.840.10008.1.2.4.91 JPEG 2000 | ``JPEG2000Codec`` | decoded, blanked, re-encoded reversibly (5/3) |
///
/// JPEG Lossless (Process 14, 1.2.840.10008.1.2.4.57, and its first-order prediction form
/// 1.2.840.10008.1.2.4.70) has no codec: libjpeg-turbo 2.1.5 (Debian 12's libjpeg62-turbo) does not implement the
/// lossless process, so such frames can be neither decoded nor written back, and the engine refuses those files
/// under `--clean-pixel-data` rather than pass them through unblanked. The same holds for every transfer syntax
/// not in ``registry``.
///
/// Every codec here refuses (`.unsupportedTransferSyntax`) a frame of more than 2^28 samples (rows x columns x
/// samples per pixel; 16384 x 16384 grey), which the libraries would decode into gigabytes, and checks the frame's
/// own header against the image pixel description (`.corruptFrame` when they disagree) before decoding it.
public enum PixelCodecs {
    /// The codecs of this toolkit's C-library-backed transfer syntaxes, by transfer syntax UID.
    public static let codecs: [String: any FrameCodec] = [
        JPEGBaselineCodec.baselineUID: JPEGBaselineCodec(),
        JPEGBaselineCodec.extendedUID: JPEGBaselineCodec(),
        JPEGLSCodec.losslessUID: JPEGLSCodec(),
        JPEGLSCodec.nearLosslessUID: JPEGLSCodec(nearLosslessPolicy: .lossless),
        JPEG2000Codec.losslessUID: JPEG2000Codec(),
        JPEG2000Codec.lossyUID: JPEG2000Codec(),
    ]

    /// Every frame codec: PixelData's built-in ones (RLE) and ``codecs``.
    public static let registry: FrameCodecRegistry = FrameCodecRegistry.builtIn.adding(codecs)
}
