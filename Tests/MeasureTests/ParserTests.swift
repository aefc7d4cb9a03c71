import XCTest
@testable import Measure

final class SSEParserTests: XCTestCase {
    func events(_ parts: [String]) -> [String] {
        var p = SSEParser()
        var out: [String] = []
        for part in parts {
            Array(part.utf8).withUnsafeBytes { p.feed($0) { out.append(String(decoding: $0, as: UTF8.self)) } }
        }
        p.finish { out.append(String(decoding: $0, as: UTF8.self)) }
        return out
    }

    func testEventsSplitAcrossReadsAndJoinedInOne() {
        XCTAssertEqual(events(["data: {\"a\"", ":1}\n", "\ndata: [DONE]\n\n"]), ["{\"a\":1}", "[DONE]"])
        XCTAssertEqual(events(["data: 1\n\ndata: 2\n\ndata: 3\n\n"]), ["1", "2", "3"])
    }

    func testLineEndingsCommentsFieldsAndMultilineData() {
        XCTAssertEqual(events(["data: x\r\n\r\n", "data:y\r\r", ": keep-alive\n\n", "event: m\nid: 7\ndata: z\n\n"]), ["x", "y", "z"])
        XCTAssertEqual(events(["data: a\ndata: b\n\n"]), ["a\nb"])
        // CRLF split exactly between CR and LF.
        XCTAssertEqual(events(["data: p\r", "\n\r", "\n"]), ["p"])
        // An unterminated last event still counts at the end of the stream.
        XCTAssertEqual(events(["data: last"]), ["last"])
    }
}

final class ChunkScannerTests: XCTestCase {
    func parse(_ s: String) throws -> OpenAIChunk { try OpenAIChunk.parse(Array(s.utf8)) }

    func testEscapesUnicodeAndSkippedValues() throws {
        let c = try parse(#"{"id": "x", "n": [1, 2.5, -3e2, true, false, null, {"deep": [[]]}], "choices": [{"index": 0, "text": "tab\tq\"\\ \u00e9 \ud83d\ude00 \/", "logprobs": null, "finish_reason": null}, {"text": "second choice ignored"}]}"#)
        XCTAssertEqual(c.text, "tab\tq\"\\ é 😀 /")
        XCTAssertNil(c.finishReason)
        XCTAssertEqual(try parse(" { } ").text, "")
        XCTAssertEqual(try parse(#"{"choices":[{"delta":{"reasoning_content":"thinking"}}]}"#).text, "thinking")
        XCTAssertEqual(try parse(#"{"choices":[{"delta":{"role":"assistant","content":""}}]}"#).text, "")
        XCTAssertEqual(try parse(#"{"usage":null,"choices":[]}"#), OpenAIChunk())
        XCTAssertEqual(try parse(#"{"error":"plain"}"#).errorMessage, "plain")
        // A lone high surrogate (then an unrelated escape) must not trap: U+FFFD, then the next character.
        XCTAssertEqual(try parse(#"{"choices":[{"text":"\ud83d\u0041"}]}"#).text, "\u{FFFD}A")
        XCTAssertEqual(try parse(#"{"choices":[{"text":"\udc00x"}]}"#).text, "\u{FFFD}x")
        // vLLM's newer "reasoning" field times tokens but is not the answer.
        let r = try parse(#"{"choices":[{"delta":{"reasoning":"hmm"}}]}"#)
        XCTAssertEqual(r.text, "hmm")
        XCTAssertEqual(r.content, "")
        // Keys are matched in place; one written with escapes is decoded first.
        XCTAssertEqual(try parse(#"{"choic\u0065s":[{"t\u0065xt":"a"}]}"#).text, "a")
        XCTAssertEqual(try parse(#"{"choicesX":[{"text":"no"}],"choice":[{"text":"no"}]}"#).text, "")
        // Skipped strings are stepped over, escapes and all, without decoding.
        XCTAssertEqual(try parse(#"{"id":"a\"b\u0041\\","choices":[{"text":"z"}]}"#).text, "z")
        XCTAssertThrowsError(try parse(#"{"id":"\u00zz","choices":[]}"#))
        XCTAssertThrowsError(try parse(#"{"id":"open\"}"#))
    }

    func testSyntaxErrors() {
        for bad in ["{", "{\"a\" 1}", "[1]", "{\"a\":tru}", "{\"a\":\"open}", "{} x", "", "{\"a\":1,}", "{\"a\":[1,]}", "{\"a\":01x}"] {
            XCTAssertThrowsError(try parse(bad), bad)
        }
        let deep = "{\"a\":" + String(repeating: "[", count: 200) + String(repeating: "]", count: 200) + "}"
        XCTAssertThrowsError(try parse(deep))
    }

    func testChunks() throws {
        let c = try OpenAIChunk.parse(Array(#"{"choices":[{"index":0,"text":" hi","finish_reason":null}]}"#.utf8))
        XCTAssertEqual(c.text, " hi")
        XCTAssertNil(c.finishReason)
        let chat = try OpenAIChunk.parse(Array(#"{"choices":[{"delta":{"content":"x"},"finish_reason":"stop"}],"usage":{"prompt_tokens":5,"completion_tokens":2}}"#.utf8))
        XCTAssertEqual(chat, OpenAIChunk(text: "x", content: "x", finishReason: "stop", promptTokens: 5, completionTokens: 2))
        let usageOnly = try OpenAIChunk.parse(Array(#"{"choices":[],"usage":{"prompt_tokens":3,"completion_tokens":9,"total_tokens":12}}"#.utf8))
        XCTAssertEqual(usageOnly.completionTokens, 9)
        XCTAssertEqual(try OpenAIChunk.parse(Array(#"{"error":{"message":"overloaded"}}"#.utf8)).errorMessage, "overloaded")
        XCTAssertThrowsError(try OpenAIChunk.parse(Array("[1]".utf8)))

        // Without text: only whether there is any, the rest read as usual.
        func lean(_ s: String) throws -> OpenAIChunk {
            try Array(s.utf8).withUnsafeBufferPointer { try OpenAIChunk.parse($0, text: false) }
        }
        let l = try lean(#"{"choices":[{"delta":{"content":"x\n"},"finish_reason":"stop"}],"usage":{"prompt_tokens":5,"completion_tokens":2}}"#)
        XCTAssertEqual(l, OpenAIChunk(text: OpenAIChunk.unreadText, content: OpenAIChunk.unreadText, finishReason: "stop",
                                      promptTokens: 5, completionTokens: 2))
        XCTAssertEqual(try lean(#"{"choices":[{"delta":{"content":""}}]}"#).text, "")
        XCTAssertEqual(try lean(#"{"choices":[{"delta":{"reasoning":"\u0041"}}]}"#).text, OpenAIChunk.unreadText)
        XCTAssertThrowsError(try lean(#"{"choices":[{"text":"\uZZZZ"}]}"#))
    }
}

final class WorkloadTests: XCTestCase {
    func testSyntheticIsDeterministicAndUniquePerRequest() throws {
        let a = try Workload.synthetic(n: 50, seed: 7, input: .lognormal(median: 100, sigma: 0.6), output: .uniform(min: 10, max: 20))
        let b = try Workload.synthetic(n: 50, seed: 7, input: .lognormal(median: 100, sigma: 0.6), output: .uniform(min: 10, max: 20))
        let c = try Workload.synthetic(n: 50, seed: 8, input: .lognormal(median: 100, sigma: 0.6), output: .uniform(min: 10, max: 20))
        XCTAssertEqual(a, b)
        XCTAssertNotEqual(Array(a), Array(c))
        XCTAssertEqual(Set(a.map { "\($0.prompt)" }).count, 50, "prompts are unique")
        XCTAssertTrue(a.allSatisfy { (10...20).contains($0.maxTokens) })
        // A prompt of n tokens has about n words.
        let fixed = try Workload.synthetic(n: 3, seed: 1, input: .fixed(200), output: .fixed(5))
        for r in fixed {
            guard case .text(let t) = r.prompt else { return XCTFail() }
            XCTAssertEqual(t.split(separator: " ").count, 200)
        }
    }

    func testDistributions() throws {
        var rng = SeededRNG(seed: 3)
        let samples = (0..<20000).map { _ in LengthDistribution.lognormal(median: 400, sigma: 0.6).sample(&rng) }.sorted()
        XCTAssertEqual(Double(samples[10000]), 400, accuracy: 20, "median")
        let normal = (0..<20000).map { _ in LengthDistribution.normal(mean: 100, sd: 10).sample(&rng) }
        XCTAssertEqual(Double(normal.reduce(0, +)) / 20000, 100, accuracy: 1)
        let emp = (0..<10000).map { _ in LengthDistribution.empirical(values: [1, 1000], weights: [3, 1]).sample(&rng) }
        XCTAssertEqual(Double(emp.filter { $0 == 1 }.count) / 10000, 0.75, accuracy: 0.03)
        XCTAssertThrowsError(try LengthDistribution.uniform(min: 5, max: 2).validate())
        XCTAssertThrowsError(try LengthDistribution.empirical(values: [], weights: []).validate())
        // Gamma with shape k has mean k.
        let g = (0..<20000).map { _ in rng.gamma(shape: 0.5) }
        XCTAssertEqual(g.reduce(0, +) / 20000, 0.5, accuracy: 0.03)
    }

    func testOrderAndArrivalsAreReproducible() {
        let p = LoadPlan(shape: .open(rate: 10, burstiness: 1, maxInFlight: nil), seed: 42)
        XCTAssertEqual(p.order(count: 100), p.order(count: 100))
        XCTAssertNotEqual(p.order(count: 100), Array(0..<100))
        XCTAssertEqual(Set(p.order(count: 100)), Set(0..<100))
        let arrivals = p.arrivals(count: 2000)
        XCTAssertEqual(arrivals, p.arrivals(count: 2000))
        XCTAssertEqual(arrivals.last! / 1999, 0.1, accuracy: 0.01, "mean gap 1/rate")
        let even = LoadPlan(shape: .open(rate: 4, burstiness: nil, maxInFlight: nil)).arrivals(count: 3)
        XCTAssertEqual(even, [0, 0.25, 0.5])
        var keep = p
        keep.keepOrder = true
        keep.maxRequests = 5
        XCTAssertEqual(keep.order(count: 100), [0, 1, 2, 3, 4])
    }
}

final class RequestBodyTests: XCTestCase {
    func testBodiesAreValidJSONWithEscapesAndExtras() throws {
        var e = Endpoint(baseURL: "http://127.0.0.1:1/v1", model: "m\"odel", api: .chat)
        e.extraBody = #"{"temperature": 0, "model": "ignored", "stop": ["\n"]}"#
        let r = WorkloadRequest(prompt: .messages([ChatMessage(role: "system", content: "be \"brief\"\n\t\u{01}"),
                                                  ChatMessage(role: "user", content: "héllo")]), maxTokens: 7)
        let body = e.body(for: r, extra: e.extraBodyFields)
        let obj = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any])
        XCTAssertEqual(obj["model"] as? String, "m\"odel")
        XCTAssertEqual(obj["max_tokens"] as? Int, 7)
        XCTAssertEqual(obj["stream"] as? Bool, true)
        XCTAssertEqual((obj["stream_options"] as? [String: Any])?["include_usage"] as? Bool, true)
        XCTAssertEqual(obj["temperature"] as? Int, 0)
        XCTAssertEqual(obj["stop"] as? [String], ["\n"])
        let messages = try XCTUnwrap(obj["messages"] as? [[String: String]])
        XCTAssertEqual(messages, [["role": "system", "content": "be \"brief\"\n\t\u{01}"], ["role": "user", "content": "héllo"]])
        var plain = Endpoint(baseURL: "http://127.0.0.1:1/v1", model: "m", stream: false)
        plain.api = .completions
        let p = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(plain.body(for: WorkloadRequest(prompt: .text("a b"), maxTokens: 2), extra: nil))) as? [String: Any])
        XCTAssertEqual(p["prompt"] as? String, "a b")
        XCTAssertNil(p["stream_options"])
    }
}
