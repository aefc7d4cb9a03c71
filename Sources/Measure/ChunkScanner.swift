/// Reads what a streamed OpenAI chunk says without building a JSON tree:
/// walks the bytes once, decodes only the fields it needs (choices[0]'s
/// text, delta.content, finish_reason; usage's token counts; an error's
/// message) and skips the rest. It keeps up with hundreds of thousands of
/// chunks per second on one core. Full JSON syntax is checked on the way.
struct JSONSyntaxError: Error, CustomStringConvertible {
    let offset: Int
    let reason: String
    var description: String { "invalid JSON at byte \(offset): \(reason)" }
}

struct ChunkScanner {
    private let bytes: UnsafeBufferPointer<UInt8>
    /// Decode generated text; when false, only whether there is any (``OpenAIChunk/unreadText``).
    private let decodesText: Bool
    private var i = 0
    private var depth = 0
    private var chunk = OpenAIChunk()

    static func scan(_ buf: UnsafeBufferPointer<UInt8>, text: Bool) throws -> OpenAIChunk {
        var s = ChunkScanner(bytes: buf, decodesText: text)
        s.skipSpace()
        guard s.i < buf.count, buf[s.i] == UInt8(ascii: "{") else { throw s.fail("a chunk must be a JSON object") }
        try s.object { s, key in
            switch key {
            case "choices": try s.choices()
            case "usage": try s.usage()
            case "error": try s.error()
            default: try s.skipValue()
            }
        }
        s.skipSpace()
        guard s.i == buf.count else { throw s.fail("unexpected trailing data") }
        return (consume s).chunk  // moved out, not copied (four strings retained, then released)
    }

    /// A key's bytes, in place in the chunk (or, for a key with escapes, decoded):
    /// matched against literals byte by byte, so reading a key allocates nothing.
    struct Key {
        let bytes: UnsafeBufferPointer<UInt8>

        static func ~= (pattern: StaticString, key: Key) -> Bool {
            let n = pattern.utf8CodeUnitCount
            guard key.bytes.count == n else { return false }
            let p = pattern.utf8Start
            for k in 0..<n where key.bytes[k] != p[k] { return false }
            return true
        }
    }

    private init(bytes: UnsafeBufferPointer<UInt8>, decodesText: Bool) {
        self.bytes = bytes
        self.decodesText = decodesText
    }

    // MARK: the fields we read

    private mutating func choices() throws {
        guard peek() == UInt8(ascii: "[") else { return try skipValue() }
        var index = 0
        try array { s in
            defer { index += 1 }
            guard index == 0, s.peek() == UInt8(ascii: "{") else { return try s.skipValue() }
            try s.object { s, key in
                switch key {
                case "text": if let t = try s.optionalText() { s.chunk.text = t; s.chunk.content = t }
                case "delta", "message":
                    guard s.peek() == UInt8(ascii: "{") else { return try s.skipValue() }
                    var reasoning: String?
                    try s.object { s, k in
                        switch k {
                        case "content": if let t = try s.optionalText() { s.chunk.text = t; s.chunk.content = t }
                        // "reasoning": vLLM's newer name, OpenRouter's.
                        case "reasoning_content", "reasoning": reasoning = try s.optionalText()
                        default: try s.skipValue()
                        }
                    }
                    if s.chunk.text.isEmpty, let r = reasoning { s.chunk.text = r }
                case "finish_reason": s.chunk.finishReason = try s.optionalReason()
                default: try s.skipValue()
                }
            }
        }
    }

    private mutating func usage() throws {
        guard peek() == UInt8(ascii: "{") else { return try skipValue() }
        try object { s, key in
            switch key {
            case "prompt_tokens": s.chunk.promptTokens = try s.optionalInt()
            case "completion_tokens": s.chunk.completionTokens = try s.optionalInt()
            default: try s.skipValue()
            }
        }
    }

    private mutating func error() throws {
        switch peek() {
        case UInt8(ascii: "{"):
            var message: String?
            try object { s, key in
                if case "message" = key { message = try s.optionalString() } else { try s.skipValue() }
            }
            chunk.errorMessage = message ?? "error object in stream"
        case UInt8(ascii: "\""): chunk.errorMessage = try string()
        case UInt8(ascii: "n"): try literal("null")
        default:
            try skipValue()
            chunk.errorMessage = "error object in stream"
        }
    }

    private mutating func optionalString() throws -> String? {
        if peek() == UInt8(ascii: "\"") { return try string() }
        try skipValue()
        return nil
    }

    /// A finish reason: the usual ones are matched in place and given as literals (no decoding,
    /// no allocation); any other, or one with escapes, is decoded as before.
    private mutating func optionalReason() throws -> String? {
        guard peek() == UInt8(ascii: "\"") else { try skipValue(); return nil }
        let open = i
        let escaped = try skipString()
        if !escaped {
            switch Key(bytes: UnsafeBufferPointer(rebasing: bytes[(open + 1)..<(i - 1)])) {
            case "stop": return "stop"
            case "length": return "length"
            case "tool_calls": return "tool_calls"
            case "content_filter": return "content_filter"
            case "function_call": return "function_call"
            case "abort": return "abort"
            case "error": return "error"
            default: break
            }
        }
        i = open
        return try string()
    }

    /// A generated-text field: its string, or with `decodesText` false only "" or
    /// ``OpenAIChunk/unreadText`` (an escape always decodes to at least one character).
    private mutating func optionalText() throws -> String? {
        guard !decodesText else { return try optionalString() }
        guard peek() == UInt8(ascii: "\"") else { try skipValue(); return nil }
        let open = i
        _ = try skipString()
        return i - open > 2 ? OpenAIChunk.unreadText : ""
    }

    private mutating func optionalInt() throws -> Int? {
        guard let c = peek(), c == UInt8(ascii: "-") || (c >= 0x30 && c <= 0x39) else { try skipValue(); return nil }
        let start = i
        let integer = try skipNumber()
        let digits = i - start - (c == UInt8(ascii: "-") ? 1 : 0)
        if integer && digits <= 18 {
            // Exact in an Int (18 digits < 2^63): read it directly.
            var k = c == UInt8(ascii: "-") ? start + 1 : start
            var n = 0
            while k < i { n = n &* 10 &+ Int(bytes[k] &- 0x30); k += 1 }
            return c == UInt8(ascii: "-") ? -n : n
        }
        // Rare (a fraction, an exponent, 19+ digits): as before, through Double, so 5.0 and 1e3 still count.
        guard let d = Double(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self)),
              d.rounded() == d, let n = Int(exactly: d) else { return nil }
        return n
    }

    // MARK: walking

    @inline(__always)
    private mutating func peek() -> UInt8? {
        skipSpace()
        return i < bytes.count ? bytes[i] : nil
    }

    @inline(__always)
    private mutating func skipSpace() {
        // Chunks rarely have spaces: one compare (every JSON space is below "!") passes the rest.
        while i < bytes.count, bytes[i] <= 0x20, bytes[i] == 0x20 || bytes[i] == 0x0A || bytes[i] == 0x0D || bytes[i] == 0x09 { i += 1 }
    }

    private func fail(_ reason: String) -> JSONSyntaxError { JSONSyntaxError(offset: i, reason: reason) }

    /// Calls `member` for each key with `i` at its value; `member` must consume the value.
    private mutating func object(_ member: (inout ChunkScanner, Key) throws -> Void) throws {
        depth += 1
        defer { depth -= 1 }
        guard depth < 128 else { throw fail("nested too deep") }
        i += 1
        if peek() == UInt8(ascii: "}") { i += 1; return }
        while true {
            guard peek() == UInt8(ascii: "\"") else { throw fail("expected a key") }
            let start = i + 1
            let escaped = try skipString()
            let end = i - 1
            guard peek() == UInt8(ascii: ":") else { throw fail("expected ':'") }
            i += 1
            skipSpace()
            if escaped {
                // Rare: decode the key, then match the decoded bytes.
                let save = i
                i = start - 1
                let decoded = Array(try string().utf8)
                i = save
                try decoded.withUnsafeBufferPointer { try member(&self, Key(bytes: $0)) }
            } else {
                try member(&self, Key(bytes: UnsafeBufferPointer(rebasing: bytes[start..<end])))
            }
            switch peek() {
            case UInt8(ascii: ","): i += 1
            case UInt8(ascii: "}"): i += 1; return
            default: throw fail("expected ',' or '}'")
            }
        }
    }

    private mutating func array(_ element: (inout ChunkScanner) throws -> Void) throws {
        depth += 1
        defer { depth -= 1 }
        guard depth < 128 else { throw fail("nested too deep") }
        i += 1
        if peek() == UInt8(ascii: "]") { i += 1; return }
        while true {
            skipSpace()
            try element(&self)
            switch peek() {
            case UInt8(ascii: ","): i += 1
            case UInt8(ascii: "]"): i += 1; return
            default: throw fail("expected ',' or ']'")
            }
        }
    }

    private mutating func skipValue() throws {
        guard let c = peek() else { throw fail("unexpected end") }
        switch c {
        case UInt8(ascii: "{"): try object { s, _ in try s.skipValue() }
        case UInt8(ascii: "["): try array { s in try s.skipValue() }
        case UInt8(ascii: "\""): _ = try skipString()
        case UInt8(ascii: "t"): try literal("true")
        case UInt8(ascii: "f"): try literal("false")
        case UInt8(ascii: "n"): try literal("null")
        default: _ = try skipNumber()
        }
    }

    private mutating func literal(_ word: StaticString) throws {
        let n = word.utf8CodeUnitCount
        guard i + n <= bytes.count else { throw fail("unexpected end") }
        let w = word.utf8Start
        for k in 0..<n where bytes[i + k] != w[k] { throw fail("unexpected character") }
        i += n
    }

    /// Steps over a number: the run of number characters must be exactly one JSON number
    /// (`-?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?`), else "invalid number" at its end.
    /// Checked in place: a skipped "index":0 or "created":1700000000 costs no String or strtod.
    /// Returns whether it is a plain integer (no fraction, no exponent).
    private mutating func skipNumber() throws -> Bool {
        let start = i
        let n = bytes.count
        var end = i
        while end < n, Self.isNumberByte(bytes[end]) { end += 1 }
        i = end
        var k = start
        if k < end, bytes[k] == UInt8(ascii: "-") { k += 1 }
        guard k < end, Self.isDigit(bytes[k]) else { throw fail("invalid number") }
        if bytes[k] == UInt8(ascii: "0") { k += 1 } else { while k < end, Self.isDigit(bytes[k]) { k += 1 } }
        var integer = true
        if k < end, bytes[k] == UInt8(ascii: ".") {
            integer = false
            k += 1
            let first = k
            while k < end, Self.isDigit(bytes[k]) { k += 1 }
            guard k > first else { throw fail("invalid number") }
        }
        if k < end, bytes[k] | 0x20 == UInt8(ascii: "e") {
            integer = false
            k += 1
            if k < end, bytes[k] == UInt8(ascii: "+") || bytes[k] == UInt8(ascii: "-") { k += 1 }
            let first = k
            while k < end, Self.isDigit(bytes[k]) { k += 1 }
            guard k > first else { throw fail("invalid number") }
        }
        guard k == end else { throw fail("invalid number") }
        return integer
    }

    @inline(__always)
    private static func isDigit(_ c: UInt8) -> Bool { c &- 0x30 < 10 }

    /// The characters a number's run is made of (as the scanner always took them).
    @inline(__always)
    private static func isNumberByte(_ c: UInt8) -> Bool {
        isDigit(c) || c == UInt8(ascii: "-") || c == UInt8(ascii: "+") || c == UInt8(ascii: ".")
            || c == UInt8(ascii: "e") || c == UInt8(ascii: "E")
    }

    /// Steps over a string (with `i` on its opening quote) without decoding it, checking
    /// its escapes; returns whether it had any.
    @inline(__always)
    private mutating func skipString() throws -> Bool {
        i += 1
        var escaped = false
        while true {
            // To the next quote or backslash, eight bytes at a time.
            i = ByteScan.first(UInt8(ascii: "\""), UInt8(ascii: "\\"), in: bytes, from: i)
            guard i < bytes.count else { throw fail("unterminated string") }
            if bytes[i] == UInt8(ascii: "\"") {
                i += 1
                return escaped
            }
            escaped = true
            i += 1
            guard i < bytes.count else { throw fail("unterminated string") }
            if bytes[i] == UInt8(ascii: "u") { _ = try hex4() }
            i += 1
        }
    }

    private mutating func string() throws -> String {
        i += 1  // opening quote
        let start = i
        // Fast path: no escapes.
        while i < bytes.count, bytes[i] != UInt8(ascii: "\""), bytes[i] != UInt8(ascii: "\\") { i += 1 }
        guard i < bytes.count else { throw fail("unterminated string") }
        if bytes[i] == UInt8(ascii: "\"") {
            let s = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self)
            i += 1
            return s
        }
        var out = Array(bytes[start..<i])
        while i < bytes.count {
            let c = bytes[i]
            if c == UInt8(ascii: "\"") { i += 1; return String(decoding: out, as: UTF8.self) }
            if c != UInt8(ascii: "\\") { out.append(c); i += 1; continue }
            i += 1
            guard i < bytes.count else { break }
            switch bytes[i] {
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "u"):
                var scalar = try hex4()
                // A high surrogate pairs only with a following low one; anything
                // else becomes U+FFFD (and the next escape is read on its own).
                if scalar >= 0xD800 && scalar < 0xDC00, i + 6 < bytes.count,
                   bytes[i + 1] == UInt8(ascii: "\\"), bytes[i + 2] == UInt8(ascii: "u") {
                    let save = i
                    i += 2
                    let low = try hex4()
                    if low >= 0xDC00 && low <= 0xDFFF {
                        scalar = 0x10000 &+ ((scalar &- 0xD800) << 10) &+ (low &- 0xDC00)
                    } else {
                        i = save
                    }
                }
                out.append(contentsOf: Array(String(Unicode.Scalar(scalar).map(Character.init) ?? "\u{FFFD}").utf8))
            default: out.append(bytes[i])  // \" \\ \/
            }
            i += 1
        }
        throw fail("unterminated string")
    }

    /// Reads 4 hex digits after "\u"; leaves `i` on the last digit.
    private mutating func hex4() throws -> UInt32 {
        guard i + 4 < bytes.count else { throw fail("bad \\u escape") }
        var v: UInt32 = 0
        for k in 1...4 {
            let c = bytes[i + k]
            let d: UInt32
            switch c {
            case 0x30...0x39: d = UInt32(c - 0x30)
            case 0x41...0x46: d = UInt32(c - 0x41 + 10)
            case 0x61...0x66: d = UInt32(c - 0x61 + 10)
            default: throw fail("bad \\u escape")
            }
            v = v * 16 + d
        }
        i += 4
        return v
    }
}
