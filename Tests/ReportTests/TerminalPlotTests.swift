import XCTest
@testable import Report

final class TerminalPlotTests: XCTestCase {
    let sweep = Series(name: "cost", points: [
        ChartPoint(x: 1, y: 8), ChartPoint(x: 2, y: 4.5), ChartPoint(x: 4, y: 2.6),
        ChartPoint(x: 8, y: 1.9), ChartPoint(x: 16, y: 1.7), ChartPoint(x: 32, y: 1.8),
    ], style: .line)

    func testLinePlotAtWidth40IsExact() throws {
        let plot = TerminalPlot(title: "cost per task vs concurrency", x: Axis(label: "concurrency"),
                                y: Axis(label: "cost per task (m$)"), series: [sweep])
        let expected = """
        cost per task vs concurrency
        cost per task (m$)
        8 ┤ ●
          │ ⠈⡆
        6 ┤  ⡇
          │  ⢱
        4 ┤  ●⡄
          │   ⠘⡄
          │    ⠘●⣀
        2 ┤       ⠉⠑●⠒⠒⠒⠢⠤⠤⠤●⠤⠤⠤⠤⠤⠤⠤⠤⠔⠒⠒⠒⠒⠒⠒⠒⠒●
          └┬──────────┬──────────┬─────────┬────
           0         10         20        30
                        concurrency
        ● cost
        """
        let text = try plot.render(width: 40, height: 14)
        XCTAssertEqual(text, expected)
        XCTAssertEqual(text.split(separator: "\n", omittingEmptySubsequences: false).count, 14)
        XCTAssertTrue(text.split(separator: "\n").allSatisfy { $0.count <= 40 })
        XCTAssertEqual(try plot.render(width: 40, height: 14), text)   // deterministic
    }

    func testScatterOnLogAxisWithLegend() throws {
        let plot = TerminalPlot(x: Axis(label: "cost ($)", scale: .log), y: Axis(label: "quality"),
                                series: [Series(name: "a", points: [ChartPoint(x: 0.5, y: 20), ChartPoint(x: 4, y: 100)]),
                                         Series(name: "b<c", points: [ChartPoint(x: 1, y: 50), ChartPoint(x: 2, y: 80)])])
        let expected = """
        quality
        100 ┤                                 ●
            │                      ■
            │
            │
         50 ┤            ■
            │
            │ ●
            └─┬──────────┬─────────┬────────────
             0.5         1         2
                          cost ($)
        ● a   ■ b<c
        """
        XCTAssertEqual(try plot.render(width: 40, height: 12), expected)
    }

    func testStepSeriesAndErrors() throws {
        let cdf = TerminalPlot(x: Axis(label: "s"), y: Axis(label: "F", range: 0...1),
                               series: [Series(name: "ttft", points: Chart.cdfPoints([0.1, 0.2, 0.4]), style: .step)])
        let text = try cdf.render(width: 30, height: 10)
        XCTAssertFalse(text.split(separator: "\n").dropLast().joined().contains("●"))   // steps have no markers; the legend has
        XCTAssertTrue(text.unicodeScalars.contains { (0x2801...0x28FF).contains($0.value) })
        XCTAssertThrowsError(try cdf.render(width: 12, height: 10)) {
            XCTAssertTrue("\($0)".contains("too small"), "\($0)")
        }
        let bars = TerminalPlot(x: Axis(label: "x"), y: Axis(label: "y"),
                                series: [Series(name: "b", points: [ChartPoint(x: 1, y: 1)], style: .horizontalBars(from: 0, thickness: 1))])
        XCTAssertThrowsError(try bars.render(width: 40, height: 10))
        let empty = TerminalPlot(x: Axis(label: "x"), y: Axis(label: "y"), series: [Series(name: "e", points: [])])
        XCTAssertThrowsError(try empty.render(width: 40, height: 10))
    }
}
