import FrontierMath
import XCTest

final class EfficientFrontierTests: XCTestCase {
    /// (cost, quality), cost ascending:
    ///   D (0.5, 20)  A (1, 50)  B (2, 80)  E (3, 85)  C (4, 100)  F (2, 70)
    /// F is dominated by B. The Pareto set is D, A, B, E, C. Chord slopes:
    /// D→A 60, A→B 30, B→E 5, E→C 15; E lies below the chord B→C (90 at cost 3),
    /// so the hull is D, A, B, C (slopes 60, 30, 10: concave).
    static let points = [
        point("A", cost: 1, quality: 50), point("B", cost: 2, quality: 80),
        point("C", cost: 4, quality: 100), point("D", cost: 0.5, quality: 20),
        point("E", cost: 3, quality: 85), point("F", cost: 2, quality: 70),
    ]

    func testHullByHand() throws {
        let frontier = try EfficientFrontier(points: Self.points)
        XCTAssertEqual(frontier.ids, ["D", "A", "B", "C"])
        XCTAssertEqual(frontier.pareto.map(\.id), ["D", "A", "B", "E", "C"])
        XCTAssertEqual(frontier.points.map(\.index), [3, 0, 1, 2])
        XCTAssertEqual(frontier.points.map(\.cost), [0.5, 1, 2, 4])
        XCTAssertEqual(frontier.points.map(\.quality), [20, 50, 80, 100])
    }

    func testCollinearPointsAreNotVertices() throws {
        // (2, 2) lies on the segment (1, 1)–(3, 3).
        let frontier = try EfficientFrontier(points: [
            point("a", cost: 1, quality: 1), point("b", cost: 2, quality: 2), point("c", cost: 3, quality: 3),
        ])
        XCTAssertEqual(frontier.ids, ["a", "c"])
        XCTAssertEqual(frontier.pareto.map(\.id), ["a", "b", "c"])
    }

    func testDuplicatesCollapseToTheEarliest() throws {
        let frontier = try EfficientFrontier(points: [
            point("late", cost: 2, quality: 5), point("x", cost: 1, quality: 1),
            point("twin", cost: 2, quality: 5),
        ])
        XCTAssertEqual(frontier.ids, ["x", "late"])
    }

    func testCustomMetricNamesAndEdgeSizes() throws {
        let points = [Point(id: "m", values: ["usd": 3, "score": 7])]
        let frontier = try EfficientFrontier(points: points, cost: "usd", quality: "score")
        XCTAssertEqual(frontier.ids, ["m"])
        XCTAssertEqual(frontier.costMetric, "usd")
        XCTAssertEqual(try EfficientFrontier(points: []).ids, [])
        assertThrows(.missingMetric(metric: "cost", index: 0, id: "m")) { try EfficientFrontier(points: points) }
        assertThrows(.duplicateObjective(metric: "usd")) {
            try EfficientFrontier(points: points, cost: "usd", quality: "usd")
        }
    }
}
