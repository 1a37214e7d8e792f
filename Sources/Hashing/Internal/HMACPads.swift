/// The two padded key blocks of HMAC-SHA-256 (RFC 2104): the key (hashed first when longer than a block), zero
/// padded to SHA-256's 64-byte block, XOR ipad and XOR opad. Handed to `body` and wiped after it.
func withHMACPads<Result>(key: [UInt8], _ body: (_ inner: [UInt8], _ outer: [UInt8]) -> Result) -> Result {
    let blockSize = 64
    var block = key.count > blockSize ? SHA256.digest([key]) : key
    block += [UInt8](repeating: 0, count: blockSize - block.count)
    var inner = block.map { $0 ^ 0x36 }
    var outer = block.map { $0 ^ 0x5C }
    defer {
        Cleanse.bytes(&block)
        Cleanse.bytes(&inner)
        Cleanse.bytes(&outer)
    }
    return body(inner, outer)
}
