import Testing
@testable import MappingStore

@Test func moduleLinks() { _ = MappingStoreModule.self }
