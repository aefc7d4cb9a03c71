import XCTest
@testable import Report

final class ChartTests: XCTestCase {
    func line(_ name: String, _ ys: [Double]) -> Series {
        Series(name: name, points: ys.enumerated().map { ChartPoint(x: Double($0.offset + 1), y: $0.element) }, style: .line)
    }

    func testTextIsEscaped() throws {
        let chart = Chart(title: "Tom's <chart> & \"more\"", x: Axis(label: "x < 1"), y: Axis(label: "y"),
                          series: [Series(name: "a<b & \"c\"", points: [ChartPoint(x: 1, y: 2, label: "p&q")])])
        let svg = try chart.svg()
        XCTAssertTrue(svg.contains("a&lt;b &amp; &quot;c&quot;"))
        XCTAssertFalse(svg.contains("a<b"))
        let xml = parseXML(svg)
        XCTAssertEqual(xml.titles.first, "Tom's <chart> & \"more\"")
        XCTAssertTrue(xml.texts.contains("a<b & \"c\""))
        XCTAssertTrue(xml.texts.contains("p&q"))
        XCTAssertTrue(xml.texts.contains("x < 1"))
        XCTAssertEqual(Markup.escape("bell\u{7}"), "bell\u{FFFD}")
    }

    func testEmptyAndNonFiniteDataAreErrors() {
        let axes = (Axis(label: "x"), Axis(label: "y"))
        XCTAssertThrowsError(try Chart(title: "t", x: axes.0, y: axes.1, series: []).svg()) {
            XCTAssertEqual("\($0)", "chart 't' has no series")
        }
        XCTAssertThrowsError(try Chart(title: "t", x: axes.0, y: axes.1, series: [Series(name: "s", points: [])]).svg()) {
            XCTAssertEqual("\($0)", "chart 't': series 's' has no points")
        }
        XCTAssertThrowsError(try Chart(title: "t", x: axes.0, y: axes.1, series: [line("s", [1, .nan])]).svg()) {
            XCTAssertEqual("\($0)", "chart 't': series 's' point 1 is not finite (x = 2.0, y = nan)")
        }
        XCTAssertThrowsError(try Chart(title: "t", x: axes.0, y: Axis(label: "y", scale: .log), series: [line("s", [1, 0])]).svg()) {
            XCTAssertEqual("\($0)", "chart 't': y axis 'y' is logarithmic but has the value 0 (needs > 0)")
        }
        XCTAssertThrowsError(try Chart(title: "t", x: Axis(label: "x", range: 2...2), y: axes.1, series: [line("s", [1])]).svg())
        XCTAssertThrowsError(try Chart(title: "t", x: axes.0, y: axes.1, series: [line("s", [1])],
                                       annotations: [.horizontalLine(y: .infinity, label: "sla")]).svg()) {
            XCTAssertEqual("\($0)", "chart 't': annotation 'sla' has a non-finite coordinate")
        }
    }

    func testLogAxisTicksAndPaletteInSVG() throws {
        let chart = Chart(title: "log", x: Axis(label: "tokens", scale: .log), y: Axis(label: "cost ($)", scale: .log),
                          series: [line("one", [3, 40, 1850]), line("two", [5, 50, 500]), line("three", [7, 70, 700])])
        let svg = try chart.svg()
        let xml = parseXML(svg)
        for tick in ["10", "100", "1k"] { XCTAssertTrue(xml.texts.contains(tick), "missing tick \(tick)") }
        XCTAssertFalse(xml.texts.contains("20"))
        // Distinct colour, marker and dash per series.
        XCTAssertTrue(svg.contains(Palette.entries[0].color) && svg.contains(Palette.entries[1].color) && svg.contains(Palette.entries[2].color))
        XCTAssertTrue(xml.elements.contains("circle") && xml.elements.contains("path"))
        XCTAssertTrue(svg.contains("stroke-dasharray=\"8 4\"") && svg.contains("stroke-dasharray=\"2 3\""))
    }

    func testExplicitRangeClipsAndInlineSVGHasNoNamespace() throws {
        let chart = Chart(title: "clip", x: Axis(label: "x", range: 0...10), y: Axis(label: "y", range: 0...1),
                          series: [line("s", [0.5, 2, 0.1])], annotations: [.horizontalLine(y: 5, label: "off the chart")])
        let svg = try chart.svg(standalone: false, idPrefix: "c7")
        XCTAssertTrue(svg.hasPrefix("<svg width"))
        XCTAssertFalse(svg.contains("http"))
        XCTAssertTrue(svg.contains("clip-path=\"url(#c7-plot)\""))
        XCTAssertFalse(svg.contains("off the chart"))   // outside the fixed range
        _ = parseXML(svg)
    }
}
