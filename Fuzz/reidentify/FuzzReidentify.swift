// libFuzzer target: re-identification, reached through its restore code (see Scripts/fuzz.sh). The fuzzer's input
// is the *plaintext* of the Encrypted Content: a first byte choosing one of a few de-identified fixtures, then the
// data set this tool encrypts (the Modified Attributes Sequence, the DICOM-DEID block with its digest and binding).
// The harness fixes the digest up when the input has one where this tool writes it, encrypts the input for the
// test certificate and re-identifies. Fuzzing the ciphertext instead would stop at the decryption nearly always.
// Any plaintext must be refused with an error or restored; never a crash.
//
// `fuzz-reidentify -write-seeds DIR` writes the real plaintexts of the fixtures (the seeds) and exits.
import CMS
import DICOMCodec
import DICOMCore
import Deidentification
import Foundation
import FuzzDriver
import Hashing

private let root = String(#filePath.dropLast("Fuzz/reidentify/FuzzReidentify.swift".count))

private func loaded<T>(_ what: String, _ make: () throws -> T) -> T {
    do { return try make() } catch { fatalError("fuzz-reidentify: cannot \(what): \(error)") }
}

private let certificate = loaded("read Keys/test-recipient-a.crt") {
    try RecipientCertificate(contentsOf: root + "Keys/test-recipient-a.crt")
}
private let key = loaded("read Keys/test-recipient-a.key") {
    try RecipientPrivateKey(contentsOf: root + "Keys/test-recipient-a.key", passphrase: nil)
}

/// De-identified fixtures (the first input byte picks one), made once: their Encrypted Content is replaced per input.
private let deidentified: [Part10File] = loaded("make the de-identified fixtures") {
    let deidentifier = Deidentifier(settings: DeidentificationSettings(keys: MappingKeys(secret: Array("fuzz".utf8)), recipients: Recipients([certificate])))
    return try ["sc-utf8-explicit-le.dcm", "ct-explicit-le.dcm", "sr-basic-text-explicit-le.dcm"].map {
        try deidentifier.deidentify(try Part10Reader.read(contentsOf: root + "Fixtures/" + $0)).file
    }
}

private let encryptedAttributes = Tag(0x0400, 0x0500), encryptedContent = Tag(0x0400, 0x0520)

/// The plaintext inside a de-identified file's first Encrypted Attributes item.
private func plaintext(of file: Part10File) throws -> [UInt8] {
    guard let item = file.dataSet[encryptedAttributes]?.sequence?.items.first,
          var content = item.dataSet[encryptedContent]?.bytes.map(Array.init) else { throw CMSError(.malformedEnvelope, reason: "no content") }
    if let total = EnvelopedData.derElementLength(content[...]), total < content.count { content = Array(content.prefix(total)) }
    return try EnvelopedData.decrypt(content, key: key)
}

/// Recomputes the v2 content digest ((0401,1002) OB, 32 bytes, Explicit VR Little Endian, as this tool writes it:
/// HMAC-SHA-256 under a public label over everything else), so inputs get past the digest to the restore.
private func withDigestFixed(_ plaintext: [UInt8]) -> [UInt8] {
    let header: [UInt8] = [0x01, 0x04, 0x02, 0x10, 0x4F, 0x42, 0, 0, 32, 0, 0, 0]
    guard plaintext.count >= header.count + 32 else { return plaintext }
    for start in 0...(plaintext.count - header.count - 32) where plaintext[start..<(start + header.count)].elementsEqual(header) {
        let value = start + header.count
        let covered = Array(plaintext[0..<start]) + Array(plaintext[(value + 32)...])
        var fixed = plaintext
        fixed.replaceSubrange(value..<(value + 32),
                              with: KeyedDigest.hmacSHA256(key: Array("dicom-deid encrypted content digest v2".utf8), message: covered))
        return fixed
    }
    return plaintext
}

/// Re-identifies fixture `index` with `plaintext` (its digest fixed up) encrypted as its Encrypted Content.
private func reidentify(_ index: Int, _ plaintext: [UInt8]) throws {
    var file = deidentified[index % deidentified.count]
    guard var sequence = file.dataSet[encryptedAttributes]?.sequence, !sequence.items.isEmpty else { return }
    var content = try EnvelopedData.encrypt(withDigestFixed(plaintext), to: [certificate])
    if content.count % 2 == 1 { content.append(0) }
    sequence.items[0].dataSet.set(DataElement(tag: encryptedContent, vr: .OB, bytes: content))
    file.dataSet.set(DataElement(tag: encryptedAttributes, vr: .SQ, value: .sequence(sequence)))
    _ = try Reidentifier(key: key).reidentify(file)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzReidentify(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size >= 1 else { return 0 }
    try? reidentify(Int(data[0]), Array(UnsafeBufferPointer(start: data + 1, count: size - 1)))
    return 0
}

@_cdecl("fuzz_reidentify_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    let arguments = CommandLine.arguments
    if arguments.count == 3, arguments[1] == "-write-seeds" {
        for (index, file) in deidentified.enumerated() {
            let real = loaded("decrypt fixture \(index)") { try plaintext(of: file) }
            // Each seed restores through the harness: otherwise the fuzzer would explore from a refused input.
            loaded("re-identify seed \(index) through the harness") { try reidentify(index, real) }
            loaded("write seed \(index)") {
                try Data([UInt8(index)] + real).write(to: URL(fileURLWithPath: arguments[2] + "/modified-attributes-\(index)"))
            }
        }
        return 0
    }
    return runFuzzer(argc, argv, fuzzReidentify)
}
