import Foundation

/// "Nice" tick positions: 1-2-5 steps on linear axes, decades on log axes.
/// The rules are in docs/report.md.
public enum Ticks {
    /// The 1-2-5 step for about `target` intervals over `span`: the smallest of
    /// 1, 2, 5 × 10^k that is at least span / target.
    public static func niceStep(span: Double, target: Int = 5) -> Double {
        guard span > 0, span.isFinite else { return 1 }
        let raw = span / Double(max(1, target))
        let magnitude = pow(10, (log10(raw)).rounded(.down))
        let normalized = raw / magnitude
        // A hair of slack so that 0.2 / 1 = 0.2000000001 still counts as 2.
        let mantissa: Double = normalized <= 1 + 1e-9 ? 1 : normalized <= 2 + 1e-9 ? 2 : normalized <= 5 + 1e-9 ? 5 : 10
        return mantissa * magnitude
    }

    /// Labelled ticks at the multiples of the nice step that fall in `lo…hi`.
    ///
    /// 0…0.87 gives 0, 0.2, 0.4, 0.6, 0.8. Values are rounded to the step's decimals,
    /// so no tick sits at 0.30000000000000004.
    public static func linear(from lo: Double, to hi: Double, target: Int = 5) -> [Tick] {
        guard lo.isFinite, hi.isFinite, lo <= hi else { return [] }
        if lo == hi { return [Tick(value: lo, label: NumberFormat.short(lo))] }
        let step = niceStep(span: hi - lo, target: target)
        // Tolerance so that an end exactly on a multiple survives rounding.
        let first = (lo / step - 1e-9).rounded(.up)
        let last = (hi / step + 1e-9).rounded(.down)
        guard last >= first, last - first <= 1000 else { return [] }
        let decimals = NumberFormat.decimals(forStep: step)
        let scale = pow(10, Double(min(decimals, 15)))
        let values = stride(from: first, through: last, by: 1).map { i -> Double in
            let value = (i * step * scale).rounded() / scale
            return value == 0 ? 0 : value   // no -0
        }
        let labels = NumberFormat.linearLabels(values, step: step)
        return zip(values, labels).map { Tick(value: $0, label: $1) }
    }

    /// Ticks for a log axis over `lo…hi` (both > 0).
    ///
    /// Decades (1·10^k) are major and labelled; 2·10^k and 5·10^k are minor and
    /// unlabelled. With fewer than three decades in range the 2s and 5s are labelled
    /// too (1…64 → 1, 2, 5, 10, 20, 50); with fewer than two of those, linear ticks. Beyond 8 decades only
    /// every n-th decade is labelled, so labels never collide. 3…1,850 → 10, 100, 1000.
    public static func log(from lo: Double, to hi: Double) -> [Tick] {
        guard lo > 0, hi.isFinite, lo <= hi else { return [] }
        let tolerance = 1e-9
        let kLow = Int((log10(lo)).rounded(.down))
        let kHigh = Int((log10(hi)).rounded(.down))
        guard kHigh - kLow <= 600 else { return [] }
        var candidates: [(value: Double, mantissa: Int, k: Int)] = []
        for k in kLow...kHigh {
            let decade = pow(10, Double(k))
            for mantissa in [1, 2, 5] {
                let value = Double(mantissa) * decade
                if value >= lo * (1 - tolerance) && value <= hi * (1 + tolerance) {
                    candidates.append((value, mantissa, k))
                }
            }
        }
        let decades = candidates.filter { $0.mantissa == 1 }
        if decades.count >= 3 {
            let every = max(1, Int((Double(decades.count) / 8).rounded(.up)))
            return candidates.map { c in
                guard c.mantissa == 1 else { return Tick(value: c.value, label: nil, major: false) }
                let labelled = c.k.isMultiple(of: every)
                return Tick(value: c.value, label: labelled ? NumberFormat.short(c.value) : nil)
            }
        }
        if candidates.count >= 2 {
            return candidates.map { Tick(value: $0.value, label: NumberFormat.short($0.value)) }
        }
        return linear(from: lo, to: hi, target: 4).filter { $0.value > 0 }
    }
}
