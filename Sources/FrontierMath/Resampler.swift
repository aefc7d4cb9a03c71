import SeededRandom
/// Allocation-free bootstrap loops for the built-in statistics.
///
/// Both draw indices into the original sample order with the same calls as the
/// closure form of ``Bootstrap``, so a seed gives the same resamples either way.
struct Resampler {
    /// The samples in ascending order.
    let sorted: [Double]
    /// `position[i]`: where sample i sits in `sorted`.
    private let position: [Int]

    init(_ samples: [Double]) {
        let order = samples.indices.sorted { samples[$0] < samples[$1] }
        var position = [Int](repeating: 0, count: samples.count)
        for (rank, i) in order.enumerated() { position[i] = rank }
        self.sorted = order.map { samples[$0] }
        self.position = position
    }

    /// Mean of each resample: one pass of n draws, no buffer at all.
    static func means(_ samples: [Double], resamples: Int, rng: inout SplitMix64) -> [Double] {
        let n = samples.count
        var results = [Double](repeating: 0, count: resamples)
        samples.withUnsafeBufferPointer { values in
            for r in 0..<resamples {
                var sum = 0.0
                for _ in 0..<n { sum += values[rng.index(below: n)] }
                results[r] = sum / Double(n)
            }
        }
        return results
    }

    /// The p-th percentile of each resample in O(n): count how often each
    /// sorted position is drawn, then walk the counts to the two order
    /// statistics the linear interpolation needs. No per-resample sort.
    func percentiles(_ p: Double, resamples: Int, rng: inout SplitMix64) -> [Double] {
        let n = sorted.count
        let rank = p / 100 * Double(n - 1)
        let lo = Int(rank.rounded(.down))
        let hi = min(lo + 1, n - 1)
        var counts = [Int](repeating: 0, count: n)
        var results = [Double](repeating: 0, count: resamples)
        for r in 0..<resamples {
            counts.withUnsafeMutableBufferPointer { tally in
                for j in 0..<n { tally[j] = 0 }
                for _ in 0..<n { tally[position[rng.index(below: n)]] += 1 }
            }
            let (low, high) = orderStatistics(counts, lo, hi)
            results[r] = Quantile.lerp(low, high, rank - Double(lo))
        }
        return results
    }

    /// The lo-th and hi-th smallest (0-based) of the resample described by `counts`.
    private func orderStatistics(_ counts: [Int], _ lo: Int, _ hi: Int) -> (Double, Double) {
        var seen = 0
        var low: Double?
        for k in counts.indices {
            seen += counts[k]
            if low == nil, seen > lo { low = sorted[k] }
            if seen > hi, let low { return (low, sorted[k]) }
        }
        // Not reached: the counts sum to n, and hi < n.
        let last = sorted[sorted.count - 1]
        return (low ?? last, last)
    }
}

/// Linear-interpolation quantiles, numpy's default (and the Metrics target's).
enum Quantile {
    /// The p-th percentile (0...100) of ascending `sorted` (non-empty):
    /// rank = p/100 · (n − 1), interpolated between the ranks either side.
    static func linear(_ sorted: [Double], _ p: Double) -> Double {
        guard sorted.count > 1 else { return sorted.first ?? .nan }
        let rank = min(max(p, 0), 100) / 100 * Double(sorted.count - 1)
        let lo = Int(rank.rounded(.down))
        let hi = min(lo + 1, sorted.count - 1)
        return lerp(sorted[lo], sorted[hi], rank - Double(lo))
    }

    /// numpy's `_lerp`: from the nearer end for t ≥ 0.5, so t = 1 gives exactly `b`.
    static func lerp(_ a: Double, _ b: Double, _ t: Double) -> Double {
        let diff = b - a
        return t >= 0.5 ? b - diff * (1 - t) : a + diff * t
    }
}
