import Foundation

/// SplitMix64 (Steele, Lea and Flood 2014): a small, fast, seedable generator.
/// The one generator of the project: workloads, request orders, arrival times,
/// Monte Carlo and bootstrap draws all come from it, so the same seed gives the
/// same figures on every machine. `state = seed`, so its outputs match the
/// published reference values.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1), from the top 53 bits.
    public mutating func uniform() -> Double { Double(next() >> 11) * 0x1.0p-53 }

    /// Standard normal (Box–Muller; u1 kept above 0 so the log is finite).
    public mutating func normal() -> Double {
        var u = uniform()
        while u <= 0 { u = uniform() }
        return (-2 * Foundation.log(u)).squareRoot() * cos(2 * .pi * uniform())
    }

    /// Gamma(shape, scale 1), by Marsaglia and Tsang.
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

    /// A whole number in lo...hi (any lo ≤ hi, no overflow).
    public mutating func int(_ lo: Int, _ hi: Int) -> Int {
        guard hi > lo else { return lo }
        let span = UInt64(bitPattern: Int64(hi) &- Int64(lo)) &+ 1
        return span == 0 ? Int(bitPattern: UInt(truncatingIfNeeded: next())) : lo &+ Int(bitPattern: UInt(next() % span))
    }

    /// Uniform in 0..<bound without modulo bias (Lemire 2019): one multiply in
    /// the common case. A bound below 1 gives 0 (and draws nothing).
    public mutating func index(below bound: Int) -> Int {
        guard bound > 0 else { return 0 }
        let range = UInt64(bound)
        var product = range.multipliedFullWidth(by: next())
        if product.low < range {
            let threshold = (0 &- range) % range
            while product.low < threshold {
                product = range.multipliedFullWidth(by: next())
            }
        }
        return Int(product.high)
    }
}
