import MonotonicSync
import Foundation
import XCTest
@testable import Measure

/// The one-shot signal the Lua thread waits on in 50 ms slices.
final class LatchTests: XCTestCase {
    func testClosedLatchTimesOutAfterItsTimeout() {
        let latch = Latch()
        let start = DispatchTime.now().uptimeNanoseconds
        XCTAssertFalse(latch.wait(timeout: 0.05))
        let waited = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        XCTAssertGreaterThanOrEqual(waited, 0.049)
        XCTAssertLessThan(waited, 1)
        XCTAssertFalse(latch.wait(timeout: 0))
        XCTAssertFalse(latch.wait(timeout: -1))
    }

    func testOpenStaysOpenForEveryWaiter() {
        let latch = Latch()
        latch.open()
        latch.open()
        for _ in 0..<3 { XCTAssertTrue(latch.wait(timeout: 0)) }
    }

    func testOpeningWakesAWaiterAtOnce() {
        let latch = Latch()
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.05) { latch.open() }
        let start = DispatchTime.now().uptimeNanoseconds
        XCTAssertTrue(latch.wait(timeout: 10))
        XCTAssertLessThan(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9, 5)
    }
}
