import DICOMTestSupport
import Foundation
import MappingStore
import Testing

/// Clear, one-line errors that name the file or server and never a key or a password.
@Suite struct StoreErrorTests {
    /// The error `body` throws, or a test failure when it throws none or another type.
    private func storeError(_ body: () throws(MappingStoreError) -> Void,
                            sourceLocation: Testing.SourceLocation = #_sourceLocation) -> MappingStoreError? {
        do {
            try body()
            Issue.record("no error", sourceLocation: sourceLocation)
            return nil
        } catch {
            #expect(!error.description.contains("\n"), "one line: \(error)", sourceLocation: sourceLocation)
            return error
        }
    }

    @Test func createsTheDatabaseFileWithMode0600() throws {
        let folder = try TemporaryDirectory(prefix: "mapping")
        defer { folder.remove() }
        let path = folder.url.appendingPathComponent("new.sqlite").path
        let previous = umask(0o022)
        defer { umask(previous) }
        let store = try SQLiteIntegerStore(path: path)
        _ = try store.integer(for: "FAKE-A", type: "ptid")
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
    }

    @Test func corruptFileIsNamed() throws {
        let folder = try TemporaryDirectory(prefix: "mapping")
        defer { folder.remove() }
        let path = folder.url.appendingPathComponent("corrupt.sqlite").path
        try Data(repeating: 0x5A, count: 8192).write(to: URL(fileURLWithPath: path))
        let error = storeError { () throws(MappingStoreError) in _ = try SQLiteIntegerStore(path: path) }
        #expect(error?.code == .corrupt)
        #expect(error?.description.hasPrefix(path + ": not an SQLite database") == true, "\(String(describing: error))")
    }

    /// The one error design (issue 13 item 4): the throw site is recorded in this module, codes read as words.
    @Test func errorsRecordTheirThrowSiteInThisModule() throws {
        let folder = try TemporaryDirectory(prefix: "mapping")
        defer { folder.remove() }
        let error = try #require(storeError { () throws(MappingStoreError) in _ = try SQLiteIntegerStore(path: folder.url.path) })
        #expect(error.thrownAt.fileID.hasPrefix("MappingStore/"))
        #expect(error.location == folder.url.path)
        #expect(MappingStoreError(.busy).description == "database busy")
        let chained = MappingStoreError(.queryFailed, reason: "cannot store", location: "m.sqlite", cause: error)
        #expect(chained.description == "m.sqlite: cannot store: \(error)")
        #expect((chained.cause as? MappingStoreError)?.code == .unreadable)
    }

    @Test func damagedDatabaseIsReportedNotSilentlyRenumbered() throws {
        let folder = try TemporaryDirectory(prefix: "mapping")
        defer { folder.remove() }
        let path = folder.url.appendingPathComponent("damaged.sqlite").path
        do {
            let store = try SQLiteIntegerStore(path: path)
            for key in fakeIDs(0..<500) { _ = try store.integer(for: key, type: "ptid") }
        }
        // Overwrite everything after the header page with noise.
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.seek(toOffset: 4096)
        try handle.write(contentsOf: Data(repeating: 0xA5, count: 64 * 1024))
        try handle.close()
        let error = storeError { () throws(MappingStoreError) in
            let store = try SQLiteIntegerStore(path: path)
            _ = try store.entries()
        }
        #expect(error?.code == .corrupt)
    }

    @Test func readOnlyFileIsNamed() throws {
        let folder = try TemporaryDirectory(prefix: "mapping")
        defer { folder.remove() }
        let path = folder.url.appendingPathComponent("readonly.sqlite").path
        _ = try SQLiteIntegerStore(path: path).integer(for: "FAKE-A", type: "ptid")
        try FileManager.default.setAttributes([.posixPermissions: 0o400], ofItemAtPath: path)
        // Refused even for root, whom the kernel would let write.
        let error = storeError { () throws(MappingStoreError) in _ = try SQLiteIntegerStore(path: path) }
        #expect(error?.code == .readOnly)
        #expect(error?.description == "\(path): the file is read-only")
    }

    @Test func unreadableLocationsAreNamed() throws {
        let folder = try TemporaryDirectory(prefix: "mapping")
        defer { folder.remove() }
        let directory = storeError { () throws(MappingStoreError) in _ = try SQLiteIntegerStore(path: folder.url.path) }
        #expect(directory?.code == .unreadable)
        #expect(directory?.description == "\(folder.url.path): not a regular file")
        let missing = folder.url.appendingPathComponent("no/such/folder/m.sqlite").path
        let error = storeError { () throws(MappingStoreError) in _ = try MappingStores.open(missing) }
        #expect(error?.code == .unreadable)
        #expect(error?.description.hasPrefix(missing + ": cannot create the database") == true)
    }

    @Test func unreachableServerIsNamedWithoutPassword() {
        // Port 1 on the loopback interface: nothing listens there.
        let url = "postgresql://fake_user:S3cret-Passw0rd@127.0.0.1:1/mappings"
        let error = storeError { () throws(MappingStoreError) in _ = try MappingStores.open(url) }
        #expect(error?.code == .unreachable)
        #expect(error?.description.hasPrefix("127.0.0.1:1/mappings: cannot connect to PostgreSQL") == true,
                "\(String(describing: error))")
        #expect(error?.description.contains("S3cret") == false)
        #expect(error?.description.contains("fake_user") == false)
    }

    @Test(.enabled(if: PostgresTestServer.shouldRun, PostgresTestServer.skipReason))
    func missingDatabaseIsNamed() throws {
        let url = try PostgresTestServer.requireURL()
        guard let slash = url.lastIndex(of: "/") else { throw TestFailure("URL without a database") }
        let other = url[..<slash] + "/no_such_database_here"
        let error = storeError { () throws(MappingStoreError) in _ = try PostgresIntegerStore(url: String(other)) }
        #expect(error?.code == .unreachable)
        #expect(error?.description.contains("no_such_database_here") == true)
    }

    @Test func errorsNeverCarryKeys() throws {
        let folder = try TemporaryDirectory(prefix: "mapping")
        defer { folder.remove() }
        let store = try SQLiteIntegerStore(path: folder.url.appendingPathComponent("m.sqlite").path)
        let error = storeError { () throws(MappingStoreError) in _ = try store.integer(for: "FAKE\u{0}SMITH", type: "ptid") }
        #expect(error?.code == .invalidArgument)
        #expect(error?.description.contains("SMITH") == false)
    }

    @Test func locationsHideCredentials() {
        #expect(PostgresIntegerStore.location(of: "postgresql://u:pw@db.example:5432/maps?sslmode=require")
                == "db.example:5432/maps")
        #expect(PostgresIntegerStore.location(of: "postgres://db.example/maps") == "db.example/maps")
        #expect(PostgresIntegerStore.location(of: "postgresql:///maps") == "localhost/maps")
        #expect(MappingStores.isPostgresURL("POSTGRES://h/d"))
        #expect(!MappingStores.isPostgresURL("data/postgres.sqlite"))
    }
}

/// Behaviour while another process holds the SQLite write lock (via the sqlite3 shell).
@Suite(.enabled(if: Peer.runnable(.sqlite3), Comment(rawValue: Peer.skipReason(.sqlite3))))
struct SQLiteLockTests {
    @Test func knownKeysAreAnsweredWhileAnotherProcessWritesAndNewOnesTimeOut() throws {
        let folder = try TemporaryDirectory(prefix: "mapping")
        defer { folder.remove() }
        let path = folder.url.appendingPathComponent("m.sqlite").path
        let type = "ptid"
        do {
            let store = try SQLiteIntegerStore(path: path)
            for key in fakeIDs(0..<10) { _ = try store.integer(for: key, type: type) }
        }
        let shell = try Peer.sqlite3.require()
        let process = Process()
        process.executableURL = shell.executable
        process.arguments = [path]
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        defer {
            try? input.fileHandleForWriting.close()
            process.waitUntilExit()
        }
        input.fileHandleForWriting.write(Data("BEGIN IMMEDIATE;\nSELECT 'locked';\n".utf8))
        // Wait until the shell holds the lock.
        var seen = Data()
        while !String(decoding: seen, as: UTF8.self).contains("locked") {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { throw TestFailure("sqlite3 ended early") }
            seen += chunk
        }
        let store = try SQLiteIntegerStore(path: path, busyTimeout: .milliseconds(200))
        #expect(try store.integer(for: "FAKE-PT-3", type: type) == 4, "a plain read does not wait for the writer")
        #expect(try store.integer(for: "FAKE-PT-3", type: type) == 4, "and then comes from memory")
        #expect(throws: MappingStoreError(.busy)) { try store.integer(for: "FAKE-NEW", type: type) }
        input.fileHandleForWriting.write(Data("ROLLBACK;\n".utf8))
        try input.fileHandleForWriting.close()
        process.waitUntilExit()
        #expect(try store.integer(for: "FAKE-NEW", type: type) == 11)
    }
}
