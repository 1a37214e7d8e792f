import Synchronization

/// A store that answers like `base` without writing to it, for dry runs: keys `base` already numbers get
/// their numbers; a new key gets the number it would get next (per type, in the order asked), kept only in
/// memory.
public final class PreviewIntegerStore: IntegerStore {
    private let known: [String: [String: Int]]
    private let pending = Mutex<(next: [String: Int], assigned: [String: [String: Int]])>(([:], [:]))

    /// Reads every entry of `base` once; without one, starts from nothing (a database not made yet).
    public init(base: (any IntegerStore)?) throws(MappingStoreError) {
        var known: [String: [String: Int]] = [:]
        for entry in try base?.entries() ?? [] { known[entry.type, default: [:]][entry.key] = entry.value }
        self.known = known
    }

    public func integer(for key: String, type: String) throws(MappingStoreError) -> Int {
        let id = try IntegerKey(type: type, key: key)
        if let value = known[id.type]?[id.key] { return value }
        return pending.withLock { state in
            if let value = state.assigned[id.type]?[id.key] { return value }
            let value = state.next[id.type] ?? ((known[id.type]?.values.max() ?? 0) + 1)
            state.next[id.type] = value + 1
            state.assigned[id.type, default: [:]][id.key] = value
            return value
        }
    }

    public func entries() throws(MappingStoreError) -> [(type: String, key: String, value: Int)] {
        let assigned = pending.withLock { $0.assigned }
        var all: [(type: String, key: String, value: Int)] = []
        for (type, keys) in known { for (key, value) in keys { all.append((type, key, value)) } }
        for (type, keys) in assigned { for (key, value) in keys { all.append((type, key, value)) } }
        return all
    }
}
