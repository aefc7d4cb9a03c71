import FrontierMath
import XCTest

/// Grouping runs by UTC day, week or run (docs/cost.md, "Trends").
final class TrendTests: XCTestCase {
    /// 2026-11-01 00:00:00 UTC, a Sunday.
    let nov1 = 1_793_491_200.0
    let day = 86_400.0

    func testUTCDates() {
        XCTAssertEqual(Trend.day(0), "1970-01-01")
        XCTAssertEqual(Trend.day(-1), "1969-12-31")
        XCTAssertEqual(Trend.day(nov1), "2026-11-01")
        XCTAssertEqual(Trend.day(nov1 + day - 0.001), "2026-11-01")
        XCTAssertEqual(Trend.day(1_709_164_800), "2024-02-29")   // a leap day
        XCTAssertEqual(Trend.timestamp(nov1 + 4 * 3600 + 4 * 60 + 5.9), "2026-11-01T04:04:05Z")
        XCTAssertEqual(Trend.timestamp(-1), "1969-12-31T23:59:59Z")
        XCTAssertEqual(Trend.day(.infinity), "?")
        XCTAssertEqual(Trend.day(1e300), "?")
    }

    /// Weeks start on Monday: Sunday 2026-11-01 belongs to the week of Monday 2026-10-26,
    /// Monday 2026-11-02 to its own; 1970-01-01 (a Thursday) to Monday 1969-12-29.
    func testWeeksStartOnMonday() {
        XCTAssertEqual(Trend.day(Trend.periodStart(nov1 + 3600, .week)), "2026-10-26")
        XCTAssertEqual(Trend.day(Trend.periodStart(nov1 + day, .week)), "2026-11-02")
        XCTAssertEqual(Trend.day(Trend.periodStart(nov1 + 7 * day + 100, .week)), "2026-11-02")
        XCTAssertEqual(Trend.day(Trend.periodStart(0, .week)), "1969-12-29")
        XCTAssertEqual(Trend.periodStart(nov1 + 5, .day), nov1)
        XCTAssertEqual(Trend.periodStart(nov1 + 5, .run), nov1 + 5)
    }

    /// A date's value is Σ numerator / Σ denominator: $1 over 2M tokens and $3 over 2M
    /// tokens on one day is $1 per 1M tokens; a date with no tokens is left out.
    func testPointsPoolEachPeriod() throws {
        let samples = [
            TrendSample(time: nov1 + day + 10, id: 3, numerator: 5, denominator: 1),
            TrendSample(time: nov1 + 7200, id: 2, numerator: 3, denominator: 2),
            TrendSample(time: nov1 + 3600, id: 1, numerator: 1, denominator: 2),
            TrendSample(time: nov1 + 2 * day, id: 4, numerator: 1, denominator: 0),
        ]
        let byDay = try Trend.points(samples, by: .day)
        XCTAssertEqual(byDay.map(\.date), ["2026-11-01", "2026-11-02"])
        XCTAssertEqual(byDay.map(\.value), [1, 5])
        XCTAssertEqual(byDay.map(\.ids), [[1, 2], [3]])
        XCTAssertEqual(byDay.map(\.start), [nov1, nov1 + day])

        let byWeek = try Trend.points(samples, by: .week)
        XCTAssertEqual(byWeek.map(\.date), ["2026-10-26", "2026-11-02"])
        // The token-less run of 11-03 shares its week with 11-02's run: (5 + 1) / (1 + 0).
        XCTAssertEqual(byWeek.map(\.ids), [[1, 2], [3, 4]])
        XCTAssertEqual(byWeek.map(\.value), [1, 6])

        let byRun = try Trend.points(samples, by: .run)
        XCTAssertEqual(byRun.map(\.date), ["2026-11-01T01:00:00Z", "2026-11-01T02:00:00Z", "2026-11-02T00:00:10Z"])
        XCTAssertEqual(byRun.map(\.value), [0.5, 1.5, 5])
        XCTAssertEqual(try Trend.points([], by: .day), [])
    }

    func testBadSamplesAreRefused() {
        assertThrows(.nonFinite(what: "start time of sample", index: 0, value: .infinity)) {
            try Trend.points([TrendSample(time: .infinity, id: 1, numerator: 1)], by: .day)
        }
        assertThrows(.outOfRange(parameter: "start time of sample 0", value: 1e14, expected: "Unix epoch seconds within ±10¹³")) {
            try Trend.points([TrendSample(time: 1e14, id: 1, numerator: 1)], by: .day)
        }
        assertThrows(.outOfRange(parameter: "denominator of sample 1", value: -1, expected: "a finite number ≥ 0")) {
            try Trend.points([TrendSample(time: 0, id: 1, numerator: 1), TrendSample(time: 0, id: 2, numerator: 1, denominator: -1)], by: .day)
        }
    }
}
