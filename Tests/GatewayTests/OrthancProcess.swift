import DICOMTestSupport
import DICOMWeb
import FileSystem
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// An Orthanc started by a test as its own process (never the system service): a fresh storage folder, free
/// DICOM and HTTP ports on loopback, AE title ORTHANC, the DICOMweb plugin loaded, no authentication. It can be
/// stopped and started again on the same storage and ports (a destination down for a while, then back). Its
/// REST calls are async, and so are the tests using it: a synchronous test blocking on a task (a semaphore)
/// can starve the cooperative pool when suites run in parallel (seen: two such tests hung on 2 cores).
final class OrthancProcess {
    static let aeTitle = "ORTHANC"
    let directory: TemporaryDirectory
    let dicomPort = RawAssociation.freePort()
    let httpPort = RawAssociation.freePort()
    private let executable: URL
    private var process: Process?

    /// Its REST API's root and its DICOMweb root (STOW-RS: `<dicomWeb>/studies`).
    var rest: HTTPEndpoint { get throws { try HTTPEndpoint("http://127.0.0.1:\(httpPort)") } }
    var dicomWeb: String { "http://127.0.0.1:\(httpPort)/dicom-web" }

    /// Writes the configuration (``start()`` starts Orthanc); throws, naming what to install, when Orthanc or its
    /// DICOMweb plugin is absent.
    init() throws {
        executable = try Peer.orthanc.require().executable
        _ = try Peer.orthancDicomWeb.require()
        directory = try TemporaryDirectory(prefix: "orthanc-test")
        let storage = directory.url.appendingPathComponent("storage").path
        let configuration: [String: Any] = [
            "Name": "dicom-deid-test", "StorageDirectory": storage, "IndexDirectory": storage,
            "DicomAet": Self.aeTitle, "DicomPort": dicomPort, "DicomCheckCalledAet": true, "DicomAlwaysAllowStore": true,
            "HttpPort": httpPort, "RemoteAccessAllowed": false, "AuthenticationEnabled": false, "SslEnabled": false,
            "Plugins": [Peer.orthancDicomWebPlugin], "DicomWeb": ["Enable": true, "Root": "/dicom-web/"],
            "StorageCompression": false, "OverwriteInstances": false, "SaveJobs": false, "HttpDescribeErrors": true,
        ]
        let json = try JSONSerialization.data(withJSONObject: configuration, options: [.sortedKeys])
        try FileIO.writeAtomically(Array(json), to: path("orthanc.json"), overwrite: false, mode: 0o600, prefix: ".tmp-")
        FileManagerFree.touch(path("orthanc.log"))
    }

    func path(_ name: String) -> String { directory.url.appendingPathComponent(name).path }

    /// Starts Orthanc and waits (up to 60 s) until its REST API answers.
    func start() async throws {
        let process = Process()
        process.executableURL = executable
        process.arguments = ["--logfile=" + path("orthanc.log"), path("orthanc.json")]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        self.process = process
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline, process.isRunning {
            if (try? await get("/system"))?.status == 200 { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        let log = (try? FileIO.readAll(path: path("orthanc.log"))).map { String(decoding: $0.suffix(2000), as: UTF8.self) } ?? ""
        await stop()
        throw PeerMissing("Orthanc did not answer on port \(httpPort): \(log)")
    }

    /// Asks Orthanc to stop through its REST API (`POST /tools/shutdown`), then waits; SIGKILL after 30 s. Not
    /// SIGTERM: a process started by the test runner may inherit a signal mask that blocks it (seen here: Orthanc
    /// then ran on until the SIGKILL).
    func stop() async {
        guard let process else { return }
        if process.isRunning, let endpoint = try? rest {
            _ = try? await HTTPClient.post([], to: endpoint, path: "/tools/shutdown", headers: [], timeout: .seconds(10))
            let deadline = Date().addingTimeInterval(30)
            while process.isRunning, Date() < deadline { try? await Task.sleep(for: .milliseconds(50)) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        }
        process.waitUntilExit()
        self.process = nil
    }

    /// One GET of its REST API.
    func get(_ resource: String, maxResponseSize: Int = 64 << 20) async throws -> HTTPResponse {
        try await HTTPClient.get(try rest, path: resource, maxResponseSize: maxResponseSize, timeout: .seconds(30))
    }

    /// The instances Orthanc holds: its ID for each, with the SOP Instance UID from its main DICOM tags.
    func instances() async throws -> [(id: String, sopInstanceUID: String)] {
        let response = try await get("/instances?expand")
        guard response.status == 200, let list = try JSONSerialization.jsonObject(with: Data(response.body)) as? [[String: Any]] else {
            throw PeerMissing("Orthanc's /instances answered \(response.status)")
        }
        return list.map { entry in
            let tags = entry["MainDicomTags"] as? [String: Any]
            return (entry["ID"] as? String ?? "", tags?["SOPInstanceUID"] as? String ?? "")
        }
    }

    /// The IDs of the instances in the order Orthanc stored them (its changes log, `NewInstance` entries).
    func newInstanceIDs() async throws -> [String] {
        var ids: [String] = []
        var since = 0
        while true {
            let response = try await get("/changes?since=\(since)&limit=1000")
            guard response.status == 200, let page = try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any],
                  let changes = page["Changes"] as? [[String: Any]], let last = page["Last"] as? Int else {
                throw PeerMissing("Orthanc's /changes answered \(response.status)")
            }
            ids += changes.filter { $0["ChangeType"] as? String == "NewInstance" }.compactMap { $0["ID"] as? String }
            if page["Done"] as? Bool == true || changes.isEmpty { return ids }
            since = last
        }
    }

    /// The file Orthanc returns for one instance (`/instances/{id}/file`).
    func file(_ id: String) async throws -> [UInt8] {
        let response = try await get("/instances/\(id)/file")
        guard response.status == 200 else { throw PeerMissing("Orthanc's /instances/\(id)/file answered \(response.status)") }
        return response.body
    }

    /// A test that did not stop it (it failed on the way) leaves it to SIGKILL here.
    deinit {
        if let process, process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process?.waitUntilExit()
        directory.remove()
    }
}
