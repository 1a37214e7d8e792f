internal import CLibPQ
import SharedLibraries

/// libpq's C API, loaded when the first PostgreSQL connection is made rather than linked: libpq and its
/// dependencies (Kerberos, LDAP, GnuTLS) cost about 2.5 ms of CPU at every process start, and only runs with a
/// PostgreSQL mapping database use them. The types are those of Debian's `libpq-fe.h` (CLibPQ); connections and
/// results are `OpaquePointer`s that never leave this module.
struct PostgresLibrary: @unchecked Sendable {
    typealias Strings = UnsafePointer<UnsafePointer<CChar>?>?
    let connect: @convention(c) (Strings, Strings, Int32) -> OpaquePointer?
    let status: @convention(c) (OpaquePointer?) -> ConnStatusType
    let errorMessage: @convention(c) (OpaquePointer?) -> UnsafeMutablePointer<CChar>?
    let finish: @convention(c) (OpaquePointer?) -> Void
    let reset: @convention(c) (OpaquePointer?) -> Void
    let setNoticeProcessor: @convention(c) (OpaquePointer?, PQnoticeProcessor?, UnsafeMutableRawPointer?) -> PQnoticeProcessor?
    let exec: @convention(c) (OpaquePointer?, UnsafePointer<CChar>?) -> OpaquePointer?
    let execParams: @convention(c) (OpaquePointer?, UnsafePointer<CChar>?, Int32, UnsafePointer<Oid>?, Strings,
                                    UnsafePointer<Int32>?, UnsafePointer<Int32>?, Int32) -> OpaquePointer?
    let resultStatus: @convention(c) (OpaquePointer?) -> ExecStatusType
    let resultErrorField: @convention(c) (OpaquePointer?, Int32) -> UnsafeMutablePointer<CChar>?
    let rowCount: @convention(c) (OpaquePointer?) -> Int32
    let fieldCount: @convention(c) (OpaquePointer?) -> Int32
    let value: @convention(c) (OpaquePointer?, Int32, Int32) -> UnsafeMutablePointer<CChar>?
    let isNull: @convention(c) (OpaquePointer?, Int32, Int32) -> Int32
    let clear: @convention(c) (OpaquePointer?) -> Void

    /// The library's file names (Debian's `libpq5`).
    static let fileNames = ["libpq.so.5", "libpq.so"]

    /// The library, loaded once per process; the failure is the loader's message.
    static let shared: Result<PostgresLibrary, SharedLibrary.LoadFailure> = SharedLibrary.open(firstOf: fileNames)
        .flatMap { library in
            library.functions { lookup in
                PostgresLibrary(
                    connect: lookup("PQconnectdbParams"), status: lookup("PQstatus"), errorMessage: lookup("PQerrorMessage"),
                    finish: lookup("PQfinish"), reset: lookup("PQreset"), setNoticeProcessor: lookup("PQsetNoticeProcessor"),
                    exec: lookup("PQexec"), execParams: lookup("PQexecParams"), resultStatus: lookup("PQresultStatus"),
                    resultErrorField: lookup("PQresultErrorField"), rowCount: lookup("PQntuples"), fieldCount: lookup("PQnfields"),
                    value: lookup("PQgetvalue"), isNull: lookup("PQgetisnull"), clear: lookup("PQclear"))
            }
        }
}
