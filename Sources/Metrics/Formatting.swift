import Foundation

/// How verdict reasons write numbers.
public enum Figures {
    /// A figure and its bound with at most three decimals and no trailing zeros
    /// (4.2 → "4.2", 10 → "10"), or more decimals (up to nine) when three would print
    /// them the same: (9.9996, 10) → ("9.9996", "10"), not ("10", "10").
    public static func numbers(_ value: Double, _ bound: Double) -> (String, String) {
        distinct(value, bound, decimals: 3, suffix: "")
    }

    /// Two fractions as percentages with at most two decimals (0.05 → "5%",
    /// 0.0725 → "7.25%"), or more when two would print them the same.
    public static func percents(_ value: Double, _ bound: Double) -> (String, String) {
        distinct(value * 100, bound * 100, decimals: 2, suffix: "%")
    }

    private static func distinct(_ value: Double, _ bound: Double, decimals: Int,
                                 suffix: String) -> (String, String) {
        var places = decimals
        var pair = (trimmed(value, decimals: places), trimmed(bound, decimals: places))
        while pair.0 == pair.1, value != bound, places < 9 {
            places += 1
            pair = (trimmed(value, decimals: places), trimmed(bound, decimals: places))
        }
        return (pair.0 + suffix, pair.1 + suffix)
    }

    private static func trimmed(_ value: Double, decimals: Int) -> String {
        guard value.isFinite else { return "\(value)" }
        var text = String(format: "%.\(decimals)f", value)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text == "-0" ? "0" : text
    }
}
