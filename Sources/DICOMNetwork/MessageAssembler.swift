/// Reassembles DIMSE messages from PDVs (PS3.8 9.3.5.1, Annex E): the command fragments up to the one marked
/// last, then, when the command says a data set follows, the data set fragments up to theirs, all on one
/// presentation context. Bounded: a command beyond ``DIMSECommand/maxLength`` or a data set beyond
/// `maxDataSetLength` is refused as it arrives, not after.
public struct MessageAssembler: Sendable {
    /// A whole message.
    public struct Message: Sendable {
        public var contextID: UInt8
        public var command: DIMSECommand
        /// The data set bytes as received, in the context's transfer syntax; nil when the command has none.
        public var dataSet: [UInt8]?
    }

    /// The largest data set taken (the instance size limit).
    public let maxDataSetLength: Int
    private var contextID: UInt8?
    private var commandBytes: [UInt8] = []
    private var command: DIMSECommand?
    private var dataSet: [UInt8] = []

    public init(maxDataSetLength: Int) {
        self.maxDataSetLength = maxDataSetLength
    }

    /// Whether a message is partly received (its fragments are dropped if the association ends now).
    public var isInsideMessage: Bool { contextID != nil }

    /// Bytes of the partial message held.
    public var bufferedCount: Int { commandBytes.count + dataSet.count }

    /// Adds one PDV; returns the message it completes, if any.
    /// - Parameter accepted: the presentation context IDs accepted on this association.
    /// - Throws: ``NetworkError`` `.badFragment` (an unaccepted context, a context change inside a message, a
    ///   data fragment before the command's end or for a command without data set), `.messageTooLong`, or
    ///   `.malformedCommand` from ``DIMSECommand/decode(_:)``.
    public mutating func add(_ value: PresentationDataValue, accepted: Set<UInt8>) throws(NetworkError) -> Message? {
        guard accepted.contains(value.contextID) else {
            throw NetworkError(.badFragment, "PDV on presentation context \(value.contextID), which was not accepted")
        }
        if let contextID, contextID != value.contextID {
            throw NetworkError(.badFragment, "PDV on presentation context \(value.contextID) inside a message on context \(contextID)")
        }
        contextID = value.contextID
        if value.isCommand {
            guard command == nil else { throw NetworkError(.badFragment, "command fragment after the command was complete") }
            guard commandBytes.count + value.bytes.count <= DIMSECommand.maxLength else {
                throw NetworkError(.messageTooLong, "command set beyond \(DIMSECommand.maxLength) bytes")
            }
            commandBytes += value.bytes
            guard value.isLast else { return nil }
            let decoded = try DIMSECommand.decode(commandBytes)
            commandBytes = []
            guard decoded.hasDataSet else { return finish(decoded, dataSet: nil) }
            command = decoded
            return nil
        }
        guard let command else {
            throw NetworkError(.badFragment, "data set fragment before a complete command that announces one")
        }
        guard dataSet.count + value.bytes.count <= maxDataSetLength else {
            throw NetworkError(.messageTooLong, "data set beyond the limit of \(maxDataSetLength) bytes")
        }
        dataSet += value.bytes
        guard value.isLast else { return nil }
        let bytes = dataSet
        dataSet = []
        return finish(command, dataSet: bytes)
    }

    private mutating func finish(_ command: DIMSECommand, dataSet: [UInt8]?) -> Message? {
        let message = Message(contextID: contextID ?? 0, command: command, dataSet: dataSet)
        contextID = nil
        self.command = nil
        return message
    }

    /// The P-DATA-TF PDUs carrying one message (PS3.8 9.3.5): the command, then the data set, each cut into
    /// PDVs that fit the peer's Maximum Length Received (one PDV per PDU), the last of each marked.
    /// - Parameter maxPDULength: the peer's maximum (0: no limit, fragments of 1 MiB are sent).
    public static func fragments(command: [UInt8], dataSet: [UInt8]?, contextID: UInt8, maxPDULength: UInt32) -> [PDU] {
        // A PDV item adds 4 bytes of length, 1 of context ID and 1 of control header to its fragment.
        let room = maxPDULength == 0 ? 1 << 20 : max(Int(maxPDULength) - 6, 1)
        var pdus: [PDU] = []
        func cut(_ bytes: [UInt8], isCommand: Bool) {
            var start = 0
            repeat {
                let end = min(start + room, bytes.count)
                pdus.append(.data([PresentationDataValue(contextID: contextID, isCommand: isCommand, isLast: end == bytes.count,
                                                         bytes: bytes[start..<end])]))
                start = end
            } while start < bytes.count
        }
        cut(command, isCommand: true)
        if let dataSet { cut(dataSet, isCommand: false) }
        return pdus
    }
}
