import DICOMNetwork
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A TCP connection to the gateway driven byte by byte: what no well-behaved peer sends (malformed PDUs, a PDU
/// beyond the limit, an abort in the middle of an instance).
final class RawAssociation {
    private let socket: Int32

    init(port: Int) throws {
        socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let status = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard status == 0 else { throw PeerErrorText("cannot connect to 127.0.0.1:\(port): errno \(errno)") }
    }

    deinit { close(socket) }

    /// A TCP port free on 127.0.0.1 now (the system's choice for port 0), for a peer that needs one given.
    static func freePort() -> Int {
        let probe = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(probe) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(probe, pointer, length) == 0 ? getsockname(probe, pointer, &length) : -1
            }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    func send(_ bytes: [UInt8]) {
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { Glibc.send(socket, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { return }
            sent += n
        }
    }

    func send(_ pdu: PDU) { send(pdu.encoded()) }

    /// The next PDU, or nil when the peer closed or `seconds` passed.
    func receive(seconds: Double = 10) -> PDU? {
        guard let header = read(PDU.headerLength, seconds: seconds) else { return nil }
        let length = Int(header[2]) << 24 | Int(header[3]) << 16 | Int(header[4]) << 8 | Int(header[5])
        guard let body = read(length, seconds: seconds) else { return nil }
        return try? PDU.decode((header + body)[...], limits: PDU.Limits(maxDataLength: UInt32.max, maxOtherLength: UInt32.max))
    }

    /// Whether the peer has closed the connection (read returns 0) within `seconds`.
    func isClosedByPeer(seconds: Double = 10) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        var byte: UInt8 = 0
        while Date() < deadline {
            var poller = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
            if poll(&poller, 1, 100) > 0 {
                let n = recv(socket, &byte, 1, 0)
                if n == 0 || n < 0 { return true }
            }
        }
        return false
    }

    private func read(_ count: Int, seconds: Double) -> [UInt8]? {
        var bytes: [UInt8] = []
        let deadline = Date().addingTimeInterval(seconds)
        var buffer = [UInt8](repeating: 0, count: 65536)
        while bytes.count < count, Date() < deadline {
            var poller = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, 100) > 0 else { continue }
            let n = recv(socket, &buffer, min(buffer.count, count - bytes.count), 0)
            if n <= 0 { return nil }
            bytes += buffer[..<n]
        }
        return bytes.count == count ? bytes : nil
    }

    /// An association request from RAW for CT Image Storage (Explicit VR Little Endian) and Verification.
    static func request(maxPDULength: UInt32 = 16384) -> AssociationRequest {
        AssociationRequest(calledAETitle: GatewayProcess.aeTitle, callingAETitle: "RAW",
                           contexts: [ProposedContext(id: 1, abstractSyntax: "1.2.840.10008.5.1.4.1.1.2", transferSyntaxes: ["1.2.840.10008.1.2.1"]),
                                      ProposedContext(id: 3, abstractSyntax: "1.2.840.10008.1.1", transferSyntaxes: ["1.2.840.10008.1.2"])],
                           userInformation: UserInformation(maxPDULength: maxPDULength, implementationClassUID: "1.2.3.4",
                                                            implementationVersionName: "RAW"))
    }
}

struct PeerErrorText: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
