import Foundation
import MappingStore
import Testing

/// ``SQLiteIntegerStore/Durability/onRequest``: numbers are committed at once (unique across threads and
/// processes as ever) and reach the disk on ``IntegerStore/makeDurable()``, one flush for many new keys.
struct DeferredDurabilityTests {
    static func path() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("deferred-\(UUID().uuidString).sqlite").path
    }

    @Test func numbersSurviveReopeningAfterMakeDurable() throws {
        let path = Self.path()
        var assigned: [String: Int] = [:]
        do {
            let store = try SQLiteIntegerStore(path: path, durability: .onRequest)
            for id in fakeIDs(0..<200) { assigned[id] = try store.integer(for: id, type: "ptid") }
            try store.makeDurable()
            try store.makeDurable()   // nothing new: a no-op
        }
        #expect(Set(assigned.values) == Set(1...200))
        let reopened = try SQLiteIntegerStore(path: path)
        for (id, number) in assigned { #expect(try reopened.integer(for: id, type: "ptid") == number) }
        #expect(try reopened.entries().count == 200)
    }

    @Test func concurrentThreadsGetUniqueNumbersWithoutPerKeyFlushes() async throws {
        let store = try SQLiteIntegerStore(path: Self.path(), durability: .onRequest)
        let ids = fakeIDs(0..<400)
        let results = try await withThrowingTaskGroup(of: [(String, Int)].self) { group in
            for worker in 0..<4 {
                group.addTask {
                    try ids.shuffled().prefix(300).map { id in (id, try store.integer(for: id, type: "ptid-\(worker % 1)")) }
                }
            }
            var all: [(String, Int)] = []
            for try await part in group { all += part }
            return all
        }
        try store.makeDurable()
        var byID: [String: Int] = [:]
        for (id, number) in results {
            if let earlier = byID[id] { #expect(earlier == number, "\(id) got two numbers") }
            byID[id] = number
        }
        #expect(Set(byID.values).count == byID.count, "two keys share a number")
        #expect(Set(byID.values) == Set(1...byID.count))
    }
}
