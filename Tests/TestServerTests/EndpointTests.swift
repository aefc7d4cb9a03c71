import TestServer
import XCTest

final class EndpointTests: XCTestCase {
    func testModelsHealthAndStats() throws {
        var config = fastConfig()
        config.model = "tiny \"quoted\" model"
        try withServer(config) { server in
            XCTAssertEqual(server.baseURL, "http://127.0.0.1:\(server.port)/v1")
            let client = try RawHTTPClient(port: server.port)
            let models = try client.request("GET", "/v1/models")
            XCTAssertEqual(models.status, 200)
            XCTAssertEqual(models.json?["object"] as? String, "list")
            let entry = (models.json?["data"] as? [[String: Any]])?.first
            XCTAssertEqual(entry?["id"] as? String, "tiny \"quoted\" model")
            XCTAssertEqual(entry?["object"] as? String, "model")

            let health = try client.request("GET", "/health")
            XCTAssertEqual(health.status, 200)
            XCTAssertEqual(health.text, "ok")

            _ = try client.post("/v1/completions", completionBody(maxTokens: 4))
            _ = try client.post("/v1/chat/completions", chatBody(maxTokens: 2, stream: false))
            let stats = try client.request("GET", "/stats")
            XCTAssertEqual(stats.status, 200)
            let json = try XCTUnwrap(stats.json)
            let byEndpoint = try XCTUnwrap(json["requestsByEndpoint"] as? [String: Int])
            XCTAssertEqual(byEndpoint["/v1/models"], 1)
            XCTAssertEqual(byEndpoint["/health"], 1)
            XCTAssertEqual(byEndpoint["/v1/completions"], 1)
            XCTAssertEqual(byEndpoint["/v1/chat/completions"], 1)
            XCTAssertEqual(byEndpoint["/stats"], 1)
            XCTAssertEqual(json["requests"] as? Int, 5)
            XCTAssertEqual(json["tokensSent"] as? Int, 6)
            XCTAssertEqual(json["streamsStarted"] as? Int, 1)
            XCTAssertEqual(json["streamsCompleted"] as? Int, 1)
            XCTAssertEqual((json["lateness"] as? [String: Any])?["count"] as? Int, 5, "4 streamed tokens, 1 body")

            let direct = server.stats()
            XCTAssertEqual(direct.requests, 5)
            XCTAssertEqual(direct.connectionsOpened, 1)
            XCTAssertEqual(direct.connectionsActive, 1)
        }
    }

    func testPrometheusMetricsUseVLLMNames() throws {
        var config = fastConfig()
        config.metrics = { [MetricSample(name: "vllm:num_requests_waiting", type: .gauge, help: "queued", value: 7),
                            MetricSample(name: "vllm:gpu_cache_usage_perc", type: .gauge, help: "kv", value: 0.25)] }
        try withServer(config) { server in
            let client = try RawHTTPClient(port: server.port)
            _ = try client.post("/v1/completions", completionBody(maxTokens: 4))
            _ = try client.post("/v1/completions", completionBody(maxTokens: 3))
            let metrics = try client.request("GET", "/metrics")
            XCTAssertEqual(metrics.status, 200)
            let text = metrics.text
            XCTAssertTrue(text.contains("# TYPE vllm:generation_tokens_total counter\n"), text)
            XCTAssertTrue(text.contains("vllm:generation_tokens_total{model_name=\"frontier-test\"} 7.0\n"), text)
            XCTAssertTrue(text.contains("vllm:request_success_total{model_name=\"frontier-test\"} 2.0\n"), text)
            XCTAssertTrue(text.contains("vllm:num_requests_running{model_name=\"frontier-test\"} 0.0\n"), text)
            // A provider's series replace the defaults of the same name and add new ones.
            XCTAssertTrue(text.contains("vllm:num_requests_waiting{model_name=\"frontier-test\"} 7.0\n"), text)
            XCTAssertTrue(text.contains("vllm:gpu_cache_usage_perc{model_name=\"frontier-test\"} 0.25\n"), text)
        }
    }

    func testUnknownPathIs404AndWrongMethodIs405() throws {
        try withServer(fastConfig()) { server in
            let client = try RawHTTPClient(port: server.port)
            let missing = try client.request("GET", "/v1/nothing")
            XCTAssertEqual(missing.status, 404)
            XCTAssertTrue((missing.json?["error"] as? [String: Any])?["message"] is String)
            let wrong = try client.request("GET", "/v1/completions")
            XCTAssertEqual(wrong.status, 405)
            XCTAssertEqual(server.stats().requestsByEndpoint["other"], 1)
        }
    }

    func testBadRequestsAre400WithAMessageNamingTheProblem() throws {
        let cases: [(path: String, body: String, mentions: String)] = [
            ("/v1/completions", "{not json", "JSON"),
            ("/v1/completions", "[1,2]", "JSON object"),
            ("/v1/completions", #"{"max_tokens":3}"#, "prompt"),
            ("/v1/completions", #"{"prompt":"x","max_tokens":"3"}"#, "max_tokens"),
            ("/v1/completions", #"{"prompt":"x","max_tokens":0}"#, "max_tokens"),
            ("/v1/completions", #"{"prompt":"x","stream":"yes"}"#, "stream"),
            ("/v1/completions", #"{"prompt":"x","stream_options":{"include_usage":1}}"#, "include_usage"),
            ("/v1/chat/completions", #"{"prompt":"x"}"#, "messages"),
            ("/v1/chat/completions", #"{"messages":[{"content":"x"}]}"#, "messages[0].role"),
            ("/v1/chat/completions", "", "empty"),
        ]
        try withServer(fastConfig()) { server in
            let client = try RawHTTPClient(port: server.port)
            for item in cases {
                let response = try client.post(item.path, item.body)
                XCTAssertEqual(response.status, 400, item.body)
                let message = (response.json?["error"] as? [String: Any])?["message"] as? String ?? ""
                XCTAssertTrue(message.contains(item.mentions), "\(item.body): \(message)")
            }
            XCTAssertEqual(server.stats().badRequests, cases.count)
        }
    }

    func testGarbageHTTPGets400AndClose() throws {
        try withServer(fastConfig()) { server in
            let client = try RawHTTPClient(port: server.port)
            try client.sendRaw("THIS IS NOT HTTP\r\n\r\n")
            let response = client.readResponse()
            XCTAssertEqual(response.status, 400)
            XCTAssertEqual(client.readResponse().ending, .eof)
        }
    }

    func testManyRequestsOnOneConnectionAndPipelining() throws {
        try withServer(fastConfig(itl: 0.001)) { server in
            let client = try RawHTTPClient(port: server.port)
            for _ in 0..<50 {
                XCTAssertEqual(tokenEvents(try client.post("/v1/completions", completionBody(maxTokens: 2))).count, 2)
            }
            // Two requests in one write: answered in order on the same connection.
            let first = RawHTTPClient.requestText("POST", "/v1/completions", body: completionBody(maxTokens: 3))
            let second = RawHTTPClient.requestText("GET", "/health")
            try client.sendRaw(first + second)
            XCTAssertEqual(tokenEvents(client.readResponse()).count, 3)
            XCTAssertEqual(client.readResponse().text, "ok")
            XCTAssertEqual(server.stats().connectionsOpened, 1)
        }
    }

    func testExpectContinueIsAnswered() throws {
        try withServer(fastConfig()) { server in
            let client = try RawHTTPClient(port: server.port, timeout: 0.5)
            let body = completionBody(maxTokens: 2, stream: false)
            try client.sendRaw("POST /v1/completions HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\n"
                               + "Content-Length: \(body.utf8.count)\r\n\r\n")
            let interim = client.readResponse()
            XCTAssertEqual(interim.status, 100)
            try client.sendRaw(body)
            XCTAssertEqual(client.readResponse().status, 200)
        }
    }

    func testConnectionCloseIsHonoured() throws {
        try withServer(fastConfig()) { server in
            let client = try RawHTTPClient(port: server.port)
            let response = try client.request("POST", "/v1/completions", body: completionBody(maxTokens: 2),
                                              extraHeaders: ["Connection: close"])
            XCTAssertEqual(tokenEvents(response).count, 2)
            XCTAssertEqual(client.readResponse().ending, .eof, "the server closes after the reply")
        }
    }

    func testHTTP10StreamEndsWithTheConnection() throws {
        try withServer(fastConfig()) { server in
            let client = try RawHTTPClient(port: server.port)
            let body = completionBody(maxTokens: 3)
            try client.sendRaw("POST /v1/completions HTTP/1.0\r\nContent-Length: \(body.utf8.count)\r\n\r\n" + body)
            let response = client.readResponse()
            XCTAssertEqual(response.status, 200)
            XCTAssertNil(response.headers["transfer-encoding"])
            XCTAssertEqual(tokenEvents(response).count, 3)
            XCTAssertEqual(response.events.last?.data, "[DONE]")
        }
    }
}
