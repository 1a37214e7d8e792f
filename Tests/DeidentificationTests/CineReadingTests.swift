@testable import Deidentification
import PixelData
import Testing

/// What `--detect-text` reads of each frame of a cine: repeated frames once, a few changed rows as bands with
/// their context, a frame that changed mostly whole.
struct CineReadingTests {
    /// Row digests of a frame of `rows` rows whose row `y` is `value(y)` (stand-ins for SHA-256 digests).
    static func frame(rows: Int = 200, _ value: (Int) -> UInt8 = { _ in 0 }) -> [[UInt8]] {
        (0..<rows).map { [value($0)] }
    }

    @Test func repeatedFramesTakeTheEarlierReadingAndChangedRowsBecomeBands() {
        let still = Self.frame()
        let clock = Self.frame { $0 == 150 ? 1 : 0 }
        let plan = CineReading.plan([still, still, clock, clock])
        #expect(plan == [.whole, .same(as: 0), .bands(reference: 0, rows: [118..<183]), .same(as: 2)])
    }

    @Test func bandsAreGrownByTheMarginWithinTheFrameAndMerged() {
        let changed = Self.frame(rows: 300) { [5, 40, 299].contains($0) ? 1 : 0 }
        #expect(CineReading.plan([Self.frame(rows: 300), changed]) == [.whole, .bands(reference: 0, rows: [0..<73, 267..<300])])
    }

    @Test func aFrameChangedInMostRowsIsReadWholeAndBecomesTheReference() {
        let moved = Self.frame { $0 >= 40 && $0 < 160 ? 1 : 0 }
        #expect(CineReading.plan([Self.frame(), moved]) == [.whole, .whole])
        // Compared with frame 2 (read whole), not frame 1: only the clock's row differs.
        let thenClock = Self.frame { $0 >= 40 && $0 < 160 ? 1 : ($0 == 190 ? 1 : 0) }
        #expect(CineReading.plan([Self.frame(), moved, thenClock])[2] == .bands(reference: 1, rows: [158..<200]))
    }

    @Test func wholeFramesReadsEveryDistinctFrame() {
        let clock = Self.frame { $0 == 150 ? 1 : 0 }
        #expect(CineReading.wholeFrames([Self.frame(), clock, clock]) == [.whole, .whole, .same(as: 1)])
    }

    @Test func aBandHoldsWholeTheLinesItTouchesWithoutChaining() {
        let line = PixelRectangle(x: 10, y: 90, width: 100, height: 20)       // cut by the band's top
        let next = PixelRectangle(x: 10, y: 70, width: 100, height: 25)       // touches the line, not the band
        let away = PixelRectangle(x: 10, y: 10, width: 100, height: 20)
        #expect(CineReading.bands([100..<140], holding: [line, next, away], rows: 200) == [90..<140])
        #expect(CineReading.bands([100..<140, 60..<95], holding: [line], rows: 200) == [60..<140])
    }
}
