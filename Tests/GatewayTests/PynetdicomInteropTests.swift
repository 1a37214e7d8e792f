import DICOMTestSupport
import Foundation
import Testing

/// pynetdicom sending over 4 associations at once, each instance given a new SOP Instance UID so that every
/// one is a distinct output.
@Suite struct PynetdicomInteropTests {
    static let script = """
    import sys, threading
    from pydicom import dcmread
    from pydicom.uid import generate_uid
    from pynetdicom import AE
    port, files = int(sys.argv[1]), sys.argv[2:]
    statuses, lock = [], threading.Lock()
    def send(n):
        ae = AE(ae_title="PYNETDICOM")
        datasets = []
        for f in files:
            ds = dcmread(f)
            ds.SOPInstanceUID = generate_uid()
            ds.file_meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
            datasets.append(ds)
            ae.add_requested_context(ds.SOPClassUID, ds.file_meta.TransferSyntaxUID)
        assoc = ae.associate("127.0.0.1", port, ae_title="GATEWAY")
        if not assoc.is_established:
            with lock: statuses.append("not associated")
            return
        for ds in datasets:
            status = assoc.send_c_store(ds)
            with lock: statuses.append(getattr(status, "Status", "none"))
        assoc.release()
    threads = [threading.Thread(target=send, args=(n,)) for n in range(4)]
    for t in threads: t.start()
    for t in threads: t.join()
    print(" ".join(str(s) for s in statuses))
    sys.exit(0 if statuses == [0] * (4 * len(files)) else 1)
    """

    @Test(.enabled(if: Peer.runnable(.pynetdicom), Comment(rawValue: Peer.skipReason(.pynetdicom))))
    func storesOverFourAssociationsAtOnce() throws {
        let python = try Peer.pynetdicom.require()
        let gateway = try GatewayProcess()
        let files = ["ct-explicit-le.dcm", "ct-implicit-le.dcm", "mr-explicit-le.dcm"].map { RepositoryPaths.fixtures.appendingPathComponent($0).path }
        let outcome = try python.run(["-c", Self.script, String(gateway.port)] + files, timeout: 180)
        #expect(outcome.status == 0, "\(outcome.stdoutText) \(outcome.stderrText)")
        let outputs = gateway.waitForOutputs(4 * files.count)
        #expect(outputs.count == 4 * files.count, "\(gateway.logLines.joined(separator: "\n"))")
        #expect(gateway.events("associated").count == 4)
        #expect(gateway.events("released").count == 4)
        #expect(gateway.stop() == 0)
    }
}
