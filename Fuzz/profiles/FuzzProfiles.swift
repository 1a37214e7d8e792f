// libFuzzer target: the profile parsers (see Scripts/fuzz.sh). The first byte picks the parser: native YAML
// profile, CTP script (XML or properties, then validation), private disposition CSV. Any text must be
// refused with an error or read; never a crash or a hang.
import CTPScript
import FuzzDriver
import ProfileFiles

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzProfiles(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    let selector = data[0]
    let text = String(decoding: UnsafeBufferPointer(start: data + 1, count: size - 1), as: UTF8.self)
    switch selector % 3 {
    case 0: _ = try? NativeProfileParser.parse(text, file: "fuzz.yaml")
    case 1:
        if let script = try? CTPScriptParser.parse(text, file: "fuzz.script") { _ = try? script.validate() }
    default: _ = try? PrivateDispositions.parse(text, file: "fuzz.csv")
    }
    return 0
}

@_cdecl("fuzz_profiles_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv, fuzzProfiles)
}
