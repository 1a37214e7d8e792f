import DICOMCodec
import DICOMCore
import DICOMNetwork

/// The gateway's storage service: checks each received instance parses in its transfer syntax, writes it to
/// the spool durably, and only then lets the acceptor answer success. Logs every association event.
package struct SpoolService: StorageService {
    package let spool: Spool
    package let log: GatewayLog
    /// The identity written as Implementation Class UID / Version Name in spooled files' meta.
    package let implementation: ImplementationIdentity
    /// Allowed peer addresses (IP, without port) per calling AE title; an AE title absent here admits any address.
    package var allowedAddresses: [String: Set<String>] = [:]

    package init(spool: Spool, log: GatewayLog, implementation: ImplementationIdentity) {
        self.spool = spool
        self.log = log
        self.implementation = implementation
    }

    package func admits(callingAETitle: String, peerAddress: String) -> Bool {
        guard let addresses = allowedAddresses[callingAETitle] else { return true }
        let host = peerAddress.lastIndex(of: ":").map { String(peerAddress[..<$0]) } ?? peerAddress
        return addresses.contains(host)
    }

    package func store(_ instance: ReceivedInstance) -> StoreOutcome {
        guard let syntax = TransferSyntax.lookup(uid: instance.transferSyntaxUID) else {
            return StoreOutcome(status: .cannotUnderstand, reason: "transfer syntax not read by this toolkit")
        }
        // The data set must parse before it is acknowledged: what cannot be read here could never be de-identified.
        do {
            _ = try Part10Reader.readDataSet(bytes: instance.dataSet, transferSyntax: syntax)
        } catch {
            return StoreOutcome(status: .cannotUnderstand, reason: "data set cannot be read: \(error.code.words) at \(error.offset.map(String.init) ?? "?")")
        }
        let meta = FileMeta.make(sopClassUID: instance.sopClassUID, sopInstanceUID: instance.sopInstanceUID,
                                 transferSyntax: syntax, implementation: implementation,
                                 sourceAETitle: instance.callingAETitle, sourcePresentationAddress: instance.peerAddress)
        do {
            let path = try spool.store(dataSet: instance.dataSet, meta: meta)
            log.write("stored", [("caller", instance.callingAETitle), ("peer", instance.peerAddress),
                                 ("spool", path), ("bytes", String(instance.dataSet.count))])
            return StoreOutcome(status: .success)
        } catch {
            return StoreOutcome(status: .outOfResources, reason: "spool write failed: \(error)")
        }
    }

    package func log(_ event: AssociationEvent) {
        switch event {
        case .accepted(let caller, let peer, let contexts, let accepted):
            log.write("associated", [("caller", caller), ("peer", peer), ("contexts", "\(accepted) of \(contexts) accepted")])
        case .rejected(let caller, let peer, let reason):
            log.write("rejected", [("caller", caller), ("peer", peer), ("reason", reason)])
        case .released(let caller, let peer, let stored):
            log.write("released", [("caller", caller), ("peer", peer), ("stored", String(stored))])
        case .aborted(let caller, let peer, let reason, _):
            log.write("aborted", [("caller", caller), ("peer", peer), ("reason", reason)])
        case .storeFailed(let caller, let peer, let status, let reason):
            log.write("store-refused", [("caller", caller), ("peer", peer), ("status", hex4(status)), ("reason", reason)])
        }
    }

    private func hex4(_ value: UInt16) -> String {
        let digits = Array("0123456789ABCDEF")
        return (0..<4).reversed().map { String(digits[Int((value >> (UInt16($0) * 4)) & 0xF)]) }.joined() + "H"
    }
}
