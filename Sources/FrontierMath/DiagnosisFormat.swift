import Foundation

/// How diagnosis evidence writes its figures: short, fixed and without exponents, so a
/// test can compare the sentence and a reader can check it by hand.
extension Format {
    /// `x` with `digits` significant digits, trailing zeros dropped ("0.00125", "960").
    static func significant(_ x: Double, _ digits: Int = 3) -> String {
        guard x.isFinite, x != 0 else { return number(x) }
        let decimals = max(0, digits - 1 - Int(floor(log10(abs(x)))))
        var text = String(format: "%.\(decimals)f", x)
        if text.contains(".") {
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
        }
        return text
    }

    /// A duration: milliseconds below a second ("120 ms"), else seconds ("1.5 s").
    static func seconds(_ s: Double) -> String {
        abs(s) < 1 ? significant(s * 1000) + " ms" : significant(s) + " s"
    }

    /// A growth factor with one decimal and no trailing ".0" ("8.1×", "3×").
    static func factor(_ x: Double) -> String {
        let text = String(format: "%.1f", x)
        return (text.hasSuffix(".0") ? String(text.dropLast(2)) : text) + "×"
    }

    /// A token count, whole and with thousands separators ("2,110").
    static func count(_ x: Double) -> String {
        let digits = String(Int64(x.rounded()).magnitude)
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0, (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return (x < -0.5 ? "-" : "") + out
    }
}
