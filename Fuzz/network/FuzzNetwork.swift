// libFuzzer target: the DICOM upper layer's PDU parser, the DIMSE command set parser and the PDV reassembler
// (see Scripts/fuzz.sh). The first byte picks the part: 0 a whole PDU (header and variable field), 1 a command
// set, 2 a P-DATA-TF whose PDVs are fed to the reassembler. Any input must be refused with an error or parsed;
// never a crash, and never an allocation beyond the bytes given (the limits below are small on purpose).
//
// `fuzz-network -write-seeds DIR` writes well-formed PDUs and command sets (the seeds) and exits.
import DICOMNetwork
import FileSystem
import FuzzDriver

private let limits = PDU.Limits(maxDataLength: 1 << 16, maxOtherLength: 1 << 16)

private let store = DIMSECommand(commandField: DIMSECommand.Field.cStoreRequest.rawValue, affectedSOPClassUID: "1.2.840.10008.5.1.4.1.1.2",
                                 messageID: 1, priority: 0, hasDataSet: true, affectedSOPInstanceUID: "1.2.3.4")

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzNetwork(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let rest = Array(bytes.dropFirst())
    switch bytes[0] % 3 {
    case 0:
        _ = try? PDU.header(rest[...], limits: limits)
        if let pdu = try? PDU.decode(rest[...], limits: limits) {
            // What was read encodes to a PDU that reads back the same, for the PDUs without free text.
            switch pdu {
            case .data, .releaseRequest, .releaseResponse, .abort, .associateReject:
                guard (try? PDU.decode(pdu.encoded()[...], limits: PDU.Limits(maxDataLength: .max, maxOtherLength: .max))) == pdu else {
                    fatalError("PDU does not round-trip")
                }
            case .associateRequest, .associateAccept:
                _ = pdu.encoded()
            }
        }
    case 1:
        if let command = try? DIMSECommand.decode(rest) { _ = command.response(status: 0)?.encoded() }
    default:
        var assembler = MessageAssembler(maxDataSetLength: 1 << 16)
        var framed: [UInt8] = [0x04, 0x00]
        let count = UInt32(rest.count)
        framed += [UInt8(count >> 24), UInt8(count >> 16 & 0xFF), UInt8(count >> 8 & 0xFF), UInt8(count & 0xFF)] + rest
        if case .data(let values)? = try? PDU.decode(framed[...], limits: limits) {
            for value in values {
                do { _ = try assembler.add(value, accepted: [1, 3]) } catch { break }
            }
        }
    }
    return 0
}

@_cdecl("fuzz_network_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    let arguments = CommandLine.arguments
    if arguments.count == 3, arguments[1] == "-write-seeds" {
        let request = AssociationRequest(
            calledAETitle: "GATEWAY", callingAETitle: "MODALITY",
            contexts: [ProposedContext(id: 1, abstractSyntax: "1.2.840.10008.5.1.4.1.1.2", transferSyntaxes: ["1.2.840.10008.1.2.1", "1.2.840.10008.1.2"])],
            userInformation: UserInformation(maxPDULength: 16384, implementationClassUID: "1.2.3", implementationVersionName: "SEED"))
        let accept = AssociationAccept(calledAETitle: "GATEWAY", callingAETitle: "MODALITY",
                                       contexts: [AcceptedContext(id: 1, result: .acceptance, transferSyntax: "1.2.840.10008.1.2.1")],
                                       userInformation: request.userInformation)
        let message = MessageAssembler.fragments(command: store.encoded(), dataSet: [0x08, 0x00, 0x18, 0x00, 0x55, 0x49, 0x02, 0x00, 0x31, 0x00],
                                                 contextID: 1, maxPDULength: 64)
        var seeds: [[UInt8]] = [[0] + PDU.associateRequest(request).encoded(), [0] + PDU.associateAccept(accept).encoded(),
                                [0] + PDU.associateReject(.callingAETitleNotRecognized).encoded(), [0] + PDU.releaseRequest.encoded(),
                                [0] + PDU.abort(.invalidParameter).encoded(), [1] + store.encoded()]
        for pdu in message { seeds.append([0] + pdu.encoded()); seeds.append([2] + pdu.encoded().dropFirst(PDU.headerLength)) }
        for (index, seed) in seeds.enumerated() {
            do {
                try FileIO.writeAtomically(seed, to: arguments[2] + "/seed-\(index)", overwrite: true, prefix: ".seed-")
            } catch {
                fatalError("fuzz-network: cannot write seed \(index): \(error)")
            }
        }
        return 0
    }
    return runFuzzer(argc, argv, fuzzNetwork)
}
