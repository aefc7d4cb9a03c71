import TestServer
import XCTest

final class StreamingTests: XCTestCase {
    func testCompletionsStreamHasOneChunkPerTokenAndEnds() throws {
        try withServer(fastConfig()) { server in
            let client = try RawHTTPClient(port: server.port)
            let response = try client.post("/v1/completions", completionBody(maxTokens: 7, model: "my-model"))
            XCTAssertEqual(response.status, 200)
            XCTAssertEqual(response.headers["content-type"], "text/event-stream")
            XCTAssertEqual(response.headers["transfer-encoding"], "chunked")
            XCTAssertEqual(response.ending, .complete)
            XCTAssertEqual(response.events.last?.data, "[DONE]")
            let tokens = tokenEvents(response)
            XCTAssertEqual(tokens.count, 7)
            XCTAssertEqual(response.events.count, 8, "no usage chunk unless asked for")
            for (index, event) in tokens.enumerated() {
                let json = try XCTUnwrap(event.json, "chunk \(index) is not JSON: \(event.data)")
                XCTAssertEqual(json["object"] as? String, "text_completion")
                XCTAssertEqual(json["model"] as? String, "my-model")
                XCTAssertTrue((json["id"] as? String)?.hasPrefix("cmpl-") ?? false)
                XCTAssertNotNil(json["created"] as? Int)
                XCTAssertNil(json["usage"])
                let choice = try XCTUnwrap(firstChoice(json))
                XCTAssertEqual(choice["text"] as? String, " tok")
                XCTAssertEqual(choice["index"] as? Int, 0)
                if index == tokens.count - 1 {
                    XCTAssertEqual(choice["finish_reason"] as? String, "length")
                } else {
                    XCTAssertTrue(choice["finish_reason"] is NSNull, "finish_reason must be null before the end")
                }
            }
            let ids = Set(tokens.compactMap { $0.json?["id"] as? String })
            XCTAssertEqual(ids.count, 1, "one id per stream")
        }
    }

    func testUsageModes() throws {
        for mode in UsageMode.allCases {
            var config = fastConfig()
            config.usage = mode
            try withServer(config) { server in
                let client = try RawHTTPClient(port: server.port)
                let body = completionBody(maxTokens: 3, includeUsage: true, prompt: "one two  three\nfour")
                let response = try client.post("/v1/completions", body)
                XCTAssertEqual(response.ending, .complete)
                let jsons = response.events.dropLast().compactMap(\.json)
                XCTAssertEqual(response.events.last?.data, "[DONE]")
                let withUsage = jsons.filter { $0["usage"] != nil }
                switch mode {
                case .none:
                    XCTAssertTrue(withUsage.isEmpty, "mode none sends no usage")
                    XCTAssertEqual(jsons.count, 3)
                case .finalChunk:
                    XCTAssertEqual(jsons.count, 3)
                    XCTAssertEqual(withUsage.count, 1)
                    XCTAssertEqual(firstChoice(withUsage.first)?["finish_reason"] as? String, "length",
                                   "usage rides on the last token's chunk")
                case .separateChunk:
                    XCTAssertEqual(jsons.count, 4)
                    XCTAssertEqual(withUsage.count, 1)
                    XCTAssertEqual((withUsage.first?["choices"] as? [Any])?.count, 0, "usage chunk has empty choices")
                    XCTAssertNil(jsons[2]["usage"])
                }
                if let usage = withUsage.first?["usage"] as? [String: Any] {
                    XCTAssertEqual(usage["prompt_tokens"] as? Int, 4)
                    XCTAssertEqual(usage["completion_tokens"] as? Int, 3)
                    XCTAssertEqual(usage["total_tokens"] as? Int, 7)
                }
            }
        }
    }

    func testChatStreamFormat() throws {
        var config = fastConfig()
        config.usage = .separateChunk
        try withServer(config) { server in
            let client = try RawHTTPClient(port: server.port)
            let response = try client.post("/v1/chat/completions", chatBody(maxTokens: 4, includeUsage: true))
            XCTAssertEqual(response.status, 200)
            let tokens = tokenEvents(response)
            XCTAssertEqual(tokens.count, 4)
            for (index, event) in tokens.enumerated() {
                let json = try XCTUnwrap(event.json)
                XCTAssertEqual(json["object"] as? String, "chat.completion.chunk")
                XCTAssertEqual(json["model"] as? String, "frontier-test")
                XCTAssertTrue((json["id"] as? String)?.hasPrefix("chatcmpl-") ?? false)
                let delta = try XCTUnwrap(firstChoice(json)?["delta"] as? [String: Any])
                XCTAssertEqual(delta["content"] as? String, " tok")
                XCTAssertEqual(delta["role"] as? String, index == 0 ? "assistant" : nil)
            }
            XCTAssertEqual(firstChoice(tokens.last?.json)?["finish_reason"] as? String, "length")
            let usage = response.events.compactMap { $0.json?["usage"] as? [String: Any] }.first
            XCTAssertEqual(usage?["prompt_tokens"] as? Int, 5)
            XCTAssertEqual(usage?["completion_tokens"] as? Int, 4)
            XCTAssertEqual(response.events.last?.data, "[DONE]")
        }
    }

    func testDefaultMaxTokensAndSingleTokenChat() throws {
        var config = fastConfig()
        config.defaultMaxTokens = 3
        try withServer(config) { server in
            let client = try RawHTTPClient(port: server.port)
            let response = try client.post("/v1/completions", completionBody(maxTokens: nil))
            XCTAssertEqual(tokenEvents(response).count, 3)
            let chat = try client.post("/v1/chat/completions", chatBody(maxTokens: 1))
            let only = try XCTUnwrap(tokenEvents(chat).first?.json)
            XCTAssertEqual((firstChoice(only)?["delta"] as? [String: Any])?["role"] as? String, "assistant")
            XCTAssertEqual(firstChoice(only)?["finish_reason"] as? String, "length")
        }
    }

    func testNonStreamingBodies() throws {
        try withServer(fastConfig()) { server in
            let client = try RawHTTPClient(port: server.port)
            let completion = try client.post("/v1/completions", completionBody(maxTokens: 3, stream: false))
            XCTAssertEqual(completion.status, 200)
            XCTAssertEqual(completion.headers["content-type"], "application/json")
            let json = try XCTUnwrap(completion.json)
            XCTAssertEqual(json["object"] as? String, "text_completion")
            XCTAssertEqual(firstChoice(json)?["text"] as? String, " tok tok tok")
            XCTAssertEqual(firstChoice(json)?["finish_reason"] as? String, "length")
            let usage = try XCTUnwrap(json["usage"] as? [String: Any])
            XCTAssertEqual(usage["prompt_tokens"] as? Int, 3)
            XCTAssertEqual(usage["completion_tokens"] as? Int, 3)
            XCTAssertEqual(usage["total_tokens"] as? Int, 6)

            let chat = try client.post("/v1/chat/completions", chatBody(maxTokens: 2, stream: false))
            let chatJSON = try XCTUnwrap(chat.json)
            XCTAssertEqual(chatJSON["object"] as? String, "chat.completion")
            let message = try XCTUnwrap(firstChoice(chatJSON)?["message"] as? [String: Any])
            XCTAssertEqual(message["role"] as? String, "assistant")
            XCTAssertEqual(message["content"] as? String, " tok tok")
            XCTAssertEqual((chatJSON["usage"] as? [String: Any])?["completion_tokens"] as? Int, 2)
        }
    }

    func testPromptAsArrayAndContentParts() throws {
        try withServer(fastConfig()) { server in
            let client = try RawHTTPClient(port: server.port)
            let completion = try client.post("/v1/completions",
                                             #"{"prompt":["a b","c"],"max_tokens":1,"stream":false}"#)
            XCTAssertEqual((completion.json?["usage"] as? [String: Any])?["prompt_tokens"] as? Int, 3)
            let chat = try client.post("/v1/chat/completions", #"""
                {"messages":[{"role":"user","content":[{"type":"text","text":"x y"},{"type":"text","text":"z"}]}],
                 "max_tokens":1}
                """#)
            XCTAssertEqual((chat.json?["usage"] as? [String: Any])?["prompt_tokens"] as? Int, 3)
        }
    }
}
