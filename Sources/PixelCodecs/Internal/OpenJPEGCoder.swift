internal import COpenJPEG
import PixelData

/// A JPEG 2000 frame decoded by OpenJPEG: one plane of samples per component (colour components after the inverse
/// multiple component transform), and what is needed to encode it again alike.
struct JPEG2000Image {
    struct Component {
        var precision: Int
        var isSigned: Bool
        /// Row by row, `columns` x `rows` values.
        var samples: [Int32]
    }

    var columns: Int
    var rows: Int
    var components: [Component]
    /// Whether the codestream used a multiple component transform (RCT or ICT).
    var usesComponentTransform: Bool
    /// Resolution levels of the codestream's default coding style (decomposition levels + 1), 0 when unknown.
    var resolutions: Int
}

/// OpenJPEG 2.5 over memory streams (the stream callbacks are in Sources/COpenJPEG/shim.h).
enum OpenJPEGCoder {
    /// Decodes a J2K codestream (or, leniently, a JP2 file) after checking it against `expect`.
    /// - Throws: ``PixelDataError`` `.corruptFrame`, `.unsupportedTransferSyntax` for subsampled components.
    static func decode(_ frame: [UInt8], expect: (columns: Int, rows: Int, components: Int)) throws(PixelDataError) -> JPEG2000Image {
        let format: OPJ_CODEC_FORMAT
        if frame.starts(with: [0xFF, 0x4F, 0xFF, 0x51]) {
            format = OPJ_CODEC_J2K
        } else if frame.starts(with: [0x00, 0x00, 0x00, 0x0C, 0x6A, 0x50, 0x20, 0x20]) {
            format = OPJ_CODEC_JP2
        } else {
            throw PixelDataError(.corruptFrame, "not a JPEG 2000 codestream (no SOC and SIZ markers at its start)")
        }
        let messages = UnsafeMutablePointer<shim_opj_messages>.allocate(capacity: 1)
        defer { messages.deallocate() }
        let memory = UnsafeMutablePointer<shim_opj_memory>.allocate(capacity: 1)
        defer { memory.deallocate() }
        guard let codec = opj_create_decompress(format) else { throw PixelDataError(.codecFailed, "OpenJPEG: out of memory") }
        defer { opj_destroy_codec(codec) }
        shim_opj_capture_messages(codec, messages)
        var parameters = opj_dparameters_t()
        opj_set_default_decoder_parameters(&parameters)
        // A truncated codestream is an error, not a partly grey image.
        guard opj_setup_decoder(codec, &parameters) != 0, opj_decoder_set_strict_mode(codec, 1) != 0 else {
            throw failure(.codecFailed, "cannot set up the decoder", messages)
        }
        let outcome = frame.withUnsafeBytes { bytes -> Result<JPEG2000Image, PixelDataError> in
            Result { () throws(PixelDataError) -> JPEG2000Image in
                memory.initialize(to: shim_opj_memory(input: bytes.baseAddress?.assumingMemoryBound(to: UInt8.self), output: nil,
                                                      length: bytes.count, capacity: 0, offset: 0, failed: 0))
                guard let stream = shim_opj_memory_stream(memory, 1) else { throw PixelDataError(.codecFailed, "OpenJPEG: out of memory") }
                defer { opj_stream_destroy(stream) }
                var image: UnsafeMutablePointer<opj_image_t>?
                defer { if let image { opj_image_destroy(image) } }
                guard opj_read_header(stream, codec, &image) != 0, let header = image else {
                    throw failure(.corruptFrame, "cannot read the codestream header", messages)
                }
                try check(header, expect)
                guard opj_decode(codec, stream, header) != 0, opj_end_decompress(codec, stream) != 0 else {
                    throw failure(.corruptFrame, "cannot decode the frame", messages)
                }
                var mct: OPJ_UINT32 = 0, resolutions: OPJ_UINT32 = 0
                shim_opj_coding_style(codec, &mct, &resolutions)
                var components: [JPEG2000Image.Component] = []
                for index in 0..<header.pointee.numcomps {
                    let component = shim_opj_component(header, index).pointee
                    guard let data = component.data else { throw PixelDataError(.corruptFrame, "OpenJPEG decoded no samples for component \(index)") }
                    components.append(JPEG2000Image.Component(precision: Int(component.prec), isSigned: component.sgnd != 0,
                                                              samples: Array(UnsafeBufferPointer(start: data, count: expect.columns * expect.rows))))
                }
                return JPEG2000Image(columns: expect.columns, rows: expect.rows, components: components,
                                     usesComponentTransform: mct != 0, resolutions: Int(resolutions))
            }
        }
        return try outcome.get()
    }

    private static func check(_ image: UnsafeMutablePointer<opj_image_t>, _ expect: (columns: Int, rows: Int, components: Int))
        throws(PixelDataError) {
        let header = image.pointee
        let columns = Int(header.x1) - Int(header.x0), rows = Int(header.y1) - Int(header.y0)
        guard columns == expect.columns, rows == expect.rows, Int(header.numcomps) == expect.components else {
            throw PixelDataError(.corruptFrame, "JPEG 2000 frame is \(columns) x \(rows) with \(header.numcomps) components, "
                                 + "the image pixel description says \(expect.columns) x \(expect.rows) with \(expect.components)")
        }
        for index in 0..<header.numcomps {
            let component = shim_opj_component(image, index).pointee
            guard component.dx == 1, component.dy == 1 else {
                throw PixelDataError(.unsupportedTransferSyntax, "JPEG 2000 component \(index) is subsampled (\(component.dx) x \(component.dy))")
            }
            guard (1...24).contains(component.prec) else {
                throw PixelDataError(.corruptFrame, "JPEG 2000 component \(index) has \(component.prec) bits")
            }
        }
    }

    /// Encodes `image` losslessly as a J2K codestream: reversible 5/3 wavelet, one quality layer, the reversible
    /// component transform (RCT) when the input used a component transform, the input's resolution levels when
    /// they fit the image.
    /// - Throws: ``PixelDataError`` `.codecFailed`.
    static func encode(_ image: JPEG2000Image) throws(PixelDataError) -> [UInt8] {
        var parameters = (0..<image.components.count).map { index in
            var parameter = opj_image_cmptparm_t()
            parameter.dx = 1
            parameter.dy = 1
            parameter.w = OPJ_UINT32(image.columns)
            parameter.h = OPJ_UINT32(image.rows)
            parameter.prec = OPJ_UINT32(image.components[index].precision)
            parameter.sgnd = image.components[index].isSigned ? 1 : 0
            return parameter
        }
        let space = image.components.count == 3 ? OPJ_CLRSPC_SRGB : OPJ_CLRSPC_GRAY
        guard let created = opj_image_create(OPJ_UINT32(image.components.count), &parameters, space) else {
            throw PixelDataError(.codecFailed, "OpenJPEG: cannot create an image")
        }
        defer { opj_image_destroy(created) }
        created.pointee.x0 = 0
        created.pointee.y0 = 0
        created.pointee.x1 = OPJ_UINT32(image.columns)
        created.pointee.y1 = OPJ_UINT32(image.rows)
        for (index, component) in image.components.enumerated() {
            guard let data = shim_opj_component(created, OPJ_UINT32(index)).pointee.data else {
                throw PixelDataError(.codecFailed, "OpenJPEG: no sample buffer for component \(index)")
            }
            guard component.samples.count == image.columns * image.rows else {
                throw PixelDataError(.codecFailed, "component \(index) has \(component.samples.count) samples, not \(image.columns * image.rows)")
            }
            component.samples.withUnsafeBufferPointer { samples in
                if let base = samples.baseAddress { data.update(from: base, count: samples.count) }
            }
        }
        var settings = opj_cparameters_t()
        opj_set_default_encoder_parameters(&settings)
        settings.tcp_numlayers = 1
        settings.tcp_rates.0 = 0
        settings.cp_disto_alloc = 1
        settings.irreversible = 0
        settings.tcp_mct = image.components.count == 3 && image.usesComponentTransform ? 1 : 0
        var fitting = 1
        while fitting < 33, 1 << fitting <= min(image.columns, image.rows) { fitting += 1 }
        settings.numresolution = Int32(min(image.resolutions > 0 ? image.resolutions : 6, fitting))

        let messages = UnsafeMutablePointer<shim_opj_messages>.allocate(capacity: 1)
        defer { messages.deallocate() }
        let memory = UnsafeMutablePointer<shim_opj_memory>.allocate(capacity: 1)
        memory.initialize(to: shim_opj_memory(input: nil, output: nil, length: 0, capacity: 0, offset: 0, failed: 0))
        defer {
            shim_opj_memory_free(memory)
            memory.deallocate()
        }
        guard let codec = opj_create_compress(OPJ_CODEC_J2K) else { throw PixelDataError(.codecFailed, "OpenJPEG: out of memory") }
        defer { opj_destroy_codec(codec) }
        shim_opj_capture_messages(codec, messages)
        guard opj_setup_encoder(codec, &settings, created) != 0 else { throw failure(.codecFailed, "cannot set up the encoder", messages) }
        guard let stream = shim_opj_memory_stream(memory, 0) else { throw PixelDataError(.codecFailed, "OpenJPEG: out of memory") }
        defer { opj_stream_destroy(stream) }
        guard opj_start_compress(codec, created, stream) != 0, opj_encode(codec, stream) != 0, opj_end_compress(codec, stream) != 0,
              memory.pointee.failed == 0, let output = memory.pointee.output else {
            throw failure(.codecFailed, "cannot encode the frame", messages)
        }
        return Array(UnsafeBufferPointer(start: output, count: memory.pointee.length))
    }

    private static func failure(_ code: PixelDataError.Code, _ what: String,
                                _ messages: UnsafeMutablePointer<shim_opj_messages>) -> PixelDataError {
        let text = withUnsafeBytes(of: &messages.pointee.text) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        return PixelDataError(code, "OpenJPEG: \(what)" + (text.isEmpty ? "" : " (\(text))"))
    }
}
