import Metrics
import XCTest

/// Percentiles: rank = p/100 · (n − 1), then linear interpolation between
/// sorted[⌊rank⌋] and sorted[⌊rank⌋ + 1] (numpy's default). Stdev is population (ddof 0).
final class LatencyStatsTests: XCTestCase {
    func testEmptyInputHasNoStatistics() {
        XCTAssertNil(LatencyStats([]))
        XCTAssertTrue(LatencyStats.percentile([], 50).isNaN)
    }

    func testOneSampleIsEveryPercentile() {
        // n = 1: rank = 0 for every p; stdev of one value is 0.
        assertStats(LatencyStats([3.5]), count: 1, mean: 3.5, stdev: 0,
                    min: 3.5, p50: 3.5, p90: 3.5, p95: 3.5, p99: 3.5, max: 3.5)
        for p in [0.0, 37.0, 100.0] {
            XCTAssertEqual(LatencyStats.percentile([3.5], p), 3.5)
        }
    }

    func testTwoSamplesInterpolate() {
        // [1, 3], n − 1 = 1 so rank = p/100:
        // p0 → 1; p25 → 1 + 0.25·2 = 1.5; p50 → 2; p90 → 1 + 0.9·2 = 2.8;
        // p95 → 2.9; p99 → 2.98; p100 → 3.
        let sorted = [1.0, 3.0]
        XCTAssertEqual(LatencyStats.percentile(sorted, 0), 1)
        XCTAssertEqual(LatencyStats.percentile(sorted, 25), 1.5, accuracy: tolerance)
        XCTAssertEqual(LatencyStats.percentile(sorted, 100), 3)
        // mean 2; deviations ±1 → variance 2/2 = 1 → stdev 1 (sample stdev would be √2).
        assertStats(LatencyStats([3, 1]), count: 2, mean: 2, stdev: 1,
                    min: 1, p50: 2, p90: 2.8, p95: 2.9, p99: 2.98, max: 3)
    }

    func testFourSamples() {
        // [1, 2, 3, 4], n − 1 = 3:
        // p50: rank 1.5 → 2 + 0.5·1 = 2.5;  p90: rank 2.7 → 3 + 0.7·1 = 3.7
        // p95: rank 2.85 → 3.85;            p99: rank 2.97 → 3.97
        // mean 2.5; squared deviations 2.25 + 0.25 + 0.25 + 2.25 = 5 → var 1.25
        // → stdev √1.25 = 1.118033988749895
        assertStats(LatencyStats([4, 2, 1, 3]), count: 4, mean: 2.5, stdev: 1.25.squareRoot(),
                    min: 1, p50: 2.5, p90: 3.7, p95: 3.85, p99: 3.97, max: 4)
    }

    func testEndpointsAreExactAndOutOfRangeClamps() {
        let sorted = [0.1, 0.2, 0.7]
        XCTAssertEqual(LatencyStats.percentile(sorted, 0), 0.1)
        XCTAssertEqual(LatencyStats.percentile(sorted, 100), 0.7)
        XCTAssertEqual(LatencyStats.percentile(sorted, -5), 0.1)
        XCTAssertEqual(LatencyStats.percentile(sorted, 150), 0.7)
        // p50: rank 1 → exactly the middle sample.
        XCTAssertEqual(LatencyStats.percentile(sorted, 50), 0.2)
    }

    func testFiveSamples() {
        // [10, 20, 30, 40, 50], n − 1 = 4: p90 rank 3.6 → 40 + 0.6·10 = 46;
        // p95 rank 3.8 → 48; p99 rank 3.96 → 49.6; p50 rank 2 → 30.
        // mean 30; squared deviations 400 + 100 + 0 + 100 + 400 = 1000 → var 200.
        assertStats(LatencyStats([50, 10, 40, 20, 30]), count: 5, mean: 30,
                    stdev: 200.0.squareRoot(), min: 10, p50: 30, p90: 46, p95: 48,
                    p99: 49.6, max: 50)
    }

    func testStdevIsPopulation() {
        // The classic set: mean 5, Σ(x − 5)² = 9+1+1+1+0+0+4+16 = 32, 32/8 = 4 → 2.
        // (The sample stdev, 32/7, would be 2.138.)
        let stats = LatencyStats([2, 4, 4, 4, 5, 5, 7, 9])
        XCTAssertEqual(stats?.mean ?? .nan, 5, accuracy: tolerance)
        XCTAssertEqual(stats?.stdev ?? .nan, 2, accuracy: tolerance)
    }

    func testRepeatedValues() {
        assertStats(LatencyStats([0.25, 0.25, 0.25]), count: 3, mean: 0.25, stdev: 0,
                    min: 0.25, p50: 0.25, p90: 0.25, p95: 0.25, p99: 0.25, max: 0.25)
    }

    func testCountedSampleIsTheExpandedSample() {
        // (2, ×3), (4, ×1), (9, ×0 → ignored), (1, ×1) is [1, 2, 2, 2, 4], n − 1 = 4:
        // p50 rank 2 → 2; p90 rank 3.6 → 2 + 0.6·2 = 3.2; p95 rank 3.8 → 3.6;
        // p99 rank 3.96 → 3.92. mean 11/5 = 2.2; squared deviations
        // 1.44 + 3·0.04 + 3.24 = 4.8 → var 0.96.
        assertStats(LatencyStats(counted: [(2, 3), (4, 1), (9, 0), (1, 1)]), count: 5, mean: 2.2,
                    stdev: 0.96.squareRoot(), min: 1, p50: 2, p90: 3.2, p95: 3.6, p99: 3.92, max: 4)
        XCTAssertNil(LatencyStats(counted: []))
        XCTAssertNil(LatencyStats(counted: [(1, 0)]))
        assertStats(LatencyStats(counted: [(0.5, 1)]), count: 1, mean: 0.5, stdev: 0,
                    min: 0.5, p50: 0.5, p90: 0.5, p95: 0.5, p99: 0.5, max: 0.5)
        // Repeated entries for one value (a run-length list need not merge them).
        let expanded = LatencyStats([3, 1, 1, 7, 7, 7, 2])
        let counted = LatencyStats(counted: [(7, 2), (1, 2), (3, 1), (7, 1), (2, 1)])
        XCTAssertEqual(expanded, counted)
    }

    func testCodableKeys() throws {
        let stats = try XCTUnwrap(LatencyStats([1, 2]))
        let data = try JSONEncoder().encode(stats)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
        XCTAssertEqual(Set(object.keys),
                       ["count", "mean", "stdev", "min", "p50", "p90", "p95", "p99", "max"])
        XCTAssertEqual(try JSONDecoder().decode(LatencyStats.self, from: data), stats)
    }
}
