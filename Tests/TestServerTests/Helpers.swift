import Foundation
import TestServer
import XCTest

/// A config for fast tests: no waiting unless a test asks for it.
func fastConfig(ttft: Double = 0, itl: Double = 0) -> TestServerConfig {
    var config = TestServerConfig()
    config.ttft = ttft
    config.itl = itl
    return config
}

/// Starts a server, runs `body`, and always stops the server.
func withServer<T>(_ config: TestServerConfig, _ body: (TestServer) throws -> T) throws -> T {
    let server = try TestServer.start(config)
    defer { server.stop() }
    return try body(server)
}

/// A completions request body.
func completionBody(maxTokens: Int? = 5, stream: Bool = true, includeUsage: Bool? = nil,
                    prompt: String = "hello there world", model: String? = nil) -> String {
    var fields = [#""prompt":\#(jsonQuote(prompt))"#, #""stream":\#(stream)"#]
    if let maxTokens { fields.append(#""max_tokens":\#(maxTokens)"#) }
    if let includeUsage { fields.append(#""stream_options":{"include_usage":\#(includeUsage)}"#) }
    if let model { fields.append(#""model":\#(jsonQuote(model))"#) }
    return "{" + fields.joined(separator: ",") + "}"
}

/// A chat request body.
func chatBody(maxTokens: Int = 4, stream: Bool = true, includeUsage: Bool? = nil) -> String {
    var fields = [#""messages":[{"role":"system","content":"be brief"},{"role":"user","content":"say three words"}]"#,
                  #""stream":\#(stream)"#, #""max_completion_tokens":\#(maxTokens)"#]
    if let includeUsage { fields.append(#""stream_options":{"include_usage":\#(includeUsage)}"#) }
    return "{" + fields.joined(separator: ",") + "}"
}

func jsonQuote(_ text: String) -> String {
    let data = (try? JSONSerialization.data(withJSONObject: [text], options: [.fragmentsAllowed])) ?? Data()
    let array = String(decoding: data, as: UTF8.self)  // ["..."]
    return String(array.dropFirst().dropLast())
}

/// The single choice of a chunk or body.
func firstChoice(_ object: [String: Any]?) -> [String: Any]? {
    (object?["choices"] as? [[String: Any]])?.first
}

/// Polls `condition` until it holds or `timeout` passes (stats settle on the server's loop).
func eventually(timeout: Double = 2, _ condition: () -> Bool) -> Bool {
    let end = monotonicNow() + timeout
    while monotonicNow() < end {
        if condition() { return true }
        usleep(5_000)
    }
    return condition()
}

/// Token events of a stream: those whose JSON has a non-empty `choices`.
func tokenEvents(_ response: RawResponse) -> [SSEEvent] {
    response.events.filter { event in
        guard let choices = event.json?["choices"] as? [[String: Any]] else { return false }
        return !choices.isEmpty
    }
}
