import Foundation

/// Number-to-text rules for ticks and labels (docs/report.md).
///
/// Numbers are printed from a chosen count of decimals, never with `description`,
/// so binary noise (0.30000000000000004) never shows. Magnitudes of 1,000 and more
/// use the suffixes k, M, G, T (1,850 → "1.85k"): axis labels stay short, and a
/// suffix reads the same for dollars and tokens.
public enum NumberFormat {
    static let suffixes = ["", "k", "M", "G", "T"]

    /// Decimals needed to write multiples of `step` exactly (0.2 → 1, 0.05 → 2, 50 → 0).
    public static func decimals(forStep step: Double) -> Int {
        guard step > 0, step.isFinite else { return 0 }
        return max(0, Int((-log10(step) - 1e-9).rounded(.up)))
    }

    /// `value` with at most `significant` significant digits, trailing zeros dropped,
    /// k/M/G/T from 1,000 up: 0.30000000000000004 → "0.3", 1850 → "1.85k",
    /// 2500000 → "2.5M", -0.0 → "0". Non-finite values print as "nan", "inf", "-inf".
    public static func short(_ value: Double, significant: Int = 3) -> String {
        guard value.isFinite else { return value.isNaN ? "nan" : (value > 0 ? "inf" : "-inf") }
        if value == 0 { return "0" }
        let digits = max(1, significant)
        var power = min(suffixes.count - 1, max(0, Int((log10(abs(value)) / 3 + 1e-12).rounded(.down))))
        var scaled = value / pow(1000, Double(power))
        var text = fixed(scaled, decimals: decimalsFor(scaled, significant: digits))
        // Rounding can carry into the next thousand (999,999 → "1000k"): move up a suffix.
        if let rounded = Double(text), abs(rounded) >= 1000, power < suffixes.count - 1 {
            power += 1
            scaled = value / pow(1000, Double(power))
            text = fixed(scaled, decimals: decimalsFor(scaled, significant: digits))
        }
        return text + suffixes[power]
    }

    /// Labels for linear ticks `values` spaced `step` apart: one shared suffix chosen
    /// from the largest magnitude (0, 500, 1000, 1500 → "0", "0.5k", "1k", "1.5k"),
    /// as many decimals as the step needs, trailing zeros dropped.
    public static func linearLabels(_ values: [Double], step: Double) -> [String] {
        let largest = values.map(abs).max() ?? 0
        let power = largest >= 1000
            ? min(suffixes.count - 1, Int((log10(largest) / 3 + 1e-12).rounded(.down))) : 0
        let unit = pow(1000, Double(power))
        let decimals = decimals(forStep: step / unit)
        return values.map { value in
            value == 0 ? "0" : fixed(value / unit, decimals: decimals) + suffixes[power]
        }
    }

    /// `value` with a fixed count of decimals (at most 15), then trailing zeros and a
    /// bare point dropped, and "-0" written "0".
    public static func fixed(_ value: Double, decimals: Int) -> String {
        var text = String(format: "%.\(min(max(decimals, 0), 15))f", value)
        if text.contains(".") {
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
        }
        if text == "-0" { text = "0" }
        return text
    }

    /// `value` to `significant` significant digits without a suffix, for a tooltip's exact
    /// value: 1036.4 → "1036", 0.0044159 → "0.004416", 0.8 → "0.8".
    public static func exact(_ value: Double, significant: Int = 4) -> String {
        guard value.isFinite, value != 0 else { return short(value) }
        return fixed(value, decimals: decimalsFor(value, significant: max(1, significant)))
    }

    private static func decimalsFor(_ value: Double, significant: Int) -> Int {
        let exponent = Int((log10(abs(value))).rounded(.down))
        return max(0, significant - 1 - exponent)
    }
}
