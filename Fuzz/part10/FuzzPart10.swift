// libFuzzer target: the Part 10 reader, and the writer on whatever it accepts (see Scripts/fuzz.sh).
// Invariant: any input is refused with an error or read; what is read is written and read back to the same
// data set bytes. Anything else (a crash, a trap, a different re-read) is a finding.
import DICOMCodec
import FuzzDriver

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPart10(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let file = try? Part10Reader.read(bytes: bytes) else { return 0 }
    guard let written = try? Part10Writer.encode(file) else { return 0 }   // e.g. a value too long to write back
    guard let again = try? Part10Reader.read(bytes: written) else {
        fatalError("what the writer wrote does not read back")
    }
    // Part10Writer encoded this data set with the same writer, so both encodings must succeed (two failures
    // compared as nil == nil would hide a data set that no longer writes after a read).
    let first: [UInt8], second: [UInt8]
    do {
        first = try DataSetWriter(target: file.dataSetEncoding, sourceOrder: file.dataSetEncoding.byteOrder).encode(file.dataSet)
        second = try DataSetWriter(target: again.dataSetEncoding, sourceOrder: again.dataSetEncoding.byteOrder).encode(again.dataSet)
    } catch {
        fatalError("a data set the writer wrote cannot be encoded again after a read: \(error)")
    }
    if first != second { fatalError("the data set changed through a write and a read") }
    return 0
}

@_cdecl("fuzz_part10_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv, fuzzPart10)
}
