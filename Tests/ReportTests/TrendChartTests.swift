import XCTest
@testable import Report

/// `Chart.trend`: a figure by date with its change points (docs/report.md).
final class TrendChartTests: XCTestCase {
    static let points = [10, 10.25, 9.75, 10, 12.5, 12.75, 12.25, 12.5].enumerated().map { k, v in
        TrendChartPoint(date: "2026-11-0\(k + 1)", day: Double(k), value: v, note: "1 run")
    }

    func testValuesSegmentMeansAndTheChangeLine() throws {
        let chart = try Chart.trend(title: "cost per 1M tokens by day", valueLabel: "cost per 1M tokens ($)", seriesName: "cost per 1M tokens",
                                    points: Self.points, changes: [TrendChartChange(index: 4, label: "change +25 %")])
        XCTAssertEqual(chart.series.map(\.name), ["cost per 1M tokens", "segment mean"])
        XCTAssertEqual(chart.series[0].points.map(\.y), [10, 10.25, 9.75, 10, 12.5, 12.75, 12.25, 12.5])
        // Segment means as a staircase: 10 from day 0, 12.5 from day 4 to the last day.
        XCTAssertEqual(chart.series[1].style, .step)
        XCTAssertTrue(chart.series[1].dashed)
        XCTAssertEqual(chart.series[1].points.map(\.x), [0, 4, 7])
        XCTAssertEqual(chart.series[1].points.map(\.y), [10, 12.5, 12.5])
        XCTAssertEqual(chart.annotations, [.verticalLine(x: 4, label: "change +25 %")])
        XCTAssertEqual(chart.x.label, "day (0 = 2026-11-01, UTC)")
        XCTAssertEqual(chart.x.ticks?.map(\.label), Self.points.map(\.date))

        let svg = try chart.svg()
        let xml = parseXML(svg)
        for text in ["change +25 %", "2026-11-01", "segment mean", "cost per 1M tokens ($)"] {
            XCTAssertTrue(xml.texts.contains(text), "missing \(text)")
        }
        // The tooltip names the date and the runs.
        XCTAssertTrue(svg.contains("<title>cost per 1M tokens\n2026-11-05 · 1 run\nday (0 = 2026-11-01, UTC): 4\ncost per 1M tokens ($): 12.5</title>"), svg)
    }

    func testWithoutChangesOnlyTheValues() throws {
        let chart = try Chart.trend(title: "t", valueLabel: "v", seriesName: "v", points: Array(Self.points.prefix(3)))
        XCTAssertEqual(chart.series.count, 1)
        XCTAssertEqual(chart.annotations, [])
        XCTAssertNoThrow(try chart.svg())
    }

    /// A year of nights gets about ten date ticks, not 365 grid lines; one tick per date.
    func testDateTicksAreThinnedAndDistinct() throws {
        let year = (0..<365).map { TrendChartPoint(date: "d\($0)", day: Double($0), value: 1) }
        let ticks = try Chart.trend(title: "t", valueLabel: "v", seriesName: "v", points: year).x.ticks ?? []
        XCTAssertEqual(ticks.count, 10)
        XCTAssertEqual(ticks.first?.label, "d0")
        XCTAssertEqual(ticks[1].label, "d37")
        let runs = [TrendChartPoint(date: "2026-11-01", day: 0, value: 1), TrendChartPoint(date: "2026-11-01", day: 0.5, value: 2),
                    TrendChartPoint(date: "2026-11-02", day: 1, value: 2)]
        XCTAssertEqual(try Chart.trend(title: "t", valueLabel: "v", seriesName: "v", points: runs).x.ticks?.map(\.value), [0, 1])
    }

    func testBadInputIsAnErrorNamingTheChart() {
        XCTAssertThrowsError(try Chart.trend(title: "t", valueLabel: "v", seriesName: "v", points: [])) {
            XCTAssertEqual("\($0)", "chart 't': no points to plot")
        }
        XCTAssertThrowsError(try Chart.trend(title: "t", valueLabel: "v", seriesName: "v", points: Array(Self.points.reversed()))) {
            XCTAssertEqual("\($0)", "chart 't': points must be in date order; 2026-11-07 follows 2026-11-08")
        }
        XCTAssertThrowsError(try Chart.trend(title: "t", valueLabel: "v", seriesName: "v", points: Self.points,
                                             changes: [TrendChartChange(index: 0, label: "x")])) {
            XCTAssertEqual("\($0)", "chart 't': change position 0 is not between two points (there are 8, from 0)")
        }
    }
}
