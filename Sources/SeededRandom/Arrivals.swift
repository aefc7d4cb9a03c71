/// Open-loop send times, shared by the load generator and the simulator so a measured
/// and a simulated run with the same seed send at the same moments.
public enum Arrivals {
    /// `count` intended send times (seconds after the start): evenly 1/rate apart, or,
    /// with a burstiness b, gamma(b)-distributed gaps of mean 1/rate (b = 1 is Poisson;
    /// smaller is burstier). Drawn from SplitMix64 seeded with `seed` (mixed with a
    /// constant of its own, so arrivals and request order use different streams).
    public static func times(count: Int, rate: Double, burstiness: Double?, seed: UInt64) -> [Double] {
        var rng = SplitMix64(seed: seed ^ 0xA7_71_7A15)
        var t = 0.0
        var out: [Double] = []
        out.reserveCapacity(count)
        for _ in 0..<count {
            out.append(t)
            if let b = burstiness {
                t += rng.gamma(shape: b) / (rate * b)  // mean 1/rate
            } else {
                t += 1 / rate
            }
        }
        return out
    }
}
