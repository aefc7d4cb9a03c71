import FrontierMath
import XCTest

final class SaturationTests: XCTestCase {
    /// A paper-like sweep; relative falls of cost per task:
    ///   8 → 16: (1.00 − 0.60)/1.00 = 40%    16 → 32: 33.3%    32 → 48: 20%
    ///   48 → 64: (0.32 − 0.31)/0.32 = 3.125% (< 5%)  64 → 96: 3.2%  96 → 128: rise
    private let levels: [Double] = [8, 16, 32, 48, 64, 96, 128]
    private let costs: [Double] = [1.00, 0.60, 0.40, 0.32, 0.31, 0.30, 0.35]

    private func sweep(sla: [Bool]? = nil, costs: [Double]? = nil) -> [SweepLevel] {
        let costs = costs ?? self.costs
        return levels.indices.map { SweepLevel(level: levels[$0], costPerTask: costs[$0], meetsSLA: sla?[$0]) }
    }

    func testDiminishingMarginalCost() throws {
        let result = try Saturation.find(sweep())
        XCTAssertEqual(result.level?.level, 48)
        XCTAssertEqual(result.index, 3)
        XCTAssertEqual(result.rule, .diminishingCost)
        XCTAssertEqual(result.reason, "cost per task fell 3.1% from 48 to 64, less than 5%")
    }

    func testSLABreaksFirst() throws {
        let result = try Saturation.find(sweep(sla: [true, true, true, false, false, false, false]))
        XCTAssertEqual(result.level?.level, 32)
        XCTAssertEqual(result.rule, .slaBreaks)
        XCTAssertEqual(result.reason, "SLA fails from 48")
    }

    func testBothRulesAtOnce() throws {
        let result = try Saturation.find(sweep(sla: [true, true, true, true, false, false, false]))
        XCTAssertEqual(result.level?.level, 48)
        XCTAssertEqual(result.rule, .diminishingCostAndSLA)
        XCTAssertEqual(result.reason, "cost per task fell 3.1% from 48 to 64, less than 5%; SLA fails from 64")
    }

    func testCostRuleFirstWhenSLABreaksLater() throws {
        let result = try Saturation.find(sweep(sla: [true, true, true, true, true, false, false]))
        XCTAssertEqual(result.level?.level, 48)
        XCTAssertEqual(result.rule, .diminishingCost)
    }

    func testThresholdIsAParameter() throws {
        // At 2%, 48 → 64 (3.125%) and 64 → 96 (3.2%) still count; 96 → 128 rises.
        let result = try Saturation.find(sweep(), minimumFall: 0.02)
        XCTAssertEqual(result.level?.level, 96)
        XCTAssertEqual(result.reason, "cost per task rose 16.7% from 96 to 128")
        // At 25%, 32 → 48 (20%) is already too small.
        XCTAssertEqual(try Saturation.find(sweep(), minimumFall: 0.25).level?.level, 32)
    }

    func testNoSaturationWithinTheSweep() throws {
        // Every step falls by 10%: 1, .9, .81, …
        let falling = (0..<7).map { pow(0.9, Double($0)) }
        let result = try Saturation.find(sweep(costs: falling))
        XCTAssertEqual(result.level?.level, 128)
        XCTAssertEqual(result.rule, .endOfSweep)
        XCTAssertEqual(result.reason, "cost per task still fell 10% from 96 to 128 at the last level, at least 5%")
    }

    func testFirstLevelFailsOrOnlyOneLevel() throws {
        let failing = try Saturation.find(sweep(sla: [false, true, true, true, true, true, true]))
        XCTAssertNil(failing.level)
        XCTAssertEqual(failing.rule, .slaFailsAtFirstLevel)
        XCTAssertEqual(failing.reason, "SLA fails from 8, the first level")
        let single = try Saturation.find([SweepLevel(level: 8, costPerTask: 1)])
        XCTAssertEqual(single.level?.level, 8)
        XCTAssertEqual(single.reason, "only one level (8)")
    }

    func testCheapestMeetingSLA() throws {
        // Passing: 8 (1.00), 16 (.60), 32 (.40), 48 (.32), 96 (.30), 128 (.35); 64 fails.
        let cheapest = try Saturation.cheapestMeeting(sweep(sla: [true, true, true, true, false, true, true]))
        XCTAssertEqual(cheapest?.level, 96)
        XCTAssertEqual(cheapest?.costPerTask, 0.30)
        XCTAssertNil(try Saturation.cheapestMeeting(sweep(sla: Array(repeating: false, count: 7))))
        assertThrows(.noSLAVerdicts) { try Saturation.cheapestMeeting(sweep()) }
    }

    func testBadInputsRejected() {
        assertThrows(.tooFewPoints(what: "a saturation sweep", needed: 1, got: 0)) { try Saturation.find([]) }
        assertThrows(.notAscending(what: "sweep levels", previous: 16, next: 16)) {
            try Saturation.find([SweepLevel(level: 16, costPerTask: 1), SweepLevel(level: 16, costPerTask: 1)])
        }
        assertThrows(.nonPositiveCostPerTask(level: 16, cost: 0)) {
            try Saturation.find([SweepLevel(level: 8, costPerTask: 1), SweepLevel(level: 16, costPerTask: 0)])
        }
        assertThrows(.inconsistentSLA(level: 16)) {
            try Saturation.find([SweepLevel(level: 8, costPerTask: 1, meetsSLA: true),
                                 SweepLevel(level: 16, costPerTask: 1)])
        }
        assertThrows(.outOfRange(parameter: "minimum fall", value: 1, expected: "in [0, 1)")) {
            try Saturation.find(sweep(), minimumFall: 1)
        }
        assertThrows(.nonFinite(what: "sweep level", index: 0, value: .infinity)) {
            try Saturation.find([SweepLevel(level: .infinity, costPerTask: 1)])
        }
    }
}
