import Foundation

/// An axis fitted to its data: the range in data units, the ticks, and the mapping
/// from data to pixels.
struct AxisMap {
    let scale: Axis.Scale
    let range: ClosedRange<Double>
    let ticks: [Tick]
    /// Pixel positions of `range.lowerBound` and `range.upperBound`.
    var start: Double = 0
    var end: Double = 1

    /// Fits `axis` to `values` (every value the axis must show; already validated).
    init(axis: Axis, values: [Double], target: Int = 5) {
        scale = axis.scale
        let lo = values.min() ?? 0, hi = values.max() ?? 1
        switch axis.scale {
        case .linear:
            if let fixed = axis.range {
                range = fixed
            } else {
                range = Self.fitted(lo: lo, hi: hi, includesZero: axis.includesZero)
            }
            ticks = axis.ticks ?? Ticks.linear(from: range.lowerBound, to: range.upperBound, target: target)
        case .log:
            if let fixed = axis.range {
                range = fixed
            } else {
                // 5% of the log span on each side: widening to whole decades could
                // waste most of the plot on 3…1,850.
                var a = log10(lo), b = log10(hi)
                if a == b { a -= 0.5; b += 0.5 }
                let pad = (b - a) * 0.05
                range = pow(10, a - pad)...pow(10, b + pad)
            }
            ticks = axis.ticks ?? Ticks.log(from: range.lowerBound, to: range.upperBound)
        }
    }

    /// The data's range widened by 5% of its span on each side, so no point sits on
    /// the frame; a bound pulled to 0 by `includesZero` gets no margin beyond 0.
    static func fitted(lo: Double, hi: Double, includesZero: Bool) -> ClosedRange<Double> {
        var a = lo, b = hi
        if a == b {
            // A single value: give it room on both sides rather than a zero-width axis.
            let pad = a == 0 ? 1 : abs(a) * 0.1
            return (a - pad)...(b + pad)
        }
        let pad = (b - a) * 0.05
        a -= pad
        b += pad
        if includesZero {
            a = lo >= 0 ? 0 : a
            b = hi <= 0 ? 0 : b
        }
        return a...b
    }

    /// Pixel position of data value `v`.
    func position(_ v: Double) -> Double {
        let t: Double
        switch scale {
        case .linear:
            t = (v - range.lowerBound) / (range.upperBound - range.lowerBound)
        case .log:
            t = (log10(v) - log10(range.lowerBound)) / (log10(range.upperBound) - log10(range.lowerBound))
        }
        return start + t * (end - start)
    }

    /// Whether `v` lies in the range (with a little slack for rounding).
    func contains(_ v: Double) -> Bool {
        let slack = (range.upperBound - range.lowerBound) * 1e-9
        return v >= range.lowerBound - slack && v <= range.upperBound + slack
    }
}
