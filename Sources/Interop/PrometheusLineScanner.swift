/// Reads the tokens of one exposition line, byte by byte (the grammar is ASCII
/// outside label values and help text, which are UTF-8 and copied through).
struct LineScanner {
    private let bytes: [UInt8]
    private var index = 0
    /// 1-based line number, for errors.
    let number: Int

    init(_ bytes: [UInt8], number: Int) {
        // A Windows line ending leaves a CR behind; it is whitespace here.
        var bytes = bytes
        if bytes.last == UInt8(ascii: "\r") { bytes.removeLast() }
        self.bytes = bytes
        self.number = number
    }

    var atEnd: Bool { index >= bytes.count }
    var peek: UInt8? { atEnd ? nil : bytes[index] }
    mutating func advance() { index += 1 }

    /// Skips spaces and tabs; true when it skipped any.
    @discardableResult
    mutating func skipBlanks() -> Bool {
        let start = index
        while let byte = peek, byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") { index += 1 }
        return index > start
    }

    /// An error at the current position.
    func fail(_ expected: String) -> InteropError {
        guard !atEnd else { return .prometheus(line: number, expected: expected, found: "the end of the line") }
        let rest = String(decoding: bytes[index..<min(bytes.count, index + 20)], as: UTF8.self)
        return .prometheus(line: number, expected: expected, found: "\"\(rest)\" at column \(index + 1)")
    }

    /// Everything up to the next blank.
    mutating func word() -> String {
        let start = index
        while let byte = peek, byte != UInt8(ascii: " "), byte != UInt8(ascii: "\t") { index += 1 }
        return String(decoding: bytes[start..<index], as: UTF8.self)
    }

    private static func isNameStart(_ byte: UInt8, colon: Bool) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
            || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
            || byte == UInt8(ascii: "_") || (colon && byte == UInt8(ascii: ":"))
    }

    private static func isNameByte(_ byte: UInt8, colon: Bool) -> Bool {
        isNameStart(byte, colon: colon) || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
    }

    private mutating func name(colon: Bool, what: String) throws -> String {
        guard let first = peek, Self.isNameStart(first, colon: colon) else { throw fail(what) }
        let start = index
        while let byte = peek, Self.isNameByte(byte, colon: colon) { index += 1 }
        return String(decoding: bytes[start..<index], as: UTF8.self)
    }

    /// `[a-zA-Z_:][a-zA-Z0-9_:]*`
    mutating func metricName() throws -> String {
        try name(colon: true, what: "a metric name ([a-zA-Z_:][a-zA-Z0-9_:]*)")
    }

    /// `{name="value",…}` with an optional trailing comma; labels sorted by name.
    mutating func labels() throws -> [PrometheusLabel] {
        advance()   // '{'
        var labels: [PrometheusLabel] = []
        var seen = Set<String>()
        while true {
            skipBlanks()
            if peek == UInt8(ascii: "}") { advance(); break }
            let label = try name(colon: false, what: "a label name ([a-zA-Z_][a-zA-Z0-9_]*) or '}'")
            guard seen.insert(label).inserted else {
                throw InteropError.prometheus(line: number, expected: "each label once", found: "\(label) twice")
            }
            skipBlanks()
            guard peek == UInt8(ascii: "=") else { throw fail("'=' after label \(label)") }
            advance()
            skipBlanks()
            guard peek == UInt8(ascii: "\"") else { throw fail("a quoted value for label \(label)") }
            advance()
            labels.append(PrometheusLabel(name: label, value: try quotedValue()))
            skipBlanks()
            if peek == UInt8(ascii: ",") { advance(); continue }
            guard peek == UInt8(ascii: "}") else { throw fail("',' or '}' after a label") }
            advance()
            break
        }
        return labels.sorted { $0.name < $1.name }
    }

    /// The rest of a label value after its opening quote, unescaping `\\`, `\"`, `\n`.
    private mutating func quotedValue() throws -> String {
        var value: [UInt8] = []
        while let byte = peek {
            advance()
            switch byte {
            case UInt8(ascii: "\""):
                return String(decoding: value, as: UTF8.self)
            case UInt8(ascii: "\\"):
                guard let escaped = peek else { throw fail("an escaped character after '\\'") }
                switch escaped {
                case UInt8(ascii: "\\"): value.append(escaped)
                case UInt8(ascii: "\""): value.append(escaped)
                case UInt8(ascii: "n"): value.append(UInt8(ascii: "\n"))
                default: throw fail("one of \\\\, \\\" or \\n")
                }
                advance()
            default:
                value.append(byte)
            }
        }
        throw fail("a closing '\"' for the label value")
    }

    /// The rest of a HELP line, unescaping `\\` and `\n` (other backslashes stay).
    mutating func restUnescapingHelp() -> String {
        var text: [UInt8] = []
        while let byte = peek {
            advance()
            if byte == UInt8(ascii: "\\"), let next = peek,
               next == UInt8(ascii: "\\") || next == UInt8(ascii: "n") {
                text.append(next == UInt8(ascii: "n") ? UInt8(ascii: "\n") : next)
                advance()
            } else {
                text.append(byte)
            }
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// A float: decimal or exponent notation, `+Inf`, `-Inf`, `Inf`, `NaN`.
    mutating func value() throws -> Double {
        let start = index
        let token = word()
        guard let number = Self.float(token) else {
            index = start
            throw fail("a number, +Inf, -Inf or NaN")
        }
        return number
    }

    /// An integer timestamp in milliseconds.
    mutating func timestamp() throws -> Int64 {
        let start = index
        guard let stamp = Int64(word()) else {
            index = start
            throw fail("an integer timestamp (milliseconds) or the end of the line")
        }
        return stamp
    }

    /// Parses a float as Prometheus writes them (nil when it is not one).
    static func float(_ token: String) -> Double? {
        switch token.lowercased() {
        case "+inf", "inf", "+infinity", "infinity": return .infinity
        case "-inf", "-infinity": return -.infinity
        case "nan": return .nan
        default:
            // Swift's parser also takes "inf"/"nan" spellings and hex; only plain
            // decimal floats reach here, so make sure the token is one.
            guard !token.isEmpty, token.utf8.allSatisfy({ byte in
                (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
                    || [UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E"),
                        UInt8(ascii: "+"), UInt8(ascii: "-")].contains(byte)
            }) else { return nil }
            return Double(token)
        }
    }
}
