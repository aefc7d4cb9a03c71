import Foundation

/// The decision one sweep's runs support, said first: the level to run at and what it
/// costs, where more load stops paying, what fails beyond, and what to distrust. The
/// HTML report opens with one per sweep; `frontier report --summary` prints the same.
public struct SweepAnswer: Sendable, Equatable {
    /// Which sweep: tag, sweep id, source, deployment or target, model.
    public var title: String
    /// The findings, as sentences.
    public var findings: [String]
    /// What changes how far the findings can be trusted (invalid or unfinished runs, an
    /// uncalibrated simulation).
    public var warnings: [String]

    public init(title: String, findings: [String], warnings: [String] = []) {
        self.title = title
        self.findings = findings
        self.warnings = warnings
    }

    /// For the terminal: the title, then one line per finding ("- ") and warning ("! ").
    public func text() -> String {
        ([title] + findings.map { "  - " + $0 } + warnings.map { "  ! " + $0 }).joined(separator: "\n")
    }

    func html() -> String {
        var out = "<article class=\"answer\">\n<h3>\(Markup.escape(title))</h3>\n<ul>\n"
        for f in findings { out += "<li>\(Markup.escape(f))</li>\n" }
        out += "</ul>\n"
        if !warnings.isEmpty {
            out += "<ul class=\"warnings\">\n"
            for w in warnings { out += "<li>⚠ \(Markup.escape(w))</li>\n" }
            out += "</ul>\n"
        }
        return out + "</article>\n"
    }
}

/// Dollars as people compare them: never scientific notation; three significant digits
/// below one dollar ($0.000118, $0.0451, $0.123), cents from one dollar up ($1.59,
/// $1,234.50).
public enum Money {
    public static func dollars(_ value: Double) -> String {
        guard value.isFinite else { return "–" }
        let sign = value < 0 ? "-" : ""
        let v = abs(value)
        if v == 0 { return "$0" }
        if v < 1 {
            let decimals = max(2, 2 - Int(log10(v).rounded(.down)))
            return sign + "$" + NumberFormat.fixed(v, decimals: decimals)
        }
        let cents = String(format: "%.2f", v)
        let parts = cents.split(separator: ".")
        var whole = String(parts[0])
        var grouped = ""
        while whole.count > 3 {
            grouped = "," + whole.suffix(3) + grouped
            whole.removeLast(3)
        }
        return sign + "$" + whole + grouped + "." + parts[1]
    }
}
