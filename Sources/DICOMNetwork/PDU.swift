/// A protocol data unit of the DICOM upper layer (PS3.8 9.3): a type byte, a reserved byte, a 32-bit big-endian
/// length, then that many bytes.
public enum PDU: Sendable, Hashable {
    case associateRequest(AssociationRequest)
    case associateAccept(AssociationAccept)
    case associateReject(AssociationReject)
    /// P-DATA-TF (04H): one or more PDVs.
    case data([PresentationDataValue])
    case releaseRequest
    case releaseResponse
    case abort(AbortReason)

    /// The fixed header before every PDU's variable field.
    public static let headerLength = 6

    /// Bounds a decoder enforces before it reads a PDU's variable field.
    public struct Limits: Sendable, Hashable {
        /// The largest P-DATA-TF variable field taken: the Maximum Length Received this node announced.
        public var maxDataLength: UInt32
        /// The largest variable field of any other PDU (an A-ASSOCIATE-RQ lists its contexts; 64 KiB holds
        /// the 128 contexts PS3.8 allows, each with many transfer syntaxes).
        public var maxOtherLength: UInt32

        public init(maxDataLength: UInt32, maxOtherLength: UInt32 = 65536) {
            self.maxDataLength = maxDataLength
            self.maxOtherLength = maxOtherLength
        }

        /// The limit for a PDU of `type`.
        public func limit(forType type: UInt8) -> UInt32 { type == 0x04 ? maxDataLength : maxOtherLength }
    }

    /// Reads the header at the start of `bytes`: the PDU type and the variable field's length, after checking the
    /// length against `limits`. Nil when fewer than 6 bytes are there yet.
    /// - Throws: ``NetworkError`` `.unknownPDUType` or `.pduTooLong`, before the variable field is awaited.
    public static func header(_ bytes: ArraySlice<UInt8>, limits: Limits) throws(NetworkError) -> (type: UInt8, length: Int)? {
        guard bytes.count >= headerLength else { return nil }
        let s = bytes.startIndex
        let type = bytes[s]
        guard (0x01...0x07).contains(type) else {
            throw NetworkError(.unknownPDUType, "unrecognized PDU type \(hex(type))", offset: 0)
        }
        let length = UInt32(bytes[s + 2]) << 24 | UInt32(bytes[s + 3]) << 16 | UInt32(bytes[s + 4]) << 8 | UInt32(bytes[s + 5])
        let limit = limits.limit(forType: type)
        guard length <= limit else {
            throw NetworkError(.pduTooLong, "PDU type \(hex(type)) of \(length) bytes, beyond the limit of \(limit)", offset: 2)
        }
        return (type, Int(length))
    }

    /// Decodes one whole PDU (header and variable field, nothing after).
    /// - Throws: ``NetworkError`` for a malformed or over-long PDU.
    public static func decode(_ bytes: ArraySlice<UInt8>, limits: Limits) throws(NetworkError) -> PDU {
        guard let (type, length) = try header(bytes, limits: limits) else {
            throw NetworkError(.malformedPDU, "PDU header: need 6 bytes, \(bytes.count) there", offset: 0)
        }
        guard bytes.count - headerLength == length else {
            throw NetworkError(.malformedPDU, "PDU length \(length) but \(bytes.count - headerLength) bytes follow the header", offset: 2)
        }
        var reader = PDUReader(bytes)
        try reader.skip(headerLength, "PDU header")
        switch type {
        case 0x01: return .associateRequest(try decodeRequest(&reader))
        case 0x02: return .associateAccept(try decodeAccept(&reader))
        case 0x03:
            try reader.skip(1, "A-ASSOCIATE-RJ")
            let reject = AssociationReject(result: try reader.readUInt8("result"), source: try reader.readUInt8("source"),
                                           reason: try reader.readUInt8("reason"))
            try expectEnd(reader, "A-ASSOCIATE-RJ")
            return .associateReject(reject)
        case 0x04: return .data(try decodeData(&reader))
        case 0x05, 0x06:
            try reader.skip(4, type == 0x05 ? "A-RELEASE-RQ" : "A-RELEASE-RP")
            try expectEnd(reader, "A-RELEASE")
            return type == 0x05 ? .releaseRequest : .releaseResponse
        default:
            try reader.skip(2, "A-ABORT")
            let abort = AbortReason(source: try reader.readUInt8("source"), reason: try reader.readUInt8("reason"))
            try expectEnd(reader, "A-ABORT")
            return .abort(abort)
        }
    }

    private static func expectEnd(_ reader: PDUReader, _ what: String) throws(NetworkError) {
        guard reader.isAtEnd else {
            throw NetworkError(.malformedPDU, "\(what): \(reader.remaining) bytes beyond its fixed fields", offset: reader.offset)
        }
    }

    private static func decodeFixedFields(_ reader: inout PDUReader) throws(NetworkError) -> (UInt16, String, String) {
        let version = try reader.readUInt16("protocol version")
        try reader.skip(2, "reserved")
        let called = PDUReader.text(try reader.readSlice(count: 16, "called AE title"))
        let calling = PDUReader.text(try reader.readSlice(count: 16, "calling AE title"))
        try reader.skip(32, "reserved")
        return (version, called, calling)
    }

    /// Reads the items of an A-ASSOCIATE-RQ or -AC: type, reserved, 16-bit length, value.
    private static func readItem(_ reader: inout PDUReader) throws(NetworkError) -> (type: UInt8, value: PDUReader, offset: Int) {
        let offset = reader.offset
        let type = try reader.readUInt8("item type")
        try reader.skip(1, "item reserved byte")
        let length = Int(try reader.readUInt16("item length"))
        return (type, PDUReader(try reader.readSlice(count: length, "item \(hex(type)) value")), offset)
    }

    private static func decodeRequest(_ reader: inout PDUReader) throws(NetworkError) -> AssociationRequest {
        let (version, called, calling) = try decodeFixedFields(&reader)
        var contexts: [ProposedContext] = []
        let (applicationContext, user) = try decodeVariableItems(&reader, pdu: "A-ASSOCIATE-RQ", contextItemType: 0x20) {
            (item: inout PDUReader, offset: Int) throws(NetworkError) in
            let id = try item.readUInt8("presentation context ID")
            try item.skip(3, "reserved")
            var abstract: String?
            var syntaxes: [String] = []
            while !item.isAtEnd {
                let (subType, sub, subOffset) = try readItem(&item)
                switch subType {
                case 0x30: abstract = PDUReader.text(sub.bytes)
                case 0x40: syntaxes.append(PDUReader.text(sub.bytes))
                default:
                    throw NetworkError(.malformedPDU, "presentation context \(id): unexpected sub-item \(hex(subType))", offset: offset + 8 + subOffset)
                }
            }
            guard let abstract, !syntaxes.isEmpty else {
                throw NetworkError(.malformedPDU, "presentation context \(id) without an abstract syntax or a transfer syntax", offset: offset)
            }
            guard contexts.count < 128 else {
                throw NetworkError(.malformedPDU, "more than 128 presentation contexts", offset: offset)
            }
            contexts.append(ProposedContext(id: id, abstractSyntax: abstract, transferSyntaxes: syntaxes))
        }
        var request = AssociationRequest(calledAETitle: called, callingAETitle: calling, contexts: contexts, userInformation: user)
        request.protocolVersion = version
        request.applicationContext = applicationContext
        return request
    }

    private static func decodeAccept(_ reader: inout PDUReader) throws(NetworkError) -> AssociationAccept {
        let (version, called, calling) = try decodeFixedFields(&reader)
        var contexts: [AcceptedContext] = []
        let (applicationContext, user) = try decodeVariableItems(&reader, pdu: "A-ASSOCIATE-AC", contextItemType: 0x21) {
            (item: inout PDUReader, _: Int) throws(NetworkError) in
            let id = try item.readUInt8("presentation context ID")
            try item.skip(1, "reserved")
            let resultByte = try item.readUInt8("result")
            try item.skip(1, "reserved")
            var syntax = ""
            while !item.isAtEnd {
                let (subType, sub, _) = try readItem(&item)
                if subType == 0x40 { syntax = PDUReader.text(sub.bytes) }
            }
            let result = AcceptedContext.Result(rawValue: resultByte) ?? .noReason
            contexts.append(AcceptedContext(id: id, result: result, transferSyntax: syntax))
        }
        var accept = AssociationAccept(calledAETitle: called, callingAETitle: calling, contexts: contexts, userInformation: user)
        accept.protocolVersion = version
        accept.applicationContext = applicationContext
        return accept
    }

    /// Reads the variable items of an A-ASSOCIATE-RQ or -AC: the application context item (10H), the user
    /// information item (50H), and the presentation context items of `contextItemType` (20H or 21H), each handed
    /// to `readContext` with its offset. Any other item, or a missing application context or user information, is
    /// a malformed PDU.
    private static func decodeVariableItems(
        _ reader: inout PDUReader, pdu: String, contextItemType: UInt8,
        readContext: (inout PDUReader, Int) throws(NetworkError) -> Void
    ) throws(NetworkError) -> (applicationContext: String, user: UserInformation) {
        var applicationContext: String?
        var user: UserInformation?
        while !reader.isAtEnd {
            var (type, item, offset) = try readItem(&reader)
            switch type {
            case 0x10: applicationContext = PDUReader.text(item.bytes)
            case contextItemType: try readContext(&item, offset)
            case 0x50: user = try decodeUserInformation(item, offset: offset)
            default: throw NetworkError(.malformedPDU, "\(pdu): unexpected item \(hex(type))", offset: offset)
            }
        }
        guard let applicationContext else { throw NetworkError(.malformedPDU, "\(pdu) without an application context item") }
        guard let user else { throw NetworkError(.malformedPDU, "\(pdu) without a user information item") }
        return (applicationContext, user)
    }

    private static func decodeUserInformation(_ item: PDUReader, offset: Int) throws(NetworkError) -> UserInformation {
        var item = item
        var maxLength: UInt32?
        var classUID: String?
        var versionName: String?
        while !item.isAtEnd {
            var (type, sub, subOffset) = try readItem(&item)
            switch type {
            case 0x51: maxLength = try sub.readUInt32("maximum length")
            case 0x52: classUID = PDUReader.text(sub.bytes)
            case 0x55: versionName = PDUReader.text(sub.bytes)
            default: _ = subOffset   // asynchronous operations, roles, extended negotiation: not answered
            }
        }
        guard let maxLength else { throw NetworkError(.malformedPDU, "user information without a maximum length sub-item", offset: offset) }
        return UserInformation(maxPDULength: maxLength, implementationClassUID: classUID ?? "",
                               implementationVersionName: versionName)
    }

    private static func decodeData(_ reader: inout PDUReader) throws(NetworkError) -> [PresentationDataValue] {
        var values: [PresentationDataValue] = []
        while !reader.isAtEnd {
            let offset = reader.offset
            let length = Int(try reader.readUInt32("PDV item length"))
            guard length >= 2 else {
                throw NetworkError(.malformedPDU, "PDV item length \(length): needs at least its context ID and control header", offset: offset)
            }
            var value = PDUReader(try reader.readSlice(count: length, "PDV"))
            let id = try value.readUInt8("presentation context ID")
            let header = try value.readUInt8("message control header")
            values.append(PresentationDataValue(contextID: id, isCommand: header & 1 != 0, isLast: header & 2 != 0,
                                                bytes: value.bytes))
        }
        guard !values.isEmpty else { throw NetworkError(.malformedPDU, "P-DATA-TF without a PDV", offset: PDU.headerLength) }
        return values
    }

    // MARK: Encoding

    /// Writes what an A-ASSOCIATE-RQ and -AC begin with: protocol version, reserved, called and calling AE titles,
    /// reserved, then the application context item (10H); ``decodeFixedFields(_:)`` reads the same.
    private static func encodeFixedFields(_ version: UInt16, _ called: String, _ calling: String, _ applicationContext: String,
                                          into body: inout PDUWriter) {
        body.uint16(version)
        body.zeros(2)
        body.aeTitle(called)
        body.aeTitle(calling)
        body.zeros(32)
        body.item(0x10, Array(applicationContext.utf8))
    }

    /// The PDU's bytes, header included.
    public func encoded() -> [UInt8] {
        var body = PDUWriter()
        let type: UInt8
        switch self {
        case .associateRequest(let request):
            type = 0x01
            Self.encodeFixedFields(request.protocolVersion, request.calledAETitle, request.callingAETitle, request.applicationContext, into: &body)
            for context in request.contexts {
                var item = PDUWriter()
                item.uint8(context.id)
                item.zeros(3)
                item.item(0x30, Array(context.abstractSyntax.utf8))
                for syntax in context.transferSyntaxes { item.item(0x40, Array(syntax.utf8)) }
                body.item(0x20, item.bytes)
            }
            body.item(0x50, Self.encode(request.userInformation))
        case .associateAccept(let accept):
            type = 0x02
            Self.encodeFixedFields(accept.protocolVersion, accept.calledAETitle, accept.callingAETitle, accept.applicationContext, into: &body)
            for context in accept.contexts {
                var item = PDUWriter()
                item.uint8(context.id)
                item.zeros(1)
                item.uint8(context.result.rawValue)
                item.zeros(1)
                item.item(0x40, Array(context.transferSyntax.utf8))
                body.item(0x21, item.bytes)
            }
            body.item(0x50, Self.encode(accept.userInformation))
        case .associateReject(let reject):
            type = 0x03
            body.append([0, reject.result, reject.source, reject.reason])
        case .data(let values):
            type = 0x04
            for value in values {
                body.uint32(UInt32(value.bytes.count + 2))
                body.uint8(value.contextID)
                body.uint8((value.isCommand ? 1 : 0) | (value.isLast ? 2 : 0))
                body.append(value.bytes)
            }
        case .releaseRequest:
            type = 0x05
            body.zeros(4)
        case .releaseResponse:
            type = 0x06
            body.zeros(4)
        case .abort(let reason):
            type = 0x07
            body.append([0, 0, reason.source, reason.reason])
        }
        var pdu = PDUWriter()
        pdu.uint8(type)
        pdu.uint8(0)
        pdu.uint32(UInt32(body.bytes.count))
        pdu.append(body.bytes)
        return pdu.bytes
    }

    private static func encode(_ user: UserInformation) -> [UInt8] {
        var item = PDUWriter()
        var length = PDUWriter()
        length.uint32(user.maxPDULength)
        item.item(0x51, length.bytes)
        item.item(0x52, Array(user.implementationClassUID.utf8))
        if let name = user.implementationVersionName { item.item(0x55, Array(name.utf8.prefix(16))) }
        return item.bytes
    }
}

/// `0x1A` for messages.
func hex(_ byte: UInt8) -> String {
    let digits = Array("0123456789ABCDEF")
    return "0x" + String(digits[Int(byte >> 4)]) + String(digits[Int(byte & 0xF)])
}
