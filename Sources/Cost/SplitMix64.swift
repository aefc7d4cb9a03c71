import Foundation

/// SplitMix64 (Steele, Lea and Flood 2014): a tiny seedable generator, so a Monte Carlo
/// run with the same seed gives the same figures on every machine. This target has no
/// dependencies, so it carries its own rather than borrowing Measure's.
struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1), from the top 53 bits.
    mutating func uniform() -> Double { Double(next() >> 11) * 0x1.0p-53 }

    /// Standard normal by Box–Muller (u1 kept above 0 so the log is finite).
    mutating func normal() -> Double {
        var u1 = uniform()
        while u1 <= 0 { u1 = uniform() }
        return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * uniform())
    }
}
