// libFuzzer target: the CMS Enveloped-data parser and decryption with the fixed test key (see Scripts/fuzz.sh).
// Any input must be refused with an error or decrypted; never a crash.
import CMS
import FuzzDriver

private let key: RecipientPrivateKey = {
    let root = String(#filePath.dropLast("Fuzz/cms/FuzzCms.swift".count))
    guard let key = try? RecipientPrivateKey(contentsOf: root + "Keys/test-recipient-a.key", passphrase: nil) else {
        fatalError("cannot read Keys/test-recipient-a.key")
    }
    return key
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCMS(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    _ = try? EnvelopedData.inspect(bytes)
    _ = try? EnvelopedData.decrypt(bytes, key: key)
    return 0
}

@_cdecl("fuzz_cms_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv, fuzzCMS)
}
