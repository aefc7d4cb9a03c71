/// A parser for the Prometheus text exposition format (version 0.0.4), what vLLM,
/// SGLang and TGI serve at `/metrics`.
///
/// Follows the format's rules: blank lines and plain `#` comments are ignored;
/// `# HELP name text` (escapes `\\` and `\n`) and `# TYPE name type` describe a family;
/// a sample is `name{label="value",…} value [timestamp]`, label values escaping `\\`,
/// `\"` and `\n`; values are floats including `+Inf`, `-Inf` and `NaN`; timestamps are
/// integer milliseconds. Histogram and summary series (`_bucket`, `_sum`, `_count`) are
/// kept as samples carrying their family's name and type.
public enum PrometheusText {
    /// The samples of `text`, in order. Throws ``InteropError/prometheus(line:expected:found:)``
    /// at the first malformed line.
    public static func parse(_ text: String) throws -> [PrometheusSample] {
        try parseExposition(text).samples
    }

    /// The samples and the families `text` describes.
    public static func parseExposition(_ text: String) throws -> PrometheusExposition {
        var families: [String: PrometheusFamily] = [:]
        var typed = Set<String>()
        var pending: [(sample: PrometheusSample, line: Int)] = []
        for (offset, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            var line = LineScanner(Array(raw.utf8), number: offset + 1)
            line.skipBlanks()
            if line.atEnd { continue }
            if line.peek == UInt8(ascii: "#") {
                try comment(&line, families: &families, typed: &typed)
            } else {
                pending.append((try sample(&line), offset + 1))
            }
        }
        var samples: [PrometheusSample] = []
        samples.reserveCapacity(pending.count)
        for (sample, line) in pending {
            samples.append(try resolve(sample, line: line, families: families))
        }
        return PrometheusExposition(samples: samples, families: families)
    }

    private static func comment(_ line: inout LineScanner, families: inout [String: PrometheusFamily],
                                typed: inout Set<String>) throws {
        line.advance()
        line.skipBlanks()
        let keyword = line.word()
        guard keyword == "HELP" || keyword == "TYPE" else { return }   // a plain comment
        guard line.skipBlanks() else { throw line.fail("a blank after \(keyword)") }
        let name = try line.metricName()
        var family = families[name] ?? PrometheusFamily(name: name)
        if keyword == "HELP" {
            line.skipBlanks()
            family.help = line.restUnescapingHelp()
        } else {
            guard line.skipBlanks() else { throw line.fail("a blank and a type after the name") }
            let word = line.word()
            guard let type = PrometheusMetricType(rawValue: word) else {
                throw InteropError.prometheus(line: line.number,
                                              expected: "a type (counter, gauge, histogram, summary, untyped)",
                                              found: "\"\(word)\"")
            }
            line.skipBlanks()
            guard line.atEnd else { throw line.fail("the end of the line after the type") }
            guard typed.insert(name).inserted else {
                throw InteropError.prometheus(line: line.number, expected: "one TYPE line for \(name)",
                                              found: "a second one")
            }
            family.type = type
        }
        families[name] = family
    }

    private static func sample(_ line: inout LineScanner) throws -> PrometheusSample {
        let name = try line.metricName()
        var labels: [PrometheusLabel] = []
        let blank = line.skipBlanks()
        if line.peek == UInt8(ascii: "{") {
            labels = try line.labels()
            line.skipBlanks()
        } else if !blank && !line.atEnd {
            throw line.fail("a blank, '{' or a value after the metric name")
        }
        guard !line.atEnd else { throw line.fail("a value") }
        let value = try line.value()
        var timestamp: Int64?
        if line.skipBlanks(), !line.atEnd {
            timestamp = try line.timestamp()
            line.skipBlanks()
        }
        guard line.atEnd else { throw line.fail("the end of the line") }
        return PrometheusSample(name: name, labels: labels, value: value, timestamp: timestamp)
    }

    /// Suffixes a series may add to its family's name, with the types that allow each.
    private static let suffixes: [(String, Set<PrometheusMetricType>)] = [
        ("_bucket", [.histogram]), ("_sum", [.histogram, .summary]),
        ("_count", [.histogram, .summary]), ("_total", [.counter]),
        ("_created", [.counter, .histogram, .summary]),
    ]

    private static func resolve(_ sample: PrometheusSample, line: Int,
                                families: [String: PrometheusFamily]) throws -> PrometheusSample {
        var resolved = sample
        if let family = families[sample.name] {
            resolved.type = family.type
        } else if let (base, suffix, family) = suffixes.lazy.compactMap({ suffix, types -> (String, String, PrometheusFamily)? in
            guard sample.name.hasSuffix(suffix) else { return nil }
            let base = String(sample.name.dropLast(suffix.count))
            guard let family = families[base], types.contains(family.type) else { return nil }
            return (base, suffix, family)
        }).first {
            resolved.family = base
            resolved.type = family.type
            if suffix == "_bucket" {
                guard let bound = sample.label("le"), LineScanner.float(bound) != nil else {
                    throw InteropError.prometheus(line: line, expected: "an le label holding a number on a histogram bucket",
                                                  found: sample.label("le").map { "le=\"\($0)\"" } ?? "none")
                }
            }
        }
        if resolved.type == .summary, resolved.family == sample.name {
            guard let quantile = sample.label("quantile"), LineScanner.float(quantile) != nil else {
                throw InteropError.prometheus(line: line, expected: "a quantile label holding a number on a summary",
                                              found: sample.label("quantile").map { "quantile=\"\($0)\"" } ?? "none")
            }
        }
        if resolved.type == .histogram, resolved.family == sample.name {
            throw InteropError.prometheus(line: line, expected: "\(sample.name)_bucket, _sum or _count for a histogram",
                                          found: sample.name)
        }
        return resolved
    }
}
