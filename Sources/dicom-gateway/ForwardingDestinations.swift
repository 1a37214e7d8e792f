import CLISupport
import DICOMCodec
import DICOMCore
import DICOMNetwork
import DICOMNetworkTransport
import DICOMWeb
import Deidentification
import Dispatch
import FileSystem
import Gateway
import Synchronization

/// The gateway's network destinations: a C-STORE SCP (`--forward-to-scp`) and a STOW-RS service
/// (`--forward-to-stow`). Each sends one de-identified Part 10 file from the folder and says whether the
/// destination took it, may take it later, or never will.
enum ForwardingDestinations {
    /// `AE@host:port` as a C-STORE destination, or nil when it is not of that form.
    static func storeDestination(_ text: String, callingAETitle: String) -> StoreDestination? {
        guard let at = text.firstIndex(of: "@"), let colon = text.lastIndex(of: ":"), at < colon,
              let port = Int(text[text.index(after: colon)...]), (1...65535).contains(port) else { return nil }
        let title = String(text[..<at]), host = String(text[text.index(after: at)..<colon])
        guard !title.isEmpty, title.utf8.count <= 16, !host.isEmpty else { return nil }
        return StoreDestination(calledAETitle: title, host: host, port: port, callingAETitle: callingAETitle)
    }

    /// Sends by C-STORE: the file's data set bytes as written, in its transfer syntax, one association per
    /// instance. Success and warnings (Bxxx) acknowledge; A7xx, 0110, 0213 and a failed association are retried;
    /// other statuses (A9xx, Cxxx, 0122...) refuse the instance for good.
    static func cStore(_ destination: StoreDestination) -> Destination {
        Destination(name: "scp \(destination.calledAETitle)@\(destination.host):\(destination.port)") { path in
            let instance: OutgoingInstance
            do { instance = try outgoing(path) } catch { return .retry("cannot read \(path): \(error)") }
            let statuses: [DIMSEStatus]
            do {
                statuses = try wait { try await StoreSCU.send([instance], to: destination, implementation: .dicomDeid) }
            } catch {
                return .retry("C-STORE to the destination failed: \(error)")
            }
            guard let status = statuses.first else { return .retry("no C-STORE response") }
            if status.isSuccessOrWarning { return .acknowledged }
            let text = "C-STORE status \(hex(status.rawValue))"
            return status.isTransientFailure ? .retry(text) : .refused(text)
        }
    }

    /// Sends by STOW-RS to `base` (`<base>/studies`): the Part 10 file as written.
    static func stow(_ base: HTTPEndpoint) -> Destination {
        Destination(name: "stow \(base)") { path in
            let bytes: [UInt8], uid: String
            do {
                bytes = try FileIO.readAll(path: path)
                uid = try Part10Reader.read(bytes: bytes).meta[Tag(0x0002, 0x0003)]?.string() ?? ""
            } catch {
                return .retry("cannot read \(path): \(error)")
            }
            do {
                switch try wait({ try await STOWClient.store(bytes, sopInstanceUID: uid, to: base) }) {
                case .stored: return .acknowledged
                case .failed(let reason, retryable: true): return .retry(reason)
                case .failed(let reason, retryable: false): return .refused(reason)
                }
            } catch {
                // No complete answer: it may be stored or not; sending it again is safe.
                return .retry("STOW-RS to the destination failed: \(error)")
            }
        }
    }

    /// A de-identified Part 10 file as a C-STORE request: its data set bytes after the meta group.
    private static func outgoing(_ path: String) throws -> OutgoingInstance {
        let bytes = try FileIO.readAll(path: path)
        let file = try Part10Reader.read(bytes: bytes)
        // The meta group starts with its length (FileMeta writes it): the data set follows it.
        guard let length = file.meta[Tag(0x0002, 0x0000)]?.bytes, length.count == 4, bytes.count >= 144 else {
            throw CLIError("\(path): no File Meta Information Group Length")
        }
        let metaEnd = 144 + Int(ValueEncoding.uint32s(length, order: .littleEndian)[0])
        return OutgoingInstance(sopClassUID: file.meta[Tag(0x0002, 0x0002)]?.string() ?? "",
                                sopInstanceUID: file.meta[Tag(0x0002, 0x0003)]?.string() ?? "",
                                transferSyntaxUID: file.transferSyntax.uid, dataSet: Array(bytes[min(metaEnd, bytes.count)...]))
    }

    private static func hex(_ value: UInt16) -> String {
        let text = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: 4 - text.count) + text + "H"
    }

    /// Runs async work from the gateway's synchronous code (its processing loop, its start) and waits for it.
    static func wait<T: Sendable>(_ work: @escaping @Sendable () async throws -> T) throws -> T {
        let result = Mutex<Result<T, any Error>?>(nil)
        let done = DispatchSemaphore(value: 0)
        Task {
            let value: Result<T, any Error>
            do { value = .success(try await work()) } catch { value = .failure(error) }
            result.withLock { $0 = value }
            done.signal()
        }
        done.wait()
        switch result.withLock({ $0 }) {
        case .success(let value)?: return value
        case .failure(let error)?: throw error
        case nil: preconditionFailure("the task ended without a result")
        }
    }
}
