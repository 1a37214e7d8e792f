import Testing
import SharedLibraries

/// A library opened at run time: its functions are called through their C types, and what is missing is said in
/// one line naming it, at load.
struct SharedLibraryTests {
    private typealias Length = @convention(c) (UnsafePointer<CChar>?) -> Int

    @Test func functionsAreFoundAndCalled() throws {
        let library = try SharedLibrary.open(firstOf: ["libc.so.6"]).get()
        let strlen: Length = try library.functions { lookup in lookup("strlen") }.get()
        #expect(strlen("burned-in") == 9)
        #expect(library.fileName == "libc.so.6")
    }

    @Test func theFirstNameThatLoadsIsTaken() throws {
        let library = try SharedLibrary.open(firstOf: ["libdicom-deid-absent.so.9", "libc.so.6"]).get()
        #expect(library.fileName == "libc.so.6")
    }

    @Test func aLibraryThatDoesNotLoadIsNamed() {
        guard case .failure(let failure) = SharedLibrary.open(firstOf: ["libdicom-deid-absent.so.9", "libdicom-deid-absent.so"]) else {
            Issue.record("an absent library loaded")
            return
        }
        #expect(failure.message.contains("libdicom-deid-absent.so.9"))
        #expect(failure.message.contains("libdicom-deid-absent.so:"))
        #expect(!failure.message.contains("\n"))
    }

    @Test func aMissingFunctionRefusesTheWholeLibrary() throws {
        let library = try SharedLibrary.open(firstOf: ["libc.so.6"]).get()
        let result = library.functions { lookup -> (Length, Length) in (lookup("strlen"), lookup("dicom_deid_no_such_function")) }
        guard case .failure(let failure) = result else {
            Issue.record("a library lacking a function was accepted")
            return
        }
        #expect(failure.message == "libc.so.6 lacks dicom_deid_no_such_function")
    }
}
