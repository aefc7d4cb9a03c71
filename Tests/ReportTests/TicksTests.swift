import XCTest
@testable import Report

final class TicksTests: XCTestCase {
    func testLinearTicksUseOneTwoFiveSteps() {
        let ticks = Ticks.linear(from: 0, to: 0.87)
        XCTAssertEqual(ticks.map(\.value), [0, 0.2, 0.4, 0.6, 0.8])
        XCTAssertEqual(ticks.compactMap(\.label), ["0", "0.2", "0.4", "0.6", "0.8"])
        XCTAssertEqual(Ticks.niceStep(span: 10, target: 5), 2)
        XCTAssertEqual(Ticks.niceStep(span: 7, target: 5), 2)
        XCTAssertEqual(Ticks.niceStep(span: 23, target: 5), 5)
        XCTAssertEqual(Ticks.niceStep(span: 0.04, target: 5), 0.01, accuracy: 1e-15)
        XCTAssertEqual(Ticks.linear(from: 13, to: 87).map(\.value), [20, 40, 60, 80])
        XCTAssertEqual(Ticks.linear(from: -1, to: 1).compactMap(\.label), ["-1", "-0.5", "0", "0.5", "1"])
    }

    func testTickValuesAndLabelsCarryNoFloatNoise() {
        let ticks = Ticks.linear(from: 0, to: 0.5)
        XCTAssertEqual(ticks.compactMap(\.label), ["0", "0.1", "0.2", "0.3", "0.4", "0.5"])
        XCTAssertEqual(ticks[3].value, 0.3)   // not 0.30000000000000004
        XCTAssertEqual(NumberFormat.short(0.1 + 0.2), "0.3")
    }

    /// Tooltips give exact values: significant digits, no suffix, no exponent.
    func testExactValuesKeepFourSignificantDigitsWithoutSuffix() {
        XCTAssertEqual([1036.4, 0.0044159, 0.8, 2, 123_456.7, -0.000012346, 0].map { NumberFormat.exact($0) },
                       ["1036", "0.004416", "0.8", "2", "123457", "-0.00001235", "0"])
    }

    func testLargeNumbersUseSuffixes() {
        XCTAssertEqual(Ticks.linear(from: 0, to: 2000).compactMap(\.label), ["0", "0.5k", "1k", "1.5k", "2k"])
        XCTAssertEqual(Ticks.linear(from: 0, to: 4_000_000).compactMap(\.label), ["0", "1M", "2M", "3M", "4M"])
        XCTAssertEqual(NumberFormat.short(1850), "1.85k")
        XCTAssertEqual(NumberFormat.short(999_999), "1M")
        XCTAssertEqual(NumberFormat.short(1000), "1k")
        XCTAssertEqual(NumberFormat.short(2.5e9), "2.5G")
        XCTAssertEqual(NumberFormat.short(-0.0), "0")
        XCTAssertEqual(NumberFormat.short(0.000123), "0.000123")
        XCTAssertEqual(NumberFormat.short(123.456), "123")
        XCTAssertEqual(NumberFormat.short(0.79400912, significant: 4), "0.794")
    }

    func testLogTicksAreDecadesWithTwoAndFiveMinor() {
        let ticks = Ticks.log(from: 3, to: 1850)
        XCTAssertEqual(ticks.filter { $0.label != nil }.map(\.value), [10, 100, 1000])
        XCTAssertEqual(ticks.compactMap(\.label), ["10", "100", "1k"])
        XCTAssertEqual(ticks.filter { !$0.major }.map(\.value), [5, 20, 50, 200, 500])
        XCTAssertTrue(ticks.filter { !$0.major }.allSatisfy { $0.label == nil })
    }

    func testLogTicksWithinOneDecadeLabelTwosAndFives() {
        XCTAssertEqual(Ticks.log(from: 15, to: 90).compactMap(\.label), ["20", "50"])
        XCTAssertEqual(Ticks.log(from: 0.003, to: 0.04).compactMap(\.label), ["0.005", "0.01", "0.02"])
        // No 1-2-5 value twice in range: linear ticks instead.
        XCTAssertEqual(Ticks.log(from: 3, to: 4.5).compactMap(\.label), ["3", "3.5", "4", "4.5"])
    }

    func testManyDecadesLabelEveryNth() {
        let labelled = Ticks.log(from: 1, to: 1e12).filter { $0.label != nil }.map(\.value)
        XCTAssertEqual(labelled, [1, 100, 1e4, 1e6, 1e8, 1e10, 1e12])
    }

    func testFittedRangeLeavesAMargin() {
        XCTAssertEqual(AxisMap.fitted(lo: 0, hi: 10, includesZero: false), -0.5...10.5)
        XCTAssertEqual(AxisMap.fitted(lo: 2, hi: 10, includesZero: true), 0...10.4)
        XCTAssertEqual(AxisMap.fitted(lo: 5, hi: 5, includesZero: false), 4.5...5.5)
        XCTAssertEqual(AxisMap.fitted(lo: 0, hi: 0, includesZero: false), -1...1)
    }

    func testLogTicksLabelTwosAndFivesBelowThreeDecades() {
        XCTAssertEqual(Ticks.log(from: 1, to: 64).compactMap(\.label), ["1", "2", "5", "10", "20", "50"])
    }

    func testPaletteLightnessStepsDiffer() {
        let entries = Palette.entries
        for i in entries.indices {
            let next = entries[(i + 1) % entries.count]
            XCTAssertGreaterThanOrEqual(abs(entries[i].lightness - next.lightness), 15, "positions \(i) and \(i + 1)")
        }
        XCTAssertEqual(Set(entries.map(\.marker)).count, entries.count)
        XCTAssertEqual(Set(entries.map(\.dash)).count, entries.count)
    }
}
