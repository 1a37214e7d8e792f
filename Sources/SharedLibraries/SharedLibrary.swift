import Glibc

/// A system library opened at run time (`dlopen`) rather than linked: for a library only some runs need
/// (Tesseract, libpq), whose loading and relocation would otherwise cost every process start several
/// milliseconds. Its functions are looked up by name with their C types, all at once, so that a library
/// lacking one is refused whole at load, never at the first call.
public struct SharedLibrary: @unchecked Sendable {
    /// The file name that loaded (`libtesseract.so.5`).
    public let fileName: String
    private let handle: UnsafeMutableRawPointer

    /// Opens the first of `fileNames` that the dynamic loader loads, with its symbols global (so that its own
    /// dependencies' functions are found by name too, as when linked).
    /// - Returns: the library, or one line with the loader's message for each name tried.
    public static func open(firstOf fileNames: [String]) -> Result<SharedLibrary, LoadFailure> {
        var messages: [String] = []
        for name in fileNames {
            if let handle = dlopen(name, RTLD_NOW | RTLD_GLOBAL) {
                return .success(SharedLibrary(fileName: name, handle: handle))
            }
            messages.append(dlerror().map { String(cString: $0) } ?? "\(name): not loaded")
        }
        return .failure(LoadFailure(message: messages.joined(separator: "; ")))
    }

    /// Why a library could not be used, in one line (the loader's words, or the functions it lacks).
    public struct LoadFailure: Error, Sendable {
        public let message: String
    }

    /// Looks up functions: `make` is given a lookup to call once per function, with its C type inferred
    /// (`create: lookup("TessBaseAPICreate")`).
    /// - Returns: what `make` made, or the names not found (then nothing it made may be called).
    public func functions<T>(_ make: (Lookup) -> T) -> Result<T, LoadFailure> {
        let lookup = Lookup(handle: handle)
        let made = make(lookup)
        guard lookup.missing.isEmpty else {
            return .failure(LoadFailure(message: "\(fileName) lacks \(lookup.missing.joined(separator: ", "))"))
        }
        return .success(made)
    }

    /// Finds functions of one library by name; remembers those it did not find.
    public final class Lookup {
        private let handle: UnsafeMutableRawPointer
        fileprivate var missing: [String] = []

        fileprivate init(handle: UnsafeMutableRawPointer) { self.handle = handle }

        /// The function `name` as `F`, a `@convention(c)` function type; a stand-in never to be called when the
        /// library lacks it (``SharedLibrary/functions(_:)`` then fails).
        public func callAsFunction<F>(_ name: String, as _: F.Type = F.self) -> F {
            precondition(MemoryLayout<F>.size == MemoryLayout<UnsafeMutableRawPointer>.size, "\(F.self) is not a C function type")
            guard let symbol = dlsym(handle, name) else {
                missing.append(name)
                return unsafeBitCast(UnsafeMutableRawPointer(bitPattern: 1).unsafelyUnwrapped, to: F.self)
            }
            return unsafeBitCast(symbol, to: F.self)
        }
    }
}
