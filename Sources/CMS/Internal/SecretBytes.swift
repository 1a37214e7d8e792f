internal import Hashing
/// Secret bytes (a passphrase) in storage that is cleansed with `OPENSSL_cleanse` when the last reference goes.
///
/// A class only because it owns a manually allocated buffer (value types otherwise). It is immutable after `init`, which is why the
/// unchecked `Sendable` is sound. The storage keeps one extra NUL byte so OpenSSL calls that want a C string get one.
final class SecretBytes: @unchecked Sendable {
    private let storage: UnsafeMutableRawBufferPointer
    /// Number of secret bytes (without the trailing NUL).
    let count: Int

    init(_ bytes: some Collection<UInt8>) {
        count = bytes.count
        storage = UnsafeMutableRawBufferPointer.allocate(byteCount: count + 1, alignment: 1)
        storage.initializeMemory(as: UInt8.self, repeating: 0)
        storage.copyBytes(from: bytes)
    }

    deinit {
        Cleanse.raw(storage)
        storage.deallocate()
    }

    /// Calls `body` with the bytes as a NUL-terminated C string and their count.
    func withCString<R, E: Error>(_ body: (UnsafePointer<CChar>, Int) throws(E) -> R) throws(E) -> R {
        // The storage is never empty (count + 1 bytes), so the base address exists; fall back to a static "" anyway.
        guard let base = storage.baseAddress else { return try body("", 0) }
        return try body(base.assumingMemoryBound(to: CChar.self), count)
    }

    /// Copies the bytes into `destination`, which must have room for `count` bytes.
    func copy(to destination: UnsafeMutableRawPointer) {
        guard let base = storage.baseAddress else { return }
        destination.copyMemory(from: base, byteCount: count)
    }
}
