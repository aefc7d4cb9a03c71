// Benchmark driver for the FrontierMath target, compiled in one module with
// Sources/FrontierMath/*.swift by scripts/bench/frontier.sh (so no import and
// no Package.swift product are needed). Prints a table (best of three runs
// per row); asserts nothing.
import Foundation

@main
struct FrontierBench {
    static func main() throws {
        var rows: [(String, String, String, String)] = []
        func row(_ name: String, _ seconds: (wall: Double, cpu: Double), _ note: String) {
            rows.append((name, String(format: "%.3f", seconds.wall), String(format: "%.3f", seconds.cpu), note))
        }
        var rng = SplitMix64(seed: 2025)

        // A million configurations: quality saturates with cost, minus noise,
        // so the front is a realistic rising curve rather than a corner.
        let points = (0..<1_000_000).map { i -> Point in
            let cost = 0.01 + 5 * rng.uniform()
            let quality = (1 - exp(-cost)) * (1 - 0.5 * rng.uniform() * rng.uniform())
            return Point(id: "p\(i)", values: ["cost": cost, "quality": quality])
        }
        let objectives = [Objective(metric: "cost", direction: .minimize),
                          Objective(metric: "quality", direction: .maximize)]

        var front: ParetoResult?
        row("Pareto 2D, 1,000,000 points, front only", try time {
            front = try Pareto.front(points, objectives: objectives, dominators: .none)
        }, "front: \(front?.frontIndices.count ?? 0) points")
        var counted: ParetoResult?
        row("Pareto 2D, 1,000,000 points, + dominator counts", try time {
            counted = try Pareto.front(points, objectives: objectives)
        }, "max dominators: \(counted?.dominatorCounts?.max() ?? 0)")

        // Worst case for the prefilter: every point on the front (an anti-diagonal).
        let diagonal = (0..<1_000_000).map { i -> Point in
            let cost = rng.uniform()
            return Point(id: "d\(i)", values: ["cost": cost, "quality": cost])
        }
        var whole: ParetoResult?
        row("Pareto 2D, 1,000,000 points all on the front", try time {
            whole = try Pareto.front(diagonal, objectives: objectives, dominators: .none)
        }, "front: \(whole?.frontIndices.count ?? 0) points")
        row("  the same, + dominator counts", try time {
            whole = try Pareto.front(diagonal, objectives: objectives)
        }, "dominated: \(whole?.dominatorCounts?.filter { $0 > 0 }.count ?? -1)")

        let cube = (0..<100_000).map { i -> Point in
            Point(id: "c\(i)", values: ["cost": rng.uniform(), "quality": rng.uniform(), "latency": rng.uniform()])
        }
        var three: ParetoResult?
        row("Pareto 3D, 100,000 random points, front only", try time {
            three = try Pareto.front(cube, objectives: objectives + [Objective(metric: "latency", direction: .minimize)],
                                     dominators: .none)
        }, "front: \(three?.frontIndices.count ?? 0) points")

        var frontier: EfficientFrontier?
        row("efficient frontier (hull), 1,000,000 points", try time {
            frontier = try EfficientFrontier(points: points)
        }, "hull: \(frontier?.points.count ?? 0) of \(frontier?.pareto.count ?? 0) Pareto points")
        var knee: KneeResult?
        if let frontier {
            row("knee (Kneedle, S = 1) on the hull", try time {
                knee = try Knee.find(on: frontier)
            }, knee.map { String(format: "knee %@ at cost %.3f, quality %.3f", $0.id ?? "-", $0.x, $0.y) } ?? "no knee")
        }

        let values = (0..<3_000).map { _ in 100 + 15 * normal(&rng) }
        var mean: BootstrapInterval?
        row("bootstrap mean, 3,000 values x 10,000 (fast path)", try time {
            mean = try Bootstrap.interval(samples: values, statistic: .mean, seed: 1)
        }, mean.map { String(format: "%.2f [%.2f, %.2f]", $0.estimate, $0.lower, $0.upper) } ?? "")
        var closure: BootstrapInterval?
        row("bootstrap mean, 3,000 values x 10,000 (closure)", try time {
            closure = try Bootstrap.interval(samples: values, statistic: { $0.reduce(0, +) / Double($0.count) },
                                             seed: 1)
        }, closure == mean ? "identical to the fast path" : "DIFFERS from the fast path")
        var p95: BootstrapInterval?
        row("bootstrap p95, 3,000 values x 10,000 (fast path)", try time {
            p95 = try Bootstrap.interval(samples: values, statistic: .percentile(95), seed: 1)
        }, p95.map { String(format: "%.2f [%.2f, %.2f]", $0.estimate, $0.lower, $0.upper) } ?? "")

        let sampled = (0..<20).map { i -> SampledPoint in
            let cost = 0.2 + 0.25 * Double(i)
            let quality = 1 - exp(-cost)
            return SampledPoint(id: "m\(i)", samples: [
                "cost": (0..<50).map { _ in cost * (1 + 0.1 * normal(&rng)) },
                "quality": (0..<50).map { _ in quality + 0.05 * normal(&rng) },
            ])
        }
        var frequency: FrontierFrequency?
        row("frontier frequency, 20 points x 1,000 resamples", try time {
            frequency = try Bootstrap.frontierFrequency(sampled, objectives: objectives, resamples: 1000, seed: 1)
        }, frequency.map { f in
            let always = f.fractions.filter { $0 == 1 }.count
            let sometimes = f.fractions.filter { $0 > 0 && $0 < 1 }.count
            return "\(always) always, \(sometimes) sometimes on the front"
        } ?? "")

        let width = rows.map(\.0.count).max() ?? 0
        func pad(_ text: String, _ to: Int) -> String { String(repeating: " ", count: max(0, to - text.count)) + text }
        print("benchmark".padding(toLength: width, withPad: " ", startingAt: 0) + "  wall s   CPU s  result")
        for (name, wall, cpu, note) in rows {
            print(name.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + pad(wall, 6) + "  "
                  + pad(cpu, 6) + "  " + note)
        }
    }

    /// Best wall-clock and this thread's CPU seconds of three runs of `body`.
    /// CPU time is shown because a shared machine inflates wall time; the best
    /// of three drops the first run's page faults on fresh memory.
    static func time(_ body: () throws -> Void) rethrows -> (wall: Double, cpu: Double) {
        var best = (wall: Double.infinity, cpu: Double.infinity)
        for _ in 0..<3 {
            let start = DispatchTime.now().uptimeNanoseconds, cpuStart = threadCPU()
            try body()
            best.wall = min(best.wall, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
            best.cpu = min(best.cpu, threadCPU() - cpuStart)
        }
        return best
    }

    static func threadCPU() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }

    /// Standard normal by Box–Muller.
    static func normal(_ rng: inout SplitMix64) -> Double {
        let u = max(rng.uniform(), .leastNonzeroMagnitude)
        return (-2 * log(u)).squareRoot() * cos(2 * .pi * rng.uniform())
    }
}
