import DICOMNetwork
import Foundation

/// What a STOW-RS server did with one instance (PS3.18 10.5.3), read from the response's status code and its
/// Store Instances Response Module in the DICOM JSON model (PS3.18 F.2): stored (perhaps with a warning), or
/// failed, either for a reason that may pass (retry later) or for good.
public enum STOWOutcome: Sendable, Hashable {
    /// In the Referenced SOP Sequence (0008,1199); `warning` is its Warning Reason (0008,1196) if any.
    case stored(warning: UInt16?)
    /// Not stored; `retryable` when sending the same instance again later may succeed.
    case failed(String, retryable: Bool)

    /// Reads the outcome for the instance `sopInstanceUID`, the only one of its request.
    ///
    /// - 200 OK: stored, unless the Failed SOP Sequence (0008,1198) names it anyway.
    /// - 202 Accepted: stored with a warning, or failed: the response's sequences tell which.
    /// - 409 Conflict: failed; its Failure Reason (0008,1197) says whether for good.
    /// - 400, 413, 415: this request cannot be taken, for good. 408, 429, 5xx and every other code (401, 403,
    ///   404: access or URL, which an operator can fix): retry later.
    ///
    /// Failure reasons A7xx (out of resources), 0110 (processing failure) and 0213 (resource limitation) are
    /// retryable; the others (A9xx, Cxxx, 0122...) are not.
    public init(response: HTTPResponse, sopInstanceUID: String) {
        let module = StoreInstancesResponse(json: response.body, sopInstanceUID: sopInstanceUID)
        let code = "STOW-RS \(response.status)"
        if let reason = module?.failureReason {
            self = .failed("\(code), failure reason \(Self.hex(reason))", retryable: DIMSEStatus(rawValue: reason).isTransientFailure)
            return
        }
        switch response.status {
        case 200:
            self = .stored(warning: module?.warningReason)
        case 202:
            if let module, module.isReferenced {
                self = .stored(warning: module.warningReason)
            } else {
                self = .failed("\(code): the response names neither a stored nor a failed instance", retryable: true)
            }
        case 409:
            self = .failed("\(code) Conflict without a failure reason", retryable: false)
        case 400, 413, 415:
            self = .failed("\(code): the server refuses this request", retryable: false)
        default:
            self = .failed("\(code)", retryable: true)
        }
    }

    static func hex(_ value: UInt16) -> String {
        let text = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: 4 - text.count) + text + "H"
    }
}

/// The parts of the Store Instances Response Module (PS3.18 10.5.3.1) about one instance, from DICOM JSON.
struct StoreInstancesResponse {
    /// Failure Reason (0008,1197) of the Failed SOP Sequence item naming the instance (or of the only item).
    var failureReason: UInt16?
    /// Whether the Referenced SOP Sequence (0008,1199) names the instance.
    var isReferenced = false
    /// Its Warning Reason (0008,1196) there.
    var warningReason: UInt16?

    /// Nil when `json` is not a DICOM JSON object (an XML response, an HTML error page, nothing).
    init?(json: [UInt8], sopInstanceUID: String) {
        guard !json.isEmpty, let root = try? JSONDecoder().decode([String: Attribute].self, from: Data(json)) else { return nil }
        let failed = root["00081198"]?.items ?? []
        if let item = failed.first(where: { $0["00081155"]?.firstString == sopInstanceUID }) ?? (failed.count == 1 ? failed.first : nil) {
            failureReason = item["00081197"]?.firstNumber.map { UInt16(clamping: $0) } ?? 0x0110
        }
        if let item = (root["00081199"]?.items ?? []).first(where: { $0["00081155"]?.firstString == sopInstanceUID }) {
            isReferenced = true
            warningReason = item["00081196"]?.firstNumber.map { UInt16(clamping: $0) }
        }
    }

    /// One attribute of the DICOM JSON model (PS3.18 F.2.2): its VR and its values.
    struct Attribute: Decodable {
        var values: [Value]

        enum CodingKeys: String, CodingKey { case values = "Value" }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            values = try container.decodeIfPresent([Value].self, forKey: .values) ?? []
        }

        var items: [[String: Attribute]] { values.compactMap { if case .item(let item) = $0 { item } else { nil } } }
        var firstString: String? { values.lazy.compactMap { if case .string(let text) = $0 { text } else { nil } }.first }
        var firstNumber: Int? { values.lazy.compactMap { if case .number(let number) = $0 { Int(exactly: number.rounded()) } else { nil } }.first }
    }

    /// One value: a string, a number, a sequence item, or something else (person names, nulls), ignored here.
    enum Value: Decodable {
        case string(String), number(Double), item([String: Attribute]), other

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let text = try? container.decode(String.self) { self = .string(text) }
            else if let number = try? container.decode(Double.self) { self = .number(number) }
            else if let item = try? container.decode([String: Attribute].self) { self = .item(item) }
            else { self = .other }
        }
    }
}
