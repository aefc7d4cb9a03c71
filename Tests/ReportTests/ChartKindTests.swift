import XCTest
@testable import Report

final class ChartKindTests: XCTestCase {
    static let points = [
        CostQualityPoint(label: "small", cost: 0.5, quality: 20),
        CostQualityPoint(label: "medium", cost: 1, quality: 50),
        CostQualityPoint(label: "large", cost: 2, quality: 80),
        CostQualityPoint(label: "huge", cost: 4, quality: 100),
        CostQualityPoint(label: "wasteful", cost: 3, quality: 40),
    ]

    func testQualityVsCost() throws {
        let chart = try Chart.qualityVsCost(points: Self.points, frontier: [3, 0, 1, 2], zone: [0, 1])
        XCTAssertEqual(chart.series.map(\.name), ["configurations", "efficient frontier"])
        XCTAssertEqual(chart.series[1].points.map(\.x), [0.5, 1, 2, 4])   // joined in cost order
        let svg = try chart.svg()
        let xml = parseXML(svg)
        XCTAssertEqual(xml.titles.first, "Quality vs cost")
        for text in ["configurations", "efficient frontier", "optimal zone", "small", "wasteful", "huge",
                     "cost per task ($)", "quality"] {
            XCTAssertTrue(xml.texts.contains(text), "missing \(text)")
        }
        // Linear ticks on both axes: cost 1…4 by 1, quality 20…100 by 20.
        for tick in ["1", "2", "3", "4", "20", "40", "60", "80", "100"] {
            XCTAssertTrue(xml.texts.contains(tick), "missing tick \(tick)")
        }
        XCTAssertTrue(svg.hasPrefix("<?xml"))
        XCTAssertTrue(xml.elements.contains("polyline"))
        XCTAssertFalse(svg.contains("<script"))
        XCTAssertThrowsError(try Chart.qualityVsCost(points: Self.points, frontier: [7])) { error in
            XCTAssertEqual("\(error)", "chart 'Quality vs cost': frontier position 7 is not a point (there are 5, from 0)")
        }
    }

    /// A sweep point's tooltip says which run it is; notes must pair with levels.
    func testSweepNotesNameTheRunInTheTooltip() throws {
        let line = SweepLine(name: "a", levels: [8, 16], values: [2, 1], notes: ["run 4", "run 5"])
        let svg = try Chart.sweep(title: "t", metricLabel: "makespan (s)", lines: [line]).svg()
        XCTAssertTrue(svg.contains("<title>a\nrun 5\nconcurrency: 16\nmakespan (s): 1</title>"), svg)
        XCTAssertThrowsError(try Chart.sweep(title: "t", metricLabel: "m", lines: [SweepLine(name: "a", levels: [8], values: [2], notes: ["x", "y"])])) {
            XCTAssertEqual("\($0)", "chart 't': sweep 'a' has 1 levels but 2 notes")
        }
    }

    /// The knee is a marker of its own, over the frontier point it names.
    func testQualityVsCostMarksTheKnee() throws {
        let chart = try Chart.qualityVsCost(points: Self.points, frontier: [0, 1, 2, 3], zone: [1], knee: 2)
        XCTAssertEqual(chart.series.map(\.name), ["configurations", "efficient frontier", "knee"])
        XCTAssertEqual(chart.series[2].points, [ChartPoint(x: 2, y: 80, label: "large")])
        XCTAssertTrue(try chart.svg().contains("<title>knee · large\ncost per task ($): 2\nquality: 80</title>"))
        XCTAssertThrowsError(try Chart.qualityVsCost(points: Self.points, knee: 5)) { error in
            XCTAssertEqual("\(error)", "chart 'Quality vs cost': knee position 5 is not a point (there are 5, from 0)")
        }
    }

    func testSweepWithSaturationAndSLA() throws {
        let chart = try Chart.sweep(
            title: "TTFT p99 against concurrency", metricLabel: "TTFT p99 (s)",
            lines: [SweepLine(name: "llama-8b", levels: [1, 2, 4, 8, 16, 32, 64], values: [0.05, 0.06, 0.08, 0.12, 0.3, 0.7, 1.6]),
                    SweepLine(name: "qwen-7b", levels: [1, 4, 16, 64], values: [0.04, 0.07, 0.2, 0.9])],
            saturation: 16, thresholds: [Threshold(value: 1, label: "SLA: TTFT p99 ≤ 1 s")], logLevels: true)
        let xml = parseXML(try chart.svg())
        for text in ["llama-8b", "qwen-7b", "saturation (16)", "SLA: TTFT p99 ≤ 1 s", "TTFT p99 (s)", "concurrency"] {
            XCTAssertTrue(xml.texts.contains(text), "missing \(text)")
        }
        // Log x axis 1…64: under three decades, so 2s and 5s are labelled too; linear y from 0.
        for tick in ["1", "2", "5", "10", "20", "50", "0", "0.5", "1.5"] { XCTAssertTrue(xml.texts.contains(tick), "missing tick \(tick)") }
        XCTAssertThrowsError(try Chart.sweep(title: "t", metricLabel: "m", lines: [SweepLine(name: "a", levels: [1, 2], values: [1])]))
    }

    func testLatencyCDF() throws {
        let fast = LatencySample(name: "c=1", values: [0.05, 0.06, 0.07, 0.09, 0.2])
        let slow = LatencySample(name: "c=64", values: (1...5000).map { 0.1 + Double($0) / 5000 })
        let chart = try Chart.latencyCDF(title: "TTFT", quantityLabel: "TTFT (s)", samples: [fast, slow],
                                         thresholds: [Threshold(value: 0.5, label: "SLA 0.5 s")], logLatency: true)
        XCTAssertEqual(chart.series[0].points.map(\.y), [0, 0.2, 0.4, 0.6, 0.8, 1])
        XCTAssertEqual(chart.series[1].points.count, 1001)          // drawn at 1,000 quantiles
        XCTAssertEqual(chart.series[1].points.last?.x, 1.1)
        let svg = try chart.svg()
        let xml = parseXML(svg)
        for text in ["c=1", "c=64", "SLA 0.5 s", "TTFT (s)", "fraction of requests ≤ x", "TTFT", "0", "0.2", "1", "0.1", "1"] {
            XCTAssertTrue(xml.texts.contains(text), "missing \(text)")
        }
        XCTAssertTrue(svg.contains("stroke-dasharray=\"8 4\""))   // the second run's line is dashed
        XCTAssertThrowsError(try Chart.latencyCDF(title: "t", quantityLabel: "s", samples: [LatencySample(name: "e", values: [])])) {
            XCTAssertEqual("\($0)", "chart 't': sample 'e' has no values")
        }
        XCTAssertThrowsError(try Chart.latencyCDF(title: "t", quantityLabel: "s",
                                                  samples: [LatencySample(name: "z", values: [0, 1])], logLatency: true).svg()) {
            XCTAssertTrue("\($0)".contains("logarithmic"), "\($0)")
        }
    }

    func testTornadoPutsLargestSwingOnTop() throws {
        let chart = try Chart.tornado(title: "Hourly cost sensitivity", metricLabel: "hourly cost ($/h)", baseline: 0.794, bars: [
            TornadoBar(parameter: "electricity", low: 0.05, high: 0.2, atLow: 0.77, atHigh: 0.83),
            TornadoBar(parameter: "price", low: 12000, high: 18000, atLow: 0.68, atHigh: 0.91),
            TornadoBar(parameter: "years", atLow: 0.99, atHigh: 0.69),
        ])
        let ticks = try XCTUnwrap(chart.y.ticks)
        XCTAssertEqual(ticks.map(\.value), [2, 1, 0])
        XCTAssertEqual(ticks.compactMap(\.label), ["years", "price (12k–18k)", "electricity (0.05–0.2)"])
        let xml = parseXML(try chart.svg())
        for text in ["years", "price (12k–18k)", "baseline 0.794", "parameter at low value", "parameter at high value",
                     "0.68", "0.91", "hourly cost ($/h)"] {
            XCTAssertTrue(xml.texts.contains(text), "missing \(text)")
        }
        XCTAssertEqual(xml.elements.filter { $0 == "rect" }.count, 2 /* background, frame */ + 6 /* bars */ + 2 /* legend */ + 1 /* clip */)
    }

    func testBreakEven() throws {
        let volumes = [1e8, 1e9, 2e9, 5e9, 1e10]
        let chart = try Chart.breakEven(
            volumes: volumes,
            options: [BreakEvenOption(name: "self-hosted", monthlyCosts: [580, 580, 580, 580, nil]),
                      BreakEvenOption(name: "cloud", monthlyCosts: [20, 200, 400, 1000, 2000]),
                      BreakEvenOption(name: "API", monthlyCosts: [50, 500, 1000, 2500, 5000])],
            crossovers: [Crossover(label: "self-hosted = cloud", volume: 2.9e9),
                         Crossover(label: "self-hosted = API", volume: 1.16e9)],
            capacity: 8e9, logVolume: true)
        XCTAssertEqual(chart.series[0].points.count, 4)   // no cost above capacity
        let xml = parseXML(try chart.svg())
        for text in ["self-hosted", "cloud", "API", "self-hosted = cloud at 2.9G", "self-hosted = API at 1.16G",
                     "capacity 8G", "tokens per month", "monthly cost ($)", "100M", "1G", "10G"] {
            XCTAssertTrue(xml.texts.contains(text), "missing \(text)")
        }
        XCTAssertThrowsError(try Chart.breakEven(volumes: [1, 2], options: [BreakEvenOption(name: "x", monthlyCosts: [nil, nil])]))
    }
}
