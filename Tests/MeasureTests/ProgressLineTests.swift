import XCTest
@testable import Measure

/// The progress line says when an open loop falls behind: waiting, late and dropped requests.
final class ProgressLineTests: XCTestCase {
    func testTheLineNamesWaitingLateAndDroppedOnlyWhenThereAreAny() {
        var p = RunProgress(done: 10, total: 200, succeeded: 10, errors: 0, inFlight: 1, elapsed: 0.5,
                            outputTokens: 30, ttftP50: 0.04)
        XCTAssertEqual(p.line, "10/200  20.0 req/s  60 tok/s  p50 TTFT 40 ms  0 errors  1 s, ~10 s left")
        p.waiting = 3
        p.late = 9
        p.dropped = 90
        XCTAssertEqual(p.line, "10/200  20.0 req/s  60 tok/s  p50 TTFT 40 ms  0 errors  3 waiting  9 late  90 dropped  1 s, ~10 s left")
    }
}
