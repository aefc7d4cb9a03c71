import FrontierMath
import XCTest

final class ZoneTests: XCTestCase {
    /// The hull of EfficientFrontierTests.points, cost ascending:
    ///            cost  quality  quality/$  marginal quality/$
    ///   D         0.5     20        40      20/0.5        = 40 (from (0, 0))
    ///   A         1       50        50      30/0.5        = 60
    ///   B         2       80        40      30/1          = 30
    ///   C         4      100        25      20/2          = 10
    /// Best quality per dollar r* = 50 (A).
    private func zone(_ tolerance: Double) throws -> CostEffectivenessZone {
        try CostEffectivenessZone(frontier: EfficientFrontier(points: EfficientFrontierTests.points),
                                  tolerance: tolerance)
    }

    func testFiguresByHand() throws {
        let zone = try zone(0.2)
        XCTAssertEqual(zone.bestQualityPerDollar, 50)
        XCTAssertEqual(zone.bestId, "A")
        XCTAssertEqual(zone.entries.map(\.point.id), ["D", "A", "B", "C"])
        XCTAssertEqual(zone.entries.map(\.qualityPerDollar), [40, 50, 40, 25])
        XCTAssertEqual(zone.entries.map(\.marginalQualityPerDollar), [40, 60, 30, 10])
    }

    func testMembershipAtDefaultTolerance() throws {
        // τ = 0.2 → floor 40: D (40, 40) in, A (50, 60) in, B's ratio 40 passes
        // but its marginal 30 does not, C fails both.
        XCTAssertEqual(try zone(0.2).ids, ["D", "A"])
        XCTAssertEqual(try CostEffectivenessZone(frontier: EfficientFrontier(points: EfficientFrontierTests.points)).ids,
                       ["D", "A"])
    }

    func testMembershipAtOtherTolerances() throws {
        // τ = 0.5 → floor 25: D, A, B in; C's ratio 25 passes, marginal 10 fails.
        XCTAssertEqual(try zone(0.5).ids, ["D", "A", "B"])
        // τ = 0 → floor 50: only the best-ratio point.
        XCTAssertEqual(try zone(0).ids, ["A"])
        // τ = 0.9 → floor 5: everyone.
        XCTAssertEqual(try zone(0.9).ids, ["D", "A", "B", "C"])
    }

    func testBadInputsRejected() throws {
        let frontier = try EfficientFrontier(points: EfficientFrontierTests.points)
        assertThrows(.outOfRange(parameter: "tolerance", value: 1, expected: "in [0, 1)")) {
            try CostEffectivenessZone(frontier: frontier, tolerance: 1)
        }
        assertThrows(.tooFewPoints(what: "an optimal zone", needed: 1, got: 0)) {
            try CostEffectivenessZone(frontier: EfficientFrontier(points: []))
        }
        let free = try EfficientFrontier(points: [point("free", cost: 0, quality: 3), point("x", cost: 1, quality: 9)])
        assertThrows(.nonPositiveCost(id: "free", cost: 0)) { try CostEffectivenessZone(frontier: free) }
        let negative = try EfficientFrontier(points: [point("neg", cost: 1, quality: -3)])
        assertThrows(.negativeQuality(id: "neg", quality: -3)) { try CostEffectivenessZone(frontier: negative) }
    }
}
