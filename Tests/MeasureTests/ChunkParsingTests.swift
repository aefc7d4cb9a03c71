import XCTest
@testable import Measure

/// The SSE parser's in-place path (events handed out of the read itself) against the copying
/// parser it replaced, on the same bytes cut every way: whole, byte by byte, at every position.
final class SSEInPlaceTests: XCTestCase {
    /// The former parser (every line copied into `line`, then into `data`), kept as the reference.
    struct ReferenceSSEParser {
        var line: [UInt8] = []
        var data: [UInt8] = []
        var hasData = false
        var lastWasCR = false
        var out: [String] = []

        mutating func feed(_ bytes: [UInt8]) {
            for b in bytes {
                if b == 0x0A || b == 0x0D {
                    if b == 0x0A && lastWasCR { lastWasCR = false; continue }
                    lastWasCR = b == 0x0D
                    endLine()
                } else {
                    line.append(b)
                    lastWasCR = false
                }
            }
        }

        mutating func finish() {
            if !line.isEmpty { endLine() }
            if hasData { dispatch() }
        }

        mutating func endLine() {
            defer { line.removeAll() }
            if line.isEmpty { if hasData { dispatch() }; return }
            if line.starts(with: Array("data:".utf8)) {
                var start = 5
                if start < line.count, line[start] == 0x20 { start += 1 }
                if hasData { data.append(0x0A) }
                data.append(contentsOf: line[start...])
                hasData = true
            }
        }

        mutating func dispatch() {
            out.append(String(decoding: data, as: UTF8.self))
            data.removeAll()
            hasData = false
        }
    }

    /// Every kind of line the parser meets: one-line events (the in-place path), multi-line data,
    /// CRLF and CR ends, comments, other fields, keep-alive empty data, `data:` without a space.
    static let stream = "data: {\"a\":1}\n\n"
        + ": keep-alive\n\n"
        + "data: one\ndata: two\n\n"
        + "data: crlf\r\n\r\n"
        + "data:cr\r\r"
        + "event: m\nid: 7\ndata: after fields\n\n"
        + "data:\n\n"
        + "data: \n\n"
        + "data: x\r\ndata: y\rdata: z\n\n"
        + "data\n\n"
        + "data: [DONE]\n\n"
        + "\n\n\r\n"
        + "data: last without blank line"

    func parts(_ cuts: [Int], of bytes: [UInt8]) -> [[UInt8]] {
        var out: [[UInt8]] = []
        var start = 0
        for c in cuts + [bytes.count] {
            out.append(Array(bytes[start..<c]))
            start = c
        }
        return out
    }

    func events(_ parts: [[UInt8]]) -> [String] {
        var p = SSEParser()
        var out: [String] = []
        for part in parts {
            part.withUnsafeBytes { p.feed($0) { out.append(String(decoding: $0, as: UTF8.self)) } }
        }
        p.finish { out.append(String(decoding: $0, as: UTF8.self)) }
        return out
    }

    func reference(_ bytes: [UInt8]) -> [String] {
        var r = ReferenceSSEParser()
        r.feed(bytes)
        r.finish()
        return r.out
    }

    func testSameEventsHoweverTheBytesAreCut() {
        let bytes = Array(Self.stream.utf8)
        let expected = reference(bytes)
        XCTAssertEqual(expected.count, 10)
        XCTAssertEqual(events([bytes]), expected)
        XCTAssertEqual(events(bytes.map { [$0] }), expected)
        for cut in 0...bytes.count {
            XCTAssertEqual(events(parts([cut], of: bytes)), expected, "cut at \(cut)")
        }
        // Two cuts: every pair a few bytes apart (a line split across three reads).
        for a in 0..<bytes.count {
            for b in (a + 1)..<min(bytes.count, a + 8) {
                XCTAssertEqual(events(parts([a, b], of: bytes)), expected, "cuts at \(a), \(b)")
            }
        }
    }

    func testRandomStreamsAgreeWithTheReference() {
        // Lines drawn from the awkward cases, joined by random line ends, cut at random.
        let pieces = ["data: p", "data:q", "data: ", "data:", ": c", "id: 1", "data: [DONE]", "", "da", "data: {\"x\":[1,2]}"]
        let ends = ["\n", "\r\n", "\r"]
        var rng = SplitMix(seed: 12)
        for round in 0..<300 {
            var s = ""
            for _ in 0..<rng.below(12) { s += pieces[rng.below(pieces.count)] + ends[rng.below(ends.count)] }
            if rng.below(3) == 0 { s += pieces[rng.below(pieces.count)] }  // an unterminated last line
            let bytes = Array(s.utf8)
            var cuts: [Int] = []
            var c = 0
            while true {
                c += 1 + rng.below(6)
                if c >= bytes.count { break }
                cuts.append(c)
            }
            XCTAssertEqual(events(parts(cuts, of: bytes)), reference(bytes), "round \(round): \(s.debugDescription)")
        }
    }
}

/// A small deterministic generator, so a failing round can be replayed.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
}

/// ``ChunkStream`` gives the same reading of a reply however its body parts are cut.
final class ChunkStreamSplitTests: XCTestCase {
    static let body = "data: {\"id\":\"b\",\"created\":1700000000,\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"}}]}\n\n"
        + ": keep-alive\r\n\r\n"
        + "data: {\"id\":\"b\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hel\"},\"logprobs\":null,\"finish_reason\":null}]}\n\n"
        + "data: {\"id\":\"b\",\"choices\":[{\"index\":0,\"delta\":{\"reasoning_content\":\"hmm\"}}]}\r\n\r\n"
        + "data: {\"id\":\"b\",\"choices\":[{\"index\":0,\r\ndata: \"delta\":{\"content\":\"lo \\u00e9\"}}]}\n\n"
        + "data:\n\n"
        + "data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"length\"}],\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":3,\"total_tokens\":15.0}}\r\r"
        + "data: [DONE]\n\n"

    struct Reading: Equatable {
        var chunks: Int
        var text: String
        var finishReason: String?
        var promptTokens: Int?
        var completionTokens: Int?
        var sawDone: Bool
        var failure: String?
    }

    func read(_ bytes: [UInt8], cuts: [Int], keepText: Bool) -> Reading {
        var s = ChunkStream(keepText: keepText)
        var start = 0
        for c in cuts + [bytes.count] {
            Array(bytes[start..<c]).withUnsafeBytes { s.feed($0, arrival: 10, sentNanos: 0) }
            start = c
        }
        s.finish(arrival: 10, sentNanos: 0)
        return Reading(chunks: s.chunkTimes.count, text: s.text, finishReason: s.finishReason, promptTokens: s.promptTokens,
                       completionTokens: s.completionTokens, sawDone: s.sawDone, failure: s.failure?.1)
    }

    func testWholeByteByByteAndEverySplitAgree() {
        let bytes = Array(Self.body.utf8)
        for keep in [true, false] {
            let whole = read(bytes, cuts: [], keepText: keep)
            XCTAssertEqual(whole.chunks, 3)
            XCTAssertEqual(whole.finishReason, "length")
            XCTAssertEqual(whole.promptTokens, 12)
            XCTAssertEqual(whole.completionTokens, 3)
            XCTAssertTrue(whole.sawDone)
            XCTAssertNil(whole.failure)
            XCTAssertEqual(whole.text, keep ? "Hello é" : "")
            XCTAssertEqual(read(bytes, cuts: Array(1..<bytes.count), keepText: keep), whole)
            for cut in 0...bytes.count {
                XCTAssertEqual(read(bytes, cuts: [cut], keepText: keep), whole, "cut at \(cut)")
            }
        }
    }

    func testMalformedChunkIsReportedHoweverCut() {
        let bytes = Array("data: {\"choices\":[{\"index\":01,\"text\":\"a\"}]}\n\ndata: {\"choices\":[{\"text\":\"b\"}]}\n\n".utf8)
        let whole = read(bytes, cuts: [], keepText: true)
        XCTAssertEqual(whole.chunks, 1)
        XCTAssertEqual(whole.text, "b")
        XCTAssertEqual(whole.failure?.hasPrefix("malformed chunk (invalid JSON at byte 23: invalid number): "), true, whole.failure ?? "")
        for cut in 0...bytes.count {
            XCTAssertEqual(read(bytes, cuts: [cut], keepText: true), whole, "cut at \(cut)")
        }
    }
}

/// Numbers are checked in place (no String, no strtod) to the letter of JSON's grammar.
final class ChunkNumberTests: XCTestCase {
    func parse(_ s: String) throws -> OpenAIChunk { try OpenAIChunk.parse(Array(s.utf8)) }

    func testInvalidNumbersInSkippedFieldsAreRefused() {
        for bad in ["01", "-01", "00", "1.", "-", "1e", "1e+", "1E-", ".5", "+1", "-.5", "1.e5", "1..2", "1e5e5", "1-2", "--1", "1.5.", "-e"] {
            for json in ["{\"index\":\(bad)}", "{\"n\":[\(bad)]}", "{\"choices\":[{\"index\":\(bad),\"text\":\"a\"}]}"] {
                XCTAssertThrowsError(try parse(json), json) { error in
                    XCTAssertEqual((error as? JSONSyntaxError)?.reason, "invalid number", json)
                }
            }
        }
    }

    func testANumberEndsWhereItsCharactersEnd() {
        // "0" is a number; the "x" after it is the error.
        XCTAssertThrowsError(try parse("{\"index\":0x1}")) { error in
            XCTAssertEqual((error as? JSONSyntaxError)?.reason, "expected ',' or '}'")
        }
    }

    func testValidNumbersAreSkipped() throws {
        for good in ["0", "-0", "7", "1700000000", "1.5", "-0.25", "1e5", "1E+5", "2e-3", "-1.25e-3", "0.0", "123456789012345678901234567890"] {
            XCTAssertEqual(try parse("{\"created\":\(good),\"choices\":[{\"index\":\(good),\"text\":\"a\"}]}").text, "a", good)
            XCTAssertEqual(try parse("{\"n\":[\(good) , \(good)]}"), OpenAIChunk(), good)
        }
    }

    func testTokenCountsReadAsBefore() throws {
        func tokens(_ n: String) throws -> Int? { try parse("{\"usage\":{\"prompt_tokens\":\(n)}}").promptTokens }
        XCTAssertEqual(try tokens("0"), 0)
        XCTAssertEqual(try tokens("42"), 42)
        XCTAssertEqual(try tokens("-3"), -3)
        XCTAssertEqual(try tokens("123456789012345678"), 123_456_789_012_345_678)
        // Through Double as before: an integral fraction or exponent counts, anything else does not.
        XCTAssertEqual(try tokens("5.0"), 5)
        XCTAssertEqual(try tokens("1e3"), 1000)
        XCTAssertEqual(try tokens("1234567890123456789"), Int(exactly: Double("1234567890123456789") ?? 0))
        XCTAssertNil(try tokens("1.5"))
        XCTAssertNil(try tokens("99999999999999999999"))
        XCTAssertNil(try tokens("\"5\""))
        XCTAssertNil(try tokens("null"))
        XCTAssertThrowsError(try tokens("05"))
    }

    func testFinishReasons() throws {
        func reason(_ v: String) throws -> String? { try parse("{\"choices\":[{\"finish_reason\":\(v)}]}").finishReason }
        for known in ["stop", "length", "tool_calls", "content_filter", "function_call", "abort", "error"] {
            XCTAssertEqual(try reason("\"\(known)\""), known)
        }
        XCTAssertEqual(try reason("\"st\\u006fp\""), "stop")
        XCTAssertEqual(try reason("\"eos_token\""), "eos_token")
        XCTAssertEqual(try reason("\"stopped\""), "stopped")
        XCTAssertEqual(try reason("\"\""), "")
        XCTAssertNil(try reason("null"))
        XCTAssertNil(try reason("3"))
        XCTAssertThrowsError(try reason("\"stop"))
    }
}

/// The eight-at-a-time byte search against a plain loop, at every start and length.
final class ByteScanTests: XCTestCase {
    func testFindsTheFirstOfTwoBytesAsALoopWould() {
        var rng = SplitMix(seed: 7)
        // Bytes near the searched ones (and 0x80, 0xFF, 0x00) are where a SWAR trick would slip.
        let alphabet: [UInt8] = [0x22, 0x5C, 0x21, 0x23, 0x5B, 0x5D, 0x00, 0x80, 0xFF, 0x0A, 0x0D, 0x61, 0xA2, 0xDC]
        for _ in 0..<400 {
            let bytes = (0..<rng.below(40)).map { _ in alphabet[rng.below(alphabet.count)] }
            bytes.withUnsafeBufferPointer { buf in
                for (a, b) in [(UInt8(0x22), UInt8(0x5C)), (0x0A, 0x0D)] {
                    for start in 0...buf.count {
                        var j = start
                        while j < buf.count, buf[j] != a, buf[j] != b { j += 1 }
                        XCTAssertEqual(ByteScan.first(a, b, in: buf, from: start), j, "\(bytes) from \(start)")
                    }
                }
            }
        }
    }
}
