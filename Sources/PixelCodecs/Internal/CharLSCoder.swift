internal import CCharLS
import PixelData

/// A JPEG-LS frame decoded by CharLS: the samples (8-bit, or 16-bit little endian above 8 bits; one plane per
/// component when the scan was not interleaved, else interleaved by pixel) and what is needed to encode it the same
/// way again.
struct JPEGLSImage {
    var layout: SampleLayout
    var bitsPerSample: Int
    /// NEAR (ISO/IEC 14495-1 C.2.3); 0 for lossless.
    var near: Int
    var samples: [UInt8]
    fileprivate var interleave: charls_interleave_mode
    fileprivate var presets: charls_jpegls_pc_parameters
    fileprivate var transformation: charls_color_transformation
}

/// CharLS 2.4's C API (`charls_jpegls_decoder`, `charls_jpegls_encoder`). Every failure is a return code.
enum CharLSCoder {
    /// Decodes `frame` after checking its header against `expect` (columns, rows, components).
    /// - Throws: ``PixelDataError`` `.corruptFrame`.
    static func decode(_ frame: [UInt8], expect: (columns: Int, rows: Int, components: Int)) throws(PixelDataError) -> JPEGLSImage {
        guard let decoder = charls_jpegls_decoder_create() else { throw PixelDataError(.codecFailed, "CharLS: out of memory") }
        defer { charls_jpegls_decoder_destroy(decoder) }
        let outcome = frame.withUnsafeBytes { source -> Result<JPEGLSImage, PixelDataError> in
            Result { () throws(PixelDataError) -> JPEGLSImage in
                guard let base = source.baseAddress, !source.isEmpty else { throw PixelDataError(.corruptFrame, "empty JPEG-LS frame") }
                // CharLS 2.4 spends seconds on a stream cut short before it gives up: refuse those up front.
                guard endsWithEOI(frame) else {
                    throw PixelDataError(.corruptFrame, "JPEG-LS frame does not end with EOI (FF D9): truncated")
                }
                try check(charls_jpegls_decoder_set_source_buffer(decoder, base, source.count), .corruptFrame)
                try check(charls_jpegls_decoder_read_header(decoder), .corruptFrame)
                var info = charls_frame_info()
                try check(charls_jpegls_decoder_get_frame_info(decoder, &info), .corruptFrame)
                guard Int(info.width) == expect.columns, Int(info.height) == expect.rows, Int(info.component_count) == expect.components else {
                    throw PixelDataError(.corruptFrame, "JPEG-LS frame is \(info.width) x \(info.height) with \(info.component_count) components, "
                                         + "the image pixel description says \(expect.columns) x \(expect.rows) with \(expect.components)")
                }
                guard (2...16).contains(info.bits_per_sample) else {
                    throw PixelDataError(.corruptFrame, "JPEG-LS frame of \(info.bits_per_sample) bits per sample")
                }
                var near: Int32 = 0, interleave = charls_interleave_mode(0), presets = charls_jpegls_pc_parameters()
                var transformation = charls_color_transformation(0)
                try check(charls_jpegls_decoder_get_near_lossless(decoder, 0, &near), .corruptFrame)
                try check(charls_jpegls_decoder_get_interleave_mode(decoder, &interleave), .corruptFrame)
                try check(charls_jpegls_decoder_get_preset_coding_parameters(decoder, 0, &presets), .corruptFrame)
                try check(charls_jpegls_decoder_get_color_transformation(decoder, &transformation), .corruptFrame)
                let layout = SampleLayout(columns: expect.columns, rows: expect.rows, components: expect.components,
                                          bytesPerSample: info.bits_per_sample > 8 ? 2 : 1,
                                          planar: expect.components > 1 && interleave == CHARLS_INTERLEAVE_MODE_NONE)
                var size = 0
                try check(charls_jpegls_decoder_get_destination_size(decoder, 0, &size), .corruptFrame)
                guard size == layout.byteCount else { throw PixelDataError(.corruptFrame, "JPEG-LS frame needs \(size) bytes, expected \(layout.byteCount)") }
                var samples = [UInt8](repeating: 0, count: size)
                let status = samples.withUnsafeMutableBytes { buffer in
                    buffer.baseAddress.map { charls_jpegls_decoder_decode_to_buffer(decoder, $0, buffer.count, 0) } ?? CHARLS_JPEGLS_ERRC_INVALID_ARGUMENT
                }
                try check(status, .corruptFrame)
                return JPEGLSImage(layout: layout, bitsPerSample: Int(info.bits_per_sample), near: Int(near), samples: samples,
                                   interleave: interleave, presets: presets, transformation: transformation)
            }
        }
        return try outcome.get()
    }

    /// Encodes `image` with its bit depth, interleave mode, NEAR, preset coding parameters and colour transformation.
    /// - Throws: ``PixelDataError`` `.codecFailed`.
    static func encode(_ image: JPEGLSImage) throws(PixelDataError) -> [UInt8] {
        guard let encoder = charls_jpegls_encoder_create() else { throw PixelDataError(.codecFailed, "CharLS: out of memory") }
        defer { charls_jpegls_encoder_destroy(encoder) }
        var info = charls_frame_info(width: UInt32(image.layout.columns), height: UInt32(image.layout.rows),
                                     bits_per_sample: Int32(image.bitsPerSample), component_count: Int32(image.layout.components))
        try check(charls_jpegls_encoder_set_frame_info(encoder, &info), .codecFailed)
        try check(charls_jpegls_encoder_set_near_lossless(encoder, Int32(image.near)), .codecFailed)
        if image.layout.components > 1 { try check(charls_jpegls_encoder_set_interleave_mode(encoder, image.interleave), .codecFailed) }
        var presets = image.presets
        if presets.maximum_sample_value != 0 || presets.threshold1 != 0 || presets.threshold2 != 0 || presets.threshold3 != 0
            || presets.reset_value != 0 {
            try check(charls_jpegls_encoder_set_preset_coding_parameters(encoder, &presets), .codecFailed)
        }
        if image.transformation != CHARLS_COLOR_TRANSFORMATION_NONE {
            try check(charls_jpegls_encoder_set_color_transformation(encoder, image.transformation), .codecFailed)
        }
        var estimate = 0
        try check(charls_jpegls_encoder_get_estimated_destination_size(encoder, &estimate), .codecFailed)
        var output = [UInt8](repeating: 0, count: estimate)
        let outcome = output.withUnsafeMutableBytes { destination -> Result<Int, PixelDataError> in
            Result { () throws(PixelDataError) -> Int in
                guard let base = destination.baseAddress else { throw PixelDataError(.codecFailed, "CharLS: no destination buffer") }
                try check(charls_jpegls_encoder_set_destination_buffer(encoder, base, destination.count), .codecFailed)
                let status = image.samples.withUnsafeBytes { source in
                    source.baseAddress.map { charls_jpegls_encoder_encode_from_buffer(encoder, $0, source.count, 0) } ?? CHARLS_JPEGLS_ERRC_INVALID_ARGUMENT
                }
                try check(status, .codecFailed)
                var written = 0
                try check(charls_jpegls_encoder_get_bytes_written(encoder, &written), .codecFailed)
                return written
            }
        }
        return Array(output.prefix(try outcome.get()))
    }

    /// Whether `frame` ends with the EOI marker, after the 00 bytes that pad a fragment to even length.
    static func endsWithEOI(_ frame: [UInt8]) -> Bool {
        var end = frame.count
        while end > 0, frame[end - 1] == 0 { end -= 1 }
        return end >= 2 && frame[end - 2] == 0xFF && frame[end - 1] == 0xD9
    }

    private static func check(_ status: charls_jpegls_errc, _ code: PixelDataError.Code) throws(PixelDataError) {
        guard status != CHARLS_JPEGLS_ERRC_SUCCESS else { return }
        let text = charls_get_error_message(status).map { String(cString: $0) } ?? "error \(status.rawValue)"
        throw PixelDataError(code, "CharLS: \(text)")
    }
}
