@testable import ProfileFiles
import Testing

/// Where OpenSSL offers no MD5 (FIPS mode), a profile with CTP's unkeyed hashes is refused at load with one line,
/// instead of stopping the run at its first file.
struct MD5AvailabilityTests {
    @Test func unkeyedHashesWithoutMD5AreRefusedAtLoad() {
        let script = #"<e en="T" t="00100020" n="PatientID">@hash(this,10)</e>"#
        #expect(throws: ProfileFileError.self) {
            try ProfileRequest(ctpScript: "site.script").refuseUnkeyedHashesWithoutMD5(script, file: "site.script", md5Available: false)
        }
        do {
            try ProfileRequest(ctpScript: "site.script").refuseUnkeyedHashesWithoutMD5(script, file: "site.script", md5Available: false)
        } catch {
            #expect("\(error)".contains("--keyed-hashes"))
            #expect("\(error)".contains("site.script"))
        }
    }

    @Test func keyedHashesOrMD5OrNoHashArePassed() throws {
        let script = #"<e en="T" t="00100020" n="PatientID">@hash(this,10)</e>"#
        try ProfileRequest(ctpScript: "s", keyedHashes: true).refuseUnkeyedHashesWithoutMD5(script, file: "s", md5Available: false)
        try ProfileRequest(ctpScript: "s").refuseUnkeyedHashesWithoutMD5(script, file: "s", md5Available: true)
        try ProfileRequest(ctpScript: "s").refuseUnkeyedHashesWithoutMD5("<e en=\"T\" t=\"00100010\">@empty</e>", file: "s",
                                                                         md5Available: false)
    }
}
