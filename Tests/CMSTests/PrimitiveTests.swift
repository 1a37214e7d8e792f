import CMS
import Testing

@Suite("Random bytes")
struct PrimitiveTests {
    @Test func randomBytesHaveTheRequestedCountAndDiffer() throws {
        #expect(try SecureRandom.bytes(0) == [])
        let first = try SecureRandom.bytes(32)
        let second = try SecureRandom.bytes(32)
        #expect(first.count == 32)
        #expect(first != second)
    }
}
