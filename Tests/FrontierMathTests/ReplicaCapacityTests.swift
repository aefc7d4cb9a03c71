@testable import FrontierMath
import XCTest

/// Issue 21, part 1: the capacity of one replica under an SLA from a constructed sweep.
final class ReplicaCapacityTests: XCTestCase {
    /// Rates 1, 2, 4, 8 with three repeated runs each; 8 fails the SLA. Capacity: the
    /// mean achieved rate at 4, (3.9 + 4.0 + 4.1) / 3 = 4.0, its bootstrap interval
    /// inside [3.9, 4.1] (every resample's mean is).
    func testHighestLevelMeetingTheSLA() throws {
        let levels = [CapacityLevel(level: 1, requestsPerS: [0.98, 1, 1.02], meetsSLA: true),
                      CapacityLevel(level: 2, requestsPerS: [1.97, 2, 2.03], meetsSLA: true),
                      CapacityLevel(level: 4, requestsPerS: [3.9, 4.0, 4.1], meetsSLA: true),
                      CapacityLevel(level: 8, requestsPerS: [6, 6.1, 5.9], meetsSLA: false)]
        let c = try XCTUnwrap(try ReplicaCapacity.find(levels, resamples: 2000, seed: 3))
        XCTAssertEqual(c.index, 2)
        XCTAssertEqual(c.level, 4)
        XCTAssertEqual(c.requestsPerS, 4, accuracy: 1e-12)
        let i = try XCTUnwrap(c.interval)
        XCTAssertGreaterThanOrEqual(i.lower, 3.9)
        XCTAssertLessThanOrEqual(i.upper, 4.1)
        XCTAssertLessThan(i.lower, i.upper)
        XCTAssertFalse(c.atSweepEnd)
        XCTAssertEqual(c.reason, "SLA met up to 4, fails from 8")
    }

    /// A pass above a failure does not count; one run per level has no interval; every
    /// level passing reads the last and says capacity may be higher; a first failure is nil.
    func testConservativeReadings() throws {
        let lucky = [CapacityLevel(level: 8, requestsPerS: [7.5], meetsSLA: true),
                     CapacityLevel(level: 16, requestsPerS: [12], meetsSLA: false),
                     CapacityLevel(level: 32, requestsPerS: [13], meetsSLA: true)]
        let c = try XCTUnwrap(try ReplicaCapacity.find(lucky))
        XCTAssertEqual(c.requestsPerS, 7.5)
        XCTAssertNil(c.interval)
        let all = try XCTUnwrap(try ReplicaCapacity.find(Array(lucky.prefix(1))))
        XCTAssertTrue(all.atSweepEnd)
        XCTAssertEqual(all.reason, "SLA met at every level, up to 8: capacity may be higher")
        XCTAssertNil(try ReplicaCapacity.find(Array(lucky.dropFirst())))
        XCTAssertThrowsError(try ReplicaCapacity.find(lucky.reversed()))
        XCTAssertThrowsError(try ReplicaCapacity.find([]))
        XCTAssertThrowsError(try ReplicaCapacity.find([CapacityLevel(level: 1, requestsPerS: [], meetsSLA: true)]))
    }
}
