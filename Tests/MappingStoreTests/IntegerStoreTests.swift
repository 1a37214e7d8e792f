import DICOMTestSupport
import Dispatch
import Foundation
import MappingStore
import Testing

/// Numbering semantics shared by both databases (CTP IntegerTable: per type, from 1, stable).
@Suite struct IntegerStoreTests {
    @Test(arguments: Backend.enabled)
    func numbersEachTypeFromOneInFirstSeenOrder(_ backend: Backend) throws {
        let folder = try TemporaryDirectory(prefix: "mapping")
        defer { folder.remove() }
        let store = try MappingStores.open(try backend.location(in: folder.url))
        let patients = freshType("ptid"), studies = freshType("study")
        #expect(try store.integer(for: "FAKE-A", type: patients) == 1)
        #expect(try store.integer(for: "FAKE-B", type: patients) == 2)
        #expect(try store.integer(for: "FAKE-A", type: patients) == 1)
        #expect(try store.integer(for: "FAKE-A", type: studies) == 1)
        #expect(try store.integer(for: "FAKE-C", type: patients) == 3)
        let mine = try store.entries().filter { $0.type == patients }
        #expect(mine.map(\.key) == ["FAKE-A", "FAKE-B", "FAKE-C"])
        #expect(mine.map(\.value) == [1, 2, 3])
    }

    @Test(arguments: Backend.enabled)
    func trimsTypeAndKeyLikeCTP(_ backend: Backend) throws {
        let folder = try TemporaryDirectory(prefix: "mapping")
        defer { folder.remove() }
        let store = try MappingStores.open(try backend.location(in: folder.url))
        let type = freshType("ptid")
        #expect(try store.integer(for: " FAKE-A  ", type: type) == 1)
        #expect(try store.integer(for: "FAKE-A", type: " \(type) ") == 1)
        #expect(try store.integer(for: "", type: type) == 2)   // CTP numbers the empty text too
        #expect(throws: MappingStoreError(.invalidArgument)) { try store.integer(for: "FAKE-A", type: "  ") }
    }

    @Test(arguments: Backend.enabled)
    func padsToWidthLikeCTP(_ backend: Backend) throws {
        let folder = try TemporaryDirectory(prefix: "mapping")
        defer { folder.remove() }
        let store = try MappingStores.open(try backend.location(in: folder.url))
        let type = freshType("ptid")
        #expect(try store.formattedInteger(for: "FAKE-A", type: type, width: 6) == "000001")
        #expect(try store.formattedInteger(for: "FAKE-A", type: type, width: 0) == "1")
        #expect(try store.formattedInteger(for: "FAKE-A", type: type, width: -3) == "1")
        for key in fakeIDs(0..<11) { _ = try store.integer(for: key, type: type) }
        #expect(try store.formattedInteger(for: "FAKE-PT-10", type: type, width: 1) == "12")
    }

    @Test(arguments: Backend.enabled)
    func keepsNumbersAcrossReopening(_ backend: Backend) throws {
        let folder = try TemporaryDirectory(prefix: "mapping")
        defer { folder.remove() }
        let location = try backend.location(in: folder.url)
        let type = freshType("ptid")
        var first: [String: Int] = [:]
        do {
            let store = try MappingStores.open(location)
            for key in fakeIDs(0..<20) { first[key] = try store.integer(for: key, type: type) }
        }
        let reopened = try MappingStores.open(location)
        for key in fakeIDs(0..<20).reversed() { #expect(try reopened.integer(for: key, type: type) == first[key]) }
        #expect(try reopened.integer(for: "FAKE-NEW", type: type) == 21)
    }

    @Test(arguments: Backend.enabled)
    func manyThreadsAndTwoConnectionsAgree(_ backend: Backend) throws {
        let folder = try TemporaryDirectory(prefix: "mapping")
        defer { folder.remove() }
        let location = try backend.location(in: folder.url)
        let stores = [try MappingStores.open(location), try MappingStores.open(location)]
        let type = freshType("ptid")
        let results = ThreadResults()
        // 8 threads, 200 keys each, neighbours sharing half their keys, alternating between the two connections.
        DispatchQueue.concurrentPerform(iterations: 8) { thread in
            let keys = fakeIDs((thread * 100)..<(thread * 100 + 200)).shuffled()
            for key in keys {
                do {
                    results.add(key, try stores[thread % 2].integer(for: key, type: type))
                } catch {
                    results.fail("\(error)")
                }
            }
        }
        let (map, failures) = results.snapshot()
        #expect(failures.isEmpty, "\(failures.first ?? "")")
        #expect(map.count == 900)
        #expect(Set(map.values.map { $0.first ?? 0 }).count == 900, "no two keys share a number")
        #expect(map.values.allSatisfy { Set($0).count == 1 }, "every key got one number")
        expectConsistent(try stores[0].entries(), type: type, expected: map.compactMapValues(\.first), count: 900)
    }
}

/// Numbers collected from several threads.
final class ThreadResults: @unchecked Sendable {
    private let lock = NSLock()
    private var map: [String: [Int]] = [:]
    private var failures: [String] = []

    func add(_ key: String, _ number: Int) { lock.withLock { map[key, default: []].append(number) } }
    func fail(_ message: String) { lock.withLock { failures.append(message) } }
    func snapshot() -> ([String: [Int]], [String]) { lock.withLock { (map, failures) } }
}
