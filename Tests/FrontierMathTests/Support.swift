import SeededRandom
import FrontierMath
import XCTest

/// Shorthand objectives used across the tests.
let minCost = Objective(metric: "cost", direction: .minimize)
let maxQuality = Objective(metric: "quality", direction: .maximize)
let minLatency = Objective(metric: "latency", direction: .minimize)

/// A point with cost and quality (the common case in these tests).
func point(_ id: String, cost: Double, quality: Double) -> Point {
    Point(id: id, values: ["cost": cost, "quality": quality])
}

/// Asserts that `body` throws exactly `expected`.
func assertThrows<T>(_ expected: FrontierError, _ body: () throws -> T,
                     file: StaticString = #filePath, line: UInt = #line) {
    do {
        _ = try body()
        XCTFail("expected error: \(expected)", file: file, line: line)
    } catch let error as FrontierError {
        XCTAssertEqual(error, expected, file: file, line: line)
    } catch {
        XCTFail("unexpected error type: \(error)", file: file, line: line)
    }
}

/// Random point sets for the property tests.
struct PointGenerator {
    var rng: SplitMix64

    init(seed: UInt64) { rng = SplitMix64(seed: seed) }

    /// Standard normal by Box–Muller.
    mutating func normal() -> Double {
        let u = max(rng.uniform(), .leastNonzeroMagnitude)
        return (-2 * log(u)).squareRoot() * cos(2 * .pi * rng.uniform())
    }

    /// `count` points with unique ids over `metrics`. With `grid`, values are
    /// small integers (some negative), so ties and exact duplicates are common;
    /// otherwise they are continuous.
    mutating func points(_ count: Int, metrics: [String], grid: Bool) -> [Point] {
        (0..<count).map { i in
            var values: [String: Double] = [:]
            for metric in metrics {
                values[metric] = grid ? Double(rng.index(below: 6)) - 2 : normal()
            }
            return Point(id: "p\(i)", values: values)
        }
    }

    /// A random objective list over `metrics` with random directions.
    mutating func objectives(_ metrics: [String]) -> [Objective] {
        metrics.map { Objective(metric: $0, direction: rng.index(below: 2) == 0 ? .minimize : .maximize) }
    }

    /// `values` in a random order (Fisher–Yates).
    mutating func shuffled<T>(_ values: [T]) -> [T] {
        var result = values
        for i in result.indices.reversed() where i > 0 {
            result.swapAt(i, rng.index(below: i + 1))
        }
        return result
    }
}

/// The O(n²) definition, written independently of the target's engine.
struct BruteForcePareto {
    let dominators: [[Int]]

    init(_ points: [Point], _ objectives: [Objective]) {
        let rows = points.map { p in
            objectives.map { o in (p.values[o.metric] ?? .nan) * (o.direction == .minimize ? 1 : -1) }
        }
        dominators = rows.indices.map { b in
            rows.indices.filter { a in
                zip(rows[a], rows[b]).allSatisfy { $0 <= $1 } && zip(rows[a], rows[b]).contains { $0 < $1 }
            }
        }
    }

    var onFront: [Bool] { dominators.map(\.isEmpty) }
    var counts: [Int] { dominators.map(\.count) }
}
