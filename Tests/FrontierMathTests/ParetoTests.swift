import FrontierMath
import XCTest

final class ParetoTests: XCTestCase {
    /// Cost (min) and quality (max):
    ///   A (1, 50)  E (1, 50)  — equal: neither dominates the other, both on the front
    ///   B (2, 80)             — on the front (nothing as cheap is as good)
    ///   C (2, 60)             — dominated by B (same cost, worse quality)
    ///   D (3, 80)             — dominated by B (dearer, same quality)
    ///   F (4, 90)             — on the front (best quality)
    ///   G (5, 10)             — dominated by all six others
    private let points = [
        point("A", cost: 1, quality: 50), point("B", cost: 2, quality: 80),
        point("C", cost: 2, quality: 60), point("D", cost: 3, quality: 80),
        point("E", cost: 1, quality: 50), point("F", cost: 4, quality: 90),
        point("G", cost: 5, quality: 10),
    ]

    func testTwoObjectivesByHand() throws {
        let result = try Pareto.front(points, objectives: [minCost, maxQuality])
        XCTAssertEqual(result.frontIds, ["A", "B", "E", "F"])
        XCTAssertEqual(result.frontIndices, [0, 1, 4, 5])
        XCTAssertEqual(result.dominatorCounts, [0, 0, 1, 1, 0, 0, 6])
        XCTAssertNil(result.dominatorIndices)
        XCTAssertEqual(result.ids, ["A", "B", "C", "D", "E", "F", "G"])
    }

    func testDominatorDetailLevels() throws {
        let none = try Pareto.front(points, objectives: [minCost, maxQuality], dominators: .none)
        XCTAssertNil(none.dominatorCounts)
        XCTAssertEqual(none.frontIds, ["A", "B", "E", "F"])

        let all = try Pareto.front(points, objectives: [minCost, maxQuality], dominators: .ids())
        XCTAssertEqual(all.dominatorIds, [[], [], ["B"], ["B"], [], [], ["A", "B", "C", "D", "E", "F"]])
        XCTAssertEqual(all.dominatorCounts, [0, 0, 1, 1, 0, 0, 6])

        // The limit keeps the first dominators in input order; the count stays exact.
        let two = try Pareto.front(points, objectives: [minCost, maxQuality], dominators: .ids(limit: 2))
        XCTAssertEqual(two.dominatorIds?.last, ["A", "B"])
        XCTAssertEqual(two.dominatorIndices?.last, [0, 1])
        XCTAssertEqual(two.dominatorCounts?.last, 6)
    }

    /// Cost (min), quality (max), latency (min):
    ///   P (1, 50, 3)  S (1, 50, 3) — equal, both on the front
    ///   Q (2, 80, 1)              — on the front
    ///   R (2, 80, 2)              — dominated by Q (same cost and quality, slower)
    ///   T (3, 40, 4)              — dominated by P, Q, R and S
    func testThreeObjectivesByHand() throws {
        let points = [
            Point(id: "P", values: ["cost": 1, "quality": 50, "latency": 3]),
            Point(id: "Q", values: ["cost": 2, "quality": 80, "latency": 1]),
            Point(id: "R", values: ["cost": 2, "quality": 80, "latency": 2]),
            Point(id: "S", values: ["cost": 1, "quality": 50, "latency": 3]),
            Point(id: "T", values: ["cost": 3, "quality": 40, "latency": 4]),
        ]
        let objectives = [minCost, maxQuality, minLatency]
        let result = try Pareto.front(points, objectives: objectives, dominators: .ids())
        XCTAssertEqual(result.frontIds, ["P", "Q", "S"])
        XCTAssertEqual(result.dominatorCounts, [0, 0, 1, 0, 4])
        XCTAssertEqual(result.dominatorIds, [[], [], ["Q"], [], ["P", "Q", "R", "S"]])
        let counted = try Pareto.front(points, objectives: objectives)
        XCTAssertEqual(counted.dominatorCounts, [0, 0, 1, 0, 4])
        XCTAssertNil(counted.dominatorIndices)
    }

    func testMaximizeEverythingAndNegativeValues() throws {
        // Both maximised: (−1, −1) is beaten by (0, −1) and (0, 0); (0, 0) wins.
        let points = [Point(id: "a", values: ["x": -1, "y": -1]), Point(id: "b", values: ["x": 0, "y": -1]),
                      Point(id: "c", values: ["x": 0, "y": 0])]
        let objectives = [Objective(metric: "x", direction: .maximize), Objective(metric: "y", direction: .maximize)]
        let result = try Pareto.front(points, objectives: objectives)
        XCTAssertEqual(result.frontIds, ["c"])
        XCTAssertEqual(result.dominatorCounts, [2, 1, 0])
    }

    func testSignedZerosAreEqual() throws {
        // −0.0 == 0.0, so these two points are equal and both on the front.
        let points = [point("plus", cost: 0.0, quality: 1), point("minus", cost: -0.0, quality: 1)]
        let result = try Pareto.front(points, objectives: [minCost, maxQuality])
        XCTAssertEqual(result.frontIds, ["plus", "minus"])
        XCTAssertEqual(result.dominatorCounts, [0, 0])
    }

    func testExtremeAndDegenerateRanges() throws {
        // A cost range too wide for doubles (max − min overflows): A is cheapest
        // and beats C; B has the best quality.
        let wide = [point("A", cost: -1.7e308, quality: 1), point("B", cost: 1.7e308, quality: 2),
                    point("C", cost: 0, quality: 0.5)]
        XCTAssertEqual(try Pareto.front(wide, objectives: [minCost, maxQuality], dominators: .none).frontIds, ["A", "B"])
        XCTAssertEqual(try Pareto.front(wide, objectives: [minCost, maxQuality]).dominatorCounts, [0, 0, 1])
        // Every cost equal: only the best quality (twice) survives.
        let flat = [point("a", cost: 1, quality: 1), point("b", cost: 1, quality: 3), point("c", cost: 1, quality: 3)]
        XCTAssertEqual(try Pareto.front(flat, objectives: [minCost, maxQuality], dominators: .none).frontIds, ["b", "c"])
        XCTAssertEqual(try Pareto.front(flat, objectives: [minCost, maxQuality]).dominatorCounts, [2, 0, 0])
    }

    func testEmptyAndSingle() throws {
        let empty = try Pareto.front([], objectives: [minCost, maxQuality])
        XCTAssertEqual(empty.frontIds, [])
        XCTAssertEqual(empty.dominatorCounts, [])
        let single = try Pareto.front([point("only", cost: 1, quality: 1)], objectives: [minCost, maxQuality])
        XCTAssertEqual(single.frontIds, ["only"])
    }

    func testDominatesHelper() throws {
        let a = point("a", cost: 1, quality: 2), b = point("b", cost: 1, quality: 1)
        XCTAssertTrue(try Pareto.dominates(a, b, objectives: [minCost, maxQuality]))
        XCTAssertFalse(try Pareto.dominates(b, a, objectives: [minCost, maxQuality]))
        XCTAssertFalse(try Pareto.dominates(a, a, objectives: [minCost, maxQuality]))
        XCTAssertTrue(try Pareto.dominates(b, a, objectives: [Objective(metric: "quality", direction: .minimize)]))
    }

    func testBadInputsRejected() {
        let objectives = [minCost, maxQuality]
        assertThrows(.tooFewObjectives(needed: 2, got: 1)) { try Pareto.front(points, objectives: [minCost]) }
        assertThrows(.duplicateObjective(metric: "cost")) {
            try Pareto.front(points, objectives: [minCost, Objective(metric: "cost", direction: .maximize)])
        }
        assertThrows(.emptyMetricName) {
            try Pareto.front(points, objectives: [minCost, Objective(metric: "", direction: .maximize)])
        }
        var missing = points
        missing[3] = Point(id: "D", values: ["quality": 80])
        assertThrows(.missingMetric(metric: "cost", index: 3, id: "D")) {
            try Pareto.front(missing, objectives: objectives)
        }
        var infinite = points
        infinite[2] = point("C", cost: 2, quality: .infinity)
        assertThrows(.nonFiniteValue(metric: "quality", index: 2, id: "C", value: .infinity)) {
            try Pareto.front(infinite, objectives: objectives)
        }
        assertThrows(.outOfRange(parameter: "dominator id limit", value: 0, expected: "at least 1")) {
            try Pareto.front(points, objectives: objectives, dominators: .ids(limit: 0))
        }
        assertThrows(.invalidDirection("up")) { try Objective(metric: "cost", direction: "up") }
        XCTAssertEqual(try Objective(metric: "cost", direction: "maximize").direction, .maximize)
    }

    func testErrorMessagesNameTheProblem() {
        XCTAssertEqual(FrontierError.missingMetric(metric: "cost", index: 3, id: "qwen").description,
                       "metric 'cost' missing from point 3 (id 'qwen')")
        XCTAssertEqual(FrontierError.invalidDirection("up").description,
                       "direction must be minimize or maximize, got 'up'")
        XCTAssertEqual(FrontierError.outOfRange(parameter: "tolerance", value: 1.5, expected: "in [0, 1)").description,
                       "tolerance must be in [0, 1), got 1.5")
        XCTAssertEqual(FrontierError.notAscending(what: "sweep levels", previous: 64, next: 48).description,
                       "sweep levels must be strictly ascending: 48 follows 64")
        XCTAssertEqual(FrontierError.nonFiniteStatistic(resample: nil, value: .nan).description,
                       "statistic returned a non-finite value (nan) on the original samples")
        XCTAssertEqual(FrontierError.tooFewPoints(what: "a knee", needed: 3, got: 2).description,
                       "a knee needs at least 3 points, got 2")
    }
}
