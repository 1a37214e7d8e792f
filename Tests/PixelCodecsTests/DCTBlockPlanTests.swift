@testable import PixelCodecs
import PixelData
import Testing

/// Which blocks a rectangle touches, per component sampling, and the DC that decodes to black.
@Suite struct DCTBlockPlanTests {
    typealias Component = DCTBlockPlan.Component

    @Test func greyscaleRectanglesTouchTheBlocksTheyOverlap() {
        let plan = DCTBlockPlan(rectangles: [PixelRectangle(x: 7, y: 8, width: 2, height: 8)],
                                components: [Component(horizontal: 1, vertical: 1, widthInBlocks: 4, heightInBlocks: 4)],
                                maxHorizontal: 1, maxVertical: 1)
        #expect(plan.ranges == [.init(component: 0, columns: 0..<2, rows: 1..<2)])
    }

    /// 4:2:0: luminance blocks are 8x8 pixels, chrominance blocks cover 16x16 pixels.
    @Test func subsampledChrominanceBlocksCoverTwiceThePixels() {
        let components = [Component(horizontal: 2, vertical: 2, widthInBlocks: 8, heightInBlocks: 8),
                          Component(horizontal: 1, vertical: 1, widthInBlocks: 4, heightInBlocks: 4),
                          Component(horizontal: 1, vertical: 1, widthInBlocks: 4, heightInBlocks: 4)]
        let plan = DCTBlockPlan(rectangles: [PixelRectangle(x: 15, y: 16, width: 2, height: 1)], components: components,
                                maxHorizontal: 2, maxVertical: 2)
        #expect(plan.ranges == [.init(component: 0, columns: 1..<3, rows: 2..<3),
                                .init(component: 1, columns: 0..<2, rows: 1..<2),
                                .init(component: 2, columns: 0..<2, rows: 1..<2)])
    }

    @Test func blocksStopAtTheComponentsGrid() {
        let plan = DCTBlockPlan(rectangles: [PixelRectangle(x: 24, y: 0, width: 10, height: 3)],
                                components: [Component(horizontal: 1, vertical: 1, widthInBlocks: 4, heightInBlocks: 1)],
                                maxHorizontal: 1, maxVertical: 1)
        #expect(plan.ranges == [.init(component: 0, columns: 3..<4, rows: 0..<1)])
    }

    /// DC of a flat block of value v: 8 (v - 128), quantised; rounded away from the middle so black clamps to 0.
    @Test(arguments: [(0, 16, Int16(-64)), (0, 3, -342), (128, 7, 0), (255, 16, 64), (255, 5, 204), (0, 1, -1024)])
    func dcDecodesToTheTarget(_ target: Int, _ step: Int, _ expected: Int16) {
        #expect(DCTBlockPlan.dc(target: target, step: step) == expected)
    }

    @Test func blankSamplesFollowThePhotometricInterpretation() {
        #expect(BlankSamples.values(photometric: "MONOCHROME2", components: 1, bits: [12], signed: [true]) == [-2048])
        #expect(BlankSamples.values(photometric: "MONOCHROME1", components: 1, bits: [12], signed: [false]) == [4095])
        #expect(BlankSamples.values(photometric: "MONOCHROME1", components: 1, bits: [16], signed: [true]) == [32767])
        #expect(BlankSamples.values(photometric: "YBR_FULL_422", components: 3, bits: [8, 8, 8], signed: [false, false, false]) == [0, 128, 128])
        #expect(BlankSamples.values(photometric: "YBR_RCT", components: 3, bits: [8, 8, 8], signed: [false, false, false]) == [0, 0, 0])
        #expect(BlankSamples.values(photometric: "PALETTE COLOR", components: 1, bits: [8], signed: [false]) == [0])
    }
}
