/// Stores instances on a DICOMweb server by STOW-RS (PS3.18 10.5): `POST <base>/studies` with a
/// `multipart/related; type="application/dicom"` body, the response asked for as DICOM JSON.
public enum STOWClient {
    /// Sends one Part 10 file, as it is, and reads what the server did with it.
    /// - Parameters:
    ///   - sopInstanceUID: the file's SOP Instance UID, looked for in the response.
    ///   - base: the service's base URL (Orthanc: `http://host:8042/dicom-web`).
    /// - Throws: ``DICOMWebError`` when no complete response came (connection, time-out, over-long response):
    ///   the instance may or may not be stored, and sending it again is safe (one instance per SOP Instance UID).
    public static func store(_ file: [UInt8], sopInstanceUID: String, to base: HTTPEndpoint,
                             timeout: Duration = .seconds(60)) async throws -> STOWOutcome {
        let multipart = MultipartRelated(files: [file])
        let response = try await HTTPClient.post(multipart.body, to: base, path: "/studies",
                                                 headers: [("Content-Type", multipart.contentType), ("Accept", "application/dicom+json")],
                                                 timeout: timeout)
        return STOWOutcome(response: response, sopInstanceUID: sopInstanceUID)
    }
}
