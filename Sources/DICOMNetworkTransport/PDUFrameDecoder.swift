import DICOMNetwork
import NIOCore

/// Cuts the byte stream into PDUs. The header's length is checked against the limits as soon as the 6 header
/// bytes are there, so an over-long PDU is refused before its bytes are buffered.
final class PDUFrameDecoder: ByteToMessageDecoder {
    typealias InboundOut = PDU

    private let limits: PDU.Limits

    init(limits: PDU.Limits) {
        self.limits = limits
    }

    func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let head = buffer.getBytes(at: buffer.readerIndex, length: PDU.headerLength),
              let (_, length) = try PDU.header(head[...], limits: limits),
              let bytes = buffer.readBytes(length: PDU.headerLength + length) else {
            return .needMoreData
        }
        context.fireChannelRead(wrapInboundOut(try PDU.decode(bytes[...], limits: limits)))
        return .continue
    }

    func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws -> DecodingState {
        // Bytes of an unfinished PDU when the peer closes are dropped: nothing was acknowledged for them.
        .needMoreData
    }
}
