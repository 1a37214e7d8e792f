// The error design (ErrorCode, cause, throw site) is part of this module's API.
@_exported import Diagnostics

/// Why a PDU, a DIMSE message or an association was refused: malformed bytes, a length beyond a limit, a
/// protocol step out of order. One line, with the byte offset inside the PDU where one applies; never a value
/// of the data set carried.
public struct NetworkError: StructuredError {
    public typealias Code = ErrorCode<NetworkError>

    public struct Context: Sendable {
        /// Offset inside the PDU or command set where the fault was found.
        public var offset: Int?
    }

    public let storage: ErrorStorage<NetworkError>
    public init(storage: ErrorStorage<NetworkError>) { self.storage = storage }

    /// - Parameters:
    ///   - reason: the whole message, one line.
    ///   - offset: where inside the PDU or command set, when it applies.
    public init(_ code: Code, _ reason: String = "", offset: Int? = nil, cause: (any Error)? = nil,
                fileID: String = #fileID, line: Int = #line) {
        self = .make(code, context: Context(offset: offset), reason: reason, cause: cause, fileID: fileID, line: line)
    }

    /// Offset inside the PDU or command set where the fault was found.
    public var offset: Int? { context.offset }

    public var description: String {
        guard let offset else { return reasonWithCause }
        return reasonWithCause + " (at byte \(offset))"
    }
}

extension ErrorCode<NetworkError> {
    /// A PDU or item shorter than its fixed fields, or an item running past its parent.
    public static var malformedPDU: Self { Self("malformedPDU", words: "malformed PDU") }
    /// A PDU type this upper layer does not know (PS3.8 9.3).
    public static var unknownPDUType: Self { Self("unknownPDUType", words: "unrecognized PDU type") }
    /// A PDU whose length field is beyond the limit negotiated or set.
    public static var pduTooLong: Self { Self("pduTooLong", words: "PDU length beyond the limit") }
    /// A PDU that is valid but not allowed in the association's state (PS3.8 9.2 state machine).
    public static var unexpectedPDU: Self { Self("unexpectedPDU", words: "PDU not expected in this state") }
    /// A command set that cannot be read or lacks a required element (PS3.7 E).
    public static var malformedCommand: Self { Self("malformedCommand", words: "malformed DIMSE command") }
    /// A message (command or data set) larger than its limit.
    public static var messageTooLong: Self { Self("messageTooLong", words: "DIMSE message beyond the limit") }
    /// A PDV on a presentation context that was not accepted, or fragments of two messages mixed.
    public static var badFragment: Self { Self("badFragment", words: "PDV out of sequence") }
    /// A timer ran out (ARTIM, idle).
    public static var timeout: Self { Self("timeout", words: "timed out") }
}
