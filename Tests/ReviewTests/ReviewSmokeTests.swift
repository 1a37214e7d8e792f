import Review
import Testing

struct ReviewSmokeTests {
    @Test func moduleLoads() { _ = ReviewModule.self }
}
