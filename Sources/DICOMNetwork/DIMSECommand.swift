import DICOMCodec
import DICOMCore

/// A DIMSE command set (PS3.7 9.3, E.1): group 0000 elements, always Implicit VR Little Endian, with its
/// Command Group Length (0000,0000). Holds the fields C-ECHO and C-STORE use; other elements are read past.
public struct DIMSECommand: Sendable, Hashable {
    /// Command Field (0000,0100) values (PS3.7 E.1).
    public enum Field: UInt16, Sendable {
        case cStoreRequest = 0x0001
        case cStoreResponse = 0x8001
        case cEchoRequest = 0x0030
        case cEchoResponse = 0x8030
    }

    /// The Command Field as read; ``field`` names the known ones.
    public var commandField: UInt16
    /// Affected SOP Class UID (0000,0002).
    public var affectedSOPClassUID: String?
    /// Message ID (0000,0110), in requests.
    public var messageID: UInt16?
    /// Message ID Being Responded To (0000,0120), in responses.
    public var messageIDBeingRespondedTo: UInt16?
    /// Priority (0000,0700), in C-STORE-RQ.
    public var priority: UInt16?
    /// Whether a data set follows: Command Data Set Type (0000,0800) other than 0101H.
    public var hasDataSet: Bool
    /// Status (0000,0900), in responses.
    public var status: UInt16?
    /// Affected SOP Instance UID (0000,1000).
    public var affectedSOPInstanceUID: String?

    public var field: Field? { Field(rawValue: commandField) }

    public init(commandField: UInt16, affectedSOPClassUID: String? = nil, messageID: UInt16? = nil,
                messageIDBeingRespondedTo: UInt16? = nil, priority: UInt16? = nil, hasDataSet: Bool,
                status: UInt16? = nil, affectedSOPInstanceUID: String? = nil) {
        self.commandField = commandField
        self.affectedSOPClassUID = affectedSOPClassUID
        self.messageID = messageID
        self.messageIDBeingRespondedTo = messageIDBeingRespondedTo
        self.priority = priority
        self.hasDataSet = hasDataSet
        self.status = status
        self.affectedSOPInstanceUID = affectedSOPInstanceUID
    }

    /// The largest command set read: a C-STORE-RQ is a few hundred bytes.
    public static let maxLength = 65536

    private static let noDataSet: UInt16 = 0x0101

    /// Reads a command set.
    /// - Throws: ``NetworkError`` `.malformedCommand` (bytes the reader refuses, a missing Command Field or
    ///   Command Data Set Type, an element outside group 0000) or `.messageTooLong`.
    public static func decode(_ bytes: [UInt8]) throws(NetworkError) -> DIMSECommand {
        guard bytes.count <= maxLength else {
            throw NetworkError(.messageTooLong, "command set of \(bytes.count) bytes, beyond \(maxLength)")
        }
        let set: DataSet
        do {
            set = try Part10Reader.readDataSet(bytes: bytes, transferSyntax: .implicitVRLittleEndian)
        } catch {
            throw NetworkError(.malformedCommand, "command set cannot be read", offset: error.offset, cause: error)
        }
        if let stray = set.elements.first(where: { $0.tag.group != 0x0000 }) {
            throw NetworkError(.malformedCommand, "command set holds \(stray.tag), outside group 0000")
        }
        func uint16(_ element: UInt16) throws(NetworkError) -> UInt16? {
            guard let found = set[Tag(0x0000, element)] else { return nil }
            guard let value = found.bytes, value.count == 2 else {
                throw NetworkError(.malformedCommand, "\(Tag(0x0000, element)) is not one US value")
            }
            return ValueEncoding.uint16(value, at: value.startIndex, order: .littleEndian)
        }
        func uid(_ element: UInt16) -> String? {
            set[Tag(0x0000, element)]?.bytes.map { PDUReader.text($0) }
        }
        guard let field = try uint16(0x0100) else { throw NetworkError(.malformedCommand, "command set without Command Field (0000,0100)") }
        guard let dataSetType = try uint16(0x0800) else {
            throw NetworkError(.malformedCommand, "command set without Command Data Set Type (0000,0800)")
        }
        return DIMSECommand(commandField: field, affectedSOPClassUID: uid(0x0002), messageID: try uint16(0x0110),
                            messageIDBeingRespondedTo: try uint16(0x0120), priority: try uint16(0x0700),
                            hasDataSet: dataSetType != noDataSet, status: try uint16(0x0900),
                            affectedSOPInstanceUID: uid(0x1000))
    }

    /// The command set's bytes, Command Group Length first, elements in tag order.
    public func encoded() -> [UInt8] {
        var elements: [DataElement] = []
        func us(_ element: UInt16, _ value: UInt16?) {
            if let value { elements.append(DataElement(tag: Tag(0x0000, element), vr: .US, bytes: ValueEncoding.us([value], order: .littleEndian))) }
        }
        func ui(_ element: UInt16, _ value: String?) {
            if let value { elements.append(DataElement(tag: Tag(0x0000, element), vr: .UI, bytes: ValueEncoding.ui(value))) }
        }
        ui(0x0002, affectedSOPClassUID)
        us(0x0100, commandField)
        us(0x0110, messageID)
        us(0x0120, messageIDBeingRespondedTo)
        us(0x0700, priority)
        us(0x0800, hasDataSet ? 0x0000 : Self.noDataSet)
        us(0x0900, status)
        ui(0x1000, affectedSOPInstanceUID)
        let writer = DataSetWriter(target: .implicitLittle, sourceOrder: .littleEndian)
        // Elements built here from valid values: the writer does not fail on them.
        let body = (try? writer.encode(DataSet(elements))) ?? []
        let length = DataElement(tag: Tag(0x0000, 0x0000), vr: .UL, bytes: ValueEncoding.ul(UInt32(body.count), order: .littleEndian))
        return ((try? writer.encode(DataSet([length]))) ?? []) + body
    }

    /// The response to this request with `status` (PS3.7 9.3.1.2, 9.3.5.2): same SOP class and instance, no data set.
    public func response(status: UInt16) -> DIMSECommand? {
        let field: Field
        switch self.field {
        case .cStoreRequest?: field = .cStoreResponse
        case .cEchoRequest?: field = .cEchoResponse
        default: return nil
        }
        return DIMSECommand(commandField: field.rawValue, affectedSOPClassUID: affectedSOPClassUID,
                            messageIDBeingRespondedTo: messageID, hasDataSet: false, status: status,
                            affectedSOPInstanceUID: affectedSOPInstanceUID)
    }
}
