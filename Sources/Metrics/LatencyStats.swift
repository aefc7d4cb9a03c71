/// Summary statistics of one sample (latencies in seconds, or rates).
///
/// - `stdev` is the population standard deviation (ddof = 0), as `numpy.std`
///   and vLLM's `bench serve` compute it.
/// - Percentiles interpolate linearly between closest ranks, as numpy's
///   default (`method="linear"`): see ``percentile(_:_:)``.
public struct LatencyStats: Sendable, Equatable, Codable {
    /// Number of samples.
    public var count: Int
    /// Arithmetic mean.
    public var mean: Double
    /// Population standard deviation: √(Σ(x − mean)² / count).
    public var stdev: Double
    /// Smallest sample.
    public var min: Double
    /// Median (50th percentile).
    public var p50: Double
    /// 90th percentile.
    public var p90: Double
    /// 95th percentile.
    public var p95: Double
    /// 99th percentile.
    public var p99: Double
    /// Largest sample.
    public var max: Double

    /// Statistics of `values` (in any order); nil when `values` is empty.
    public init?(_ values: [Double]) {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let n = Double(sorted.count)
        let mean = sorted.reduce(0, +) / n
        let squares = sorted.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
        self.count = sorted.count
        self.mean = mean
        self.stdev = (squares / n).squareRoot()
        self.min = sorted[0]
        self.p50 = Self.percentile(sorted, 50)
        self.p90 = Self.percentile(sorted, 90)
        self.p95 = Self.percentile(sorted, 95)
        self.p99 = Self.percentile(sorted, 99)
        self.max = sorted[sorted.count - 1]
    }

    /// Statistics of a sample given as distinct values with how often each occurs: the
    /// same figures as ``init(_:)`` over the expanded sample (up to floating-point
    /// rounding of the sums), without building it. Counts ≤ 0 are ignored; nil when
    /// nothing is left. The simulator's inter-token latencies come this way: one entry
    /// per iteration rather than one per token.
    public init?(counted: [(value: Double, count: Int)]) {
        let sorted = counted.filter { $0.count > 0 }.sorted { $0.value < $1.value }
        guard let first = sorted.first, let last = sorted.last else { return nil }
        // Cumulative counts: the expanded sample's index i lies in the first entry whose
        // cumulative count exceeds i.
        var cumulative: [Int] = []
        cumulative.reserveCapacity(sorted.count)
        var total = 0, sum = 0.0
        for entry in sorted {
            total += entry.count
            cumulative.append(total)
            sum += entry.value * Double(entry.count)
        }
        let n = Double(total), mean = sum / n
        let squares = sorted.reduce(0) { $0 + Double($1.count) * ($1.value - mean) * ($1.value - mean) }
        func value(at index: Int) -> Double {
            var lo = 0, hi = cumulative.count - 1
            while lo < hi {
                let mid = (lo + hi) / 2
                if cumulative[mid] > index { hi = mid } else { lo = mid + 1 }
            }
            return sorted[lo].value
        }
        func percentile(_ p: Double) -> Double {
            guard total > 1 else { return first.value }
            let rank = p / 100 * Double(total - 1)
            let lo = Int(rank.rounded(.down))
            return Self.lerp(value(at: lo), value(at: Swift.min(lo + 1, total - 1)), rank - Double(lo))
        }
        self.init(count: total, mean: mean, stdev: (squares / n).squareRoot(), min: first.value,
                  p50: percentile(50), p90: percentile(90), p95: percentile(95), p99: percentile(99), max: last.value)
    }

    /// Creates statistics from known figures (for imported or stored results).
    public init(count: Int, mean: Double, stdev: Double, min: Double, p50: Double,
                p90: Double, p95: Double, p99: Double, max: Double) {
        self.count = count
        self.mean = mean
        self.stdev = stdev
        self.min = min
        self.p50 = p50
        self.p90 = p90
        self.p95 = p95
        self.p99 = p99
        self.max = max
    }

    /// The `p`-th percentile (0...100) of `sorted`, which must be in ascending order.
    ///
    /// Linear interpolation between closest ranks, as numpy's default: with
    /// `rank = p / 100 · (n − 1)`, `lo = ⌊rank⌋`, `hi = min(lo + 1, n − 1)`, the result is
    /// `sorted[lo] + (rank − lo) · (sorted[hi] − sorted[lo])`. `p` is clamped to 0...100.
    /// Returns NaN for an empty array, and the first element when `p` is NaN.
    public static func percentile(_ sorted: [Double], _ p: Double) -> Double {
        guard let first = sorted.first else { return .nan }
        guard sorted.count > 1, !p.isNaN else { return first }
        let clamped = Swift.min(Swift.max(p, 0), 100)
        let rank = clamped / 100 * Double(sorted.count - 1)
        let lo = Int(rank.rounded(.down))
        let hi = Swift.min(lo + 1, sorted.count - 1)
        return lerp(sorted[lo], sorted[hi], rank - Double(lo))
    }

    /// numpy's `_lerp`: `a + (b − a)·t`, computed from the nearer end for t ≥ 0.5,
    /// so that t = 1 gives exactly `b`.
    private static func lerp(_ a: Double, _ b: Double, _ t: Double) -> Double {
        let diff = b - a
        return t >= 0.5 ? b - diff * (1 - t) : a + diff * t
    }
}
