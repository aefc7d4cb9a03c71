import FrontierMath
import XCTest

/// Properties of the Pareto engines over many seeded random point sets,
/// including small-integer grids where ties and exact duplicates are common.
final class ParetoPropertyTests: XCTestCase {
    private func check(seed: UInt64, metrics: [String], sets: Int, maxSize: Int,
                       file: StaticString = #filePath, line: UInt = #line) throws {
        var generator = PointGenerator(seed: seed)
        for set in 0..<sets {
            let size = generator.rng.index(below: maxSize + 1)
            let points = generator.points(size, metrics: metrics, grid: set % 2 == 0)
            let objectives = generator.objectives(metrics)
            let limit = 1 + generator.rng.index(below: 4)
            let shuffled = generator.shuffled(points)
            let problems = try violations(points, objectives, limit: limit, shuffled: shuffled)
            // Report the first few problems of the first failing set, not a flood.
            guard problems.isEmpty else {
                let label = "seed \(seed) set \(set) (\(size) points, grid \(set % 2 == 0), limit \(limit))"
                XCTFail("\(label): " + problems.prefix(5).joined(separator: "; "), file: file, line: line)
                return
            }
        }
    }

    /// Every way the engine disagrees with the definition on one point set.
    private func violations(_ points: [Point], _ objectives: [Objective], limit: Int,
                            shuffled: [Point]) throws -> [String] {
        let result = try Pareto.front(points, objectives: objectives, dominators: .ids(limit: limit))
        let counted = try Pareto.front(points, objectives: objectives)
        // Without dominators the two-objective front takes the prefiltered path.
        let bare = try Pareto.front(points, objectives: objectives, dominators: .none)
        let brute = BruteForcePareto(points, objectives)
        var problems: [String] = []
        if bare.onFront != brute.onFront { problems.append("front membership without dominators") }
        for b in points.indices {
            // The engine agrees with the O(n²) definition, counts and listed ids included.
            if result.onFront[b] != brute.onFront[b] { problems.append("front membership of \(b)") }
            if result.dominatorCounts?[b] != brute.counts[b] { problems.append("count (ids mode) of \(b)") }
            if counted.dominatorCounts?[b] != brute.counts[b] { problems.append("count of \(b)") }
            if result.dominatorIndices?[b] != Array(brute.dominators[b].prefix(limit)) {
                problems.append("listed dominators of \(b)")
            }
            // No front point is dominated; every other point is dominated by a front point.
            if result.onFront[b], !brute.dominators[b].isEmpty { problems.append("front point \(b) dominated") }
            if !result.onFront[b], !brute.dominators[b].contains(where: { result.onFront[$0] }) {
                problems.append("point \(b) off the front but no front point dominates it")
            }
        }
        // Input order changes nothing but the order of the output.
        let again = try Pareto.front(shuffled, objectives: objectives)
        if Set(again.frontIds) != Set(result.frontIds) { problems.append("front changed by shuffling") }
        let countsById = Dictionary(uniqueKeysWithValues: zip(counted.ids, counted.dominatorCounts ?? []))
        for (id, count) in zip(again.ids, again.dominatorCounts ?? []) where countsById[id] != count {
            problems.append("count of \(id) changed by shuffling")
        }
        return problems
    }

    func testTwoObjectivesAgreeWithBruteForce() throws {
        try check(seed: 1, metrics: ["cost", "quality"], sets: 400, maxSize: 40)
    }

    func testThreeObjectivesAgreeWithBruteForce() throws {
        try check(seed: 2, metrics: ["cost", "quality", "latency"], sets: 300, maxSize: 40)
    }

    func testFourObjectivesAgreeWithBruteForce() throws {
        try check(seed: 3, metrics: ["a", "b", "c", "d"], sets: 100, maxSize: 30)
    }

    func testLargerTwoObjectiveSets() throws {
        // Big enough for many radix-sort digits and merge levels to matter.
        try check(seed: 4, metrics: ["cost", "quality"], sets: 4, maxSize: 600)
    }
}
