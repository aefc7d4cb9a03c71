import Foundation

/// A small, fast, seedable generator (SplitMix64): the same seed gives the
/// same workloads and request orders on every machine.
public struct SeededRNG: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed &+ 0x9E37_79B9_7F4A_7C15 }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    public mutating func uniform() -> Double { Double(next() >> 11) * 0x1.0p-53 }

    /// Standard normal (Box–Muller).
    public mutating func normal() -> Double {
        var u = uniform()
        while u <= 0 { u = uniform() }
        return (-2 * Foundation.log(u)).squareRoot() * cos(2 * .pi * uniform())
    }

    /// Gamma(shape, scale = 1) by Marsaglia and Tsang.
    public mutating func gamma(shape: Double) -> Double {
        if shape < 1 {
            let u = max(uniform(), .leastNonzeroMagnitude)
            return gamma(shape: shape + 1) * Foundation.pow(u, 1 / shape)
        }
        let d = shape - 1.0 / 3.0, c = 1 / (9 * d).squareRoot()
        while true {
            var x = 0.0, v = 0.0
            repeat { x = normal(); v = 1 + c * x } while v <= 0
            v = v * v * v
            let u = uniform()
            if u < 1 - 0.0331 * x * x * x * x { return d * v }
            if Foundation.log(max(u, .leastNonzeroMagnitude)) < 0.5 * x * x + d * (1 - v + Foundation.log(v)) { return d * v }
        }
    }

    /// Integer in lo...hi.
    public mutating func int(_ lo: Int, _ hi: Int) -> Int {
        guard hi > lo else { return lo }
        let span = UInt64(bitPattern: Int64(hi) &- Int64(lo)) &+ 1  // no overflow for any lo...hi
        return span == 0 ? Int(bitPattern: UInt(truncatingIfNeeded: next())) : lo &+ Int(bitPattern: UInt(next() % span))
    }
}
