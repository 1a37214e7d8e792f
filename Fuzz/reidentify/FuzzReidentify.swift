// libFuzzer target: re-identification of a fixed de-identified file whose Encrypted Content (0400,0520) is the
// fuzzer's input (see Scripts/fuzz.sh). Any content must be refused with an error or restored; never a crash.
import CMS
import DICOMCodec
import DICOMCore
import Deidentification
import FuzzDriver

private let root = String(#filePath.dropLast("Fuzz/reidentify/FuzzReidentify.swift".count))
private let key: RecipientPrivateKey = {
    guard let key = try? RecipientPrivateKey(contentsOf: root + "Keys/test-recipient-a.key", passphrase: nil) else {
        fatalError("cannot read Keys/test-recipient-a.key")
    }
    return key
}()
/// A de-identified fixture, made once.
private let deidentified: Part10File = {
    do {
        let original = try Part10Reader.read(contentsOf: root + "Fixtures/sc-utf8-explicit-le.dcm")
        let certificate = try RecipientCertificate(contentsOf: root + "Keys/test-recipient-a.crt")
        let deidentifier = Deidentifier(settings: DeidentificationSettings(keys: MappingKeys(secret: Array("fuzz".utf8)), recipients: Recipients([certificate])))
        return try deidentifier.deidentify(original).file
    } catch {
        fatalError("cannot make the de-identified fixture: \(error)")
    }
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzReidentify(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    var file = deidentified
    guard var sequence = file.dataSet[Tag(0x0400, 0x0500)]?.sequence, !sequence.items.isEmpty else { return 0 }
    var content = Array(UnsafeBufferPointer(start: data, count: size))
    if content.count % 2 == 1 { content.append(0) }
    sequence.items[0].dataSet.set(DataElement(tag: Tag(0x0400, 0x0520), vr: .OB, bytes: content))
    file.dataSet.set(DataElement(tag: Tag(0x0400, 0x0500), vr: .SQ, value: .sequence(sequence)))
    _ = try? Reidentifier(key: key).reidentify(file)
    return 0
}

@_cdecl("fuzz_reidentify_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv, fuzzReidentify)
}
