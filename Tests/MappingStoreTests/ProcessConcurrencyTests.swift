import DICOMTestSupport
import Foundation
import MappingStore
import Testing

/// Several `dicom-mapping` processes on one database at once, and processes killed mid-run.
@Suite(.serialized) struct ProcessConcurrencyTests {
    @Test(arguments: Backend.enabled)
    func fourProcessesWithOverlappingKeysGetUniqueStableNumbers(_ backend: Backend) throws {
        let folder = try TemporaryDirectory(prefix: "mapping")
        defer { folder.remove() }
        let location = try backend.location(in: folder.url)
        let type = freshType("ptid")
        // Process p numbers keys 250p ..< 250p + 500 in its own random order: neighbours share 250 keys, and
        // 1,250 distinct keys in all.
        let runs = try (0..<4).map { p in
            try AssignRun(location: location, type: type, keys: fakeIDs((p * 250)..<(p * 250 + 500)).shuffled(),
                          in: folder.url, name: "p\(p)")
        }
        var map: [String: Int] = [:]
        for run in runs {
            run.process.waitUntilExit()
            #expect(run.process.terminationStatus == 0, "\(run.stderrText)")
            let numbers = try run.numbers()
            #expect(numbers.count == 500)
            mapping(run.keys, numbers, into: &map)
        }
        #expect(map.count == 1250)
        #expect(Set(map.values).count == 1250, "no two keys share a number")
        let store = try MappingStores.open(location)
        expectConsistent(try store.entries(), type: type, expected: map, count: 1250)

        // Stable: a later run gets the same numbers and adds nothing.
        let again = try AssignRun(location: location, type: type, keys: fakeIDs(0..<1250).reversed(), in: folder.url,
                                  name: "again")
        again.process.waitUntilExit()
        var later: [String: Int] = [:]
        mapping(again.keys, try again.numbers(), into: &later)
        #expect(later == map)
        #expect(try MappingStores.open(location).entries().filter { $0.type == type }.count == 1250)
    }

    @Test(arguments: Backend.enabled)
    func killedProcessLosesNoPrintedNumberAndDuplicatesNone(_ backend: Backend) throws {
        let folder = try TemporaryDirectory(prefix: "mapping")
        defer { folder.remove() }
        let location = try backend.location(in: folder.url)
        let type = freshType("ptid")
        // Enough keys that the victim is still writing when it is killed (SQLite commits about 10x faster here).
        let keys = fakeIDs(0..<(backend == .sqlite ? 6_000 : 3_000))
        var map: [String: Int] = [:]
        var killedMidRun = 0
        // Three rounds: each kills a writer after it printed a few hundred numbers, while a second writer numbers
        // the same keys in the opposite order.
        for round in 0..<3 {
            let victim = try AssignRun(location: location, type: type, keys: keys, in: folder.url, name: "victim\(round)")
            let rival = try AssignRun(location: location, type: type, keys: keys.reversed(), in: folder.url,
                                      name: "rival\(round)")
            let deadline = Date().addingTimeInterval(60)
            while victim.process.isRunning, (try victim.numbers().count) < 200 * (round + 1), Date() < deadline {
                usleep(2_000)
            }
            if victim.process.isRunning {
                kill(victim.process.processIdentifier, SIGKILL)
                killedMidRun += 1
            }
            victim.process.waitUntilExit()
            rival.process.waitUntilExit()
            #expect(rival.process.terminationStatus == 0, "\(rival.stderrText)")
            let printed = try victim.numbers()
            mapping(Array(victim.keys.prefix(printed.count)), printed, into: &map)
            mapping(rival.keys, try rival.numbers(), into: &map)
        }
        #expect(killedMidRun > 0, "the writer finished before it could be killed")
        #expect(map.count == keys.count)
        #expect(Set(map.values).count == keys.count, "no two keys share a number")
        let store = try MappingStores.open(location)
        expectConsistent(try store.entries(), type: type, expected: map, count: keys.count)
        for key in keys.prefix(300) { #expect(try store.integer(for: key, type: type) == map[key]) }
    }
}
