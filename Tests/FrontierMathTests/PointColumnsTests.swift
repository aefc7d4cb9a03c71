import FrontierMath
import XCTest

/// Points as columns give exactly what the same points as dictionaries give.
final class PointColumnsTests: XCTestCase {
    let points = [Point(id: "a", values: ["cost": 1, "quality": 50]), Point(id: "b", values: ["cost": 2, "quality": 70]),
                  Point(id: "c", values: ["cost": 3, "quality": 60]), Point(id: "d", values: ["cost": 4, "quality": 80]),
                  Point(id: "e", values: ["cost": 8, "quality": 82])]
    let objectives = [Objective(metric: "cost", direction: .minimize), Objective(metric: "quality", direction: .maximize)]

    func testColumnsAndPointsAgree() throws {
        let columns = try PointColumns(points, metrics: ["cost", "quality"])
        XCTAssertEqual(columns.ids, ["a", "b", "c", "d", "e"])
        XCTAssertEqual(columns.values["quality"], [50, 70, 60, 80, 82])
        for detail in [DominatorDetail.none, .count, .ids(limit: 2)] {
            XCTAssertEqual(try Pareto.front(columns, objectives: objectives, dominators: detail),
                           try Pareto.front(points, objectives: objectives, dominators: detail))
        }
        let hull = try EfficientFrontier(points: columns)
        XCTAssertEqual(hull, try EfficientFrontier(points: points))
        XCTAssertEqual(hull.ids, ["a", "b", "d", "e"])
        XCTAssertEqual(try Pareto.front(columns, objectives: objectives).frontIds, ["a", "b", "d", "e"])
    }

    func testAnonymousPointsAreNamedByPosition() throws {
        let columns = try PointColumns(count: 5, values: ["cost": [1, 2, 3, 4, 8], "quality": [50, 70, 60, 80, 82]])
        XCTAssertEqual(columns.ids, [])
        XCTAssertEqual(columns.id(at: 2), "3")
        XCTAssertEqual(try Pareto.front(columns, objectives: objectives).frontIds, ["1", "2", "4", "5"])
        XCTAssertEqual(try EfficientFrontier(points: columns).ids, ["1", "2", "4", "5"])
        XCTAssertThrowsError(try PointColumns(count: 2, values: ["cost": [1]])) { e in
            XCTAssertEqual("\(e)", "column 'cost' has 1 values for 2 points")
        }
        XCTAssertThrowsError(try Pareto.front(try PointColumns(count: 2, values: ["cost": [1, .infinity], "quality": [1, 2]]),
                                              objectives: objectives)) { e in
            XCTAssertTrue("\(e)".contains("(id '2')"), "\(e)")
        }
    }

    func testBadColumnsAreNamed() {
        XCTAssertThrowsError(try PointColumns(ids: ["a", "b"], values: ["cost": [1]])) { e in
            XCTAssertEqual("\(e)", "column 'cost' has 1 values for 2 points")
        }
        XCTAssertThrowsError(try Pareto.front(try PointColumns(ids: ["a", "b"], values: ["cost": [1, .nan], "quality": [1, 2]]),
                                              objectives: objectives)) { e in
            XCTAssertEqual("\(e)", "metric 'cost' of point 1 (id 'b') is not finite (nan)")
        }
        XCTAssertThrowsError(try Pareto.front(try PointColumns(ids: ["a"], values: ["cost": [1]]), objectives: objectives)) { e in
            XCTAssertTrue("\(e)".contains("metric 'quality' missing"), "\(e)")
        }
    }
}
