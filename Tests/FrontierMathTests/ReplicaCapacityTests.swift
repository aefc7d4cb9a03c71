@testable import FrontierMath
import XCTest

/// Issue 21, part 1: the capacity of one replica under an SLA from a constructed sweep.
final class ReplicaCapacityTests: XCTestCase {
    func level(_ l: Double, _ rates: [Double], _ margins: [Double]) -> CapacityLevel {
        CapacityLevel(level: l, runs: zip(rates, margins).map { CapacityRun(requestsPerS: $0, margin: $1) })
    }

    /// Open loop, rates 1, 2, 4, 8, three repeats each. Worst margins: at 4, −0.1 (of
    /// −0.2, −0.1, −0.3); at 8, 0.4 (of 0.3, 0.2, 0.4): it fails. The margin crosses 0 at
    /// 4 + (8 − 4) × 0.1 / (0.4 + 0.1) = 4.8 requests/s. Resampling repeats, the worst
    /// margins range over −0.3…−0.1 at 4 and 0.2…0.4 at 8, so every resample's capacity is
    /// between 4.8 and 4 + 4 × 0.3 / 0.5 = 6.4.
    func testOpenLoopInterpolatesWhereTheMarginCrossesZero() throws {
        let levels = [level(1, [1, 1, 1], [-0.9, -0.8, -0.9]), level(2, [2, 2, 2], [-0.6, -0.5, -0.7]),
                      level(4, [3.9, 4, 4.1], [-0.2, -0.1, -0.3]), level(8, [6, 6.1, 5.9], [0.3, 0.2, 0.4])]
        let c = try XCTUnwrap(try ReplicaCapacity.find(levels, openLoop: true, resamples: 2000, seed: 3))
        XCTAssertEqual(c.index, 2)
        XCTAssertEqual(c.level, 4)
        XCTAssertEqual(c.requestsPerS, 4.8, accuracy: 1e-12)
        let i = try XCTUnwrap(c.interval)
        XCTAssertGreaterThanOrEqual(i.lower, 4.8 - 1e-12)
        XCTAssertLessThanOrEqual(i.upper, 6.4 + 1e-12)
        XCTAssertLessThan(i.lower, i.upper)
        XCTAssertFalse(c.atSweepEnd)
        XCTAssertEqual(c.reason, "SLA met up to 4, fails from 8")
        // Closed loop on the same numbers: the mean achieved rate at 4, (3.9 + 4 + 4.1) / 3.
        XCTAssertEqual(try XCTUnwrap(try ReplicaCapacity.find(levels, openLoop: false, resamples: 200)).requestsPerS, 4, accuracy: 1e-12)
    }

    /// A pass above a failure does not count; one run per level has no interval; every
    /// level passing reads the last and says capacity may be higher; a first failure is nil.
    func testConservativeReadings() throws {
        let lucky = [level(8, [7.5], [-0.5]), level(16, [12], [0.1]), level(32, [13], [-0.1])]
        let c = try XCTUnwrap(try ReplicaCapacity.find(lucky, openLoop: false))
        XCTAssertEqual(c.requestsPerS, 7.5)
        XCTAssertNil(c.interval)
        let all = try XCTUnwrap(try ReplicaCapacity.find(Array(lucky.prefix(1)), openLoop: true))
        XCTAssertEqual(all.requestsPerS, 8)
        XCTAssertTrue(all.atSweepEnd)
        XCTAssertEqual(all.reason, "SLA met at every level, up to 8: capacity may be higher")
        // A figure the run lacks fails with margin +∞: no interpolation past level 8.
        XCTAssertEqual(try ReplicaCapacity.find([level(8, [7.5], [-0.5]), level(16, [12], [.infinity])], openLoop: true)?.requestsPerS, 8)
        XCTAssertNil(try ReplicaCapacity.find(Array(lucky.dropFirst()), openLoop: true))
        XCTAssertThrowsError(try ReplicaCapacity.find(lucky.reversed(), openLoop: true))
        XCTAssertThrowsError(try ReplicaCapacity.find([], openLoop: true))
        XCTAssertThrowsError(try ReplicaCapacity.find([level(1, [], [])], openLoop: true))
    }
}
