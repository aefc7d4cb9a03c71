/// How a ``TestServer`` behaves: where it listens, how fast it "generates", and which faults it injects.
///
/// Every field has a default, so `TestServerConfig()` is a working server on a free loopback port.
public struct TestServerConfig: Sendable {
    /// Address to listen on.
    public var host: String = "127.0.0.1"
    /// Port to listen on; 0 picks a free port (read it back from ``TestServer/port``).
    public var port: Int = 0
    /// Seconds from request received to the first token.
    public var ttft: Double = 0.05
    /// Seconds between consecutive tokens.
    public var itl: Double = 0.01
    /// Tokens generated when the request names no `max_tokens`.
    public var defaultMaxTokens: Int = 16
    /// The model listed by `/v1/models` and echoed when a request names none.
    public var model: String = "frontier-test"
    /// Where `usage` goes in a stream whose request sets `stream_options.include_usage`.
    public var usage: UsageMode = .finalChunk
    /// Faults to inject, checked in order for each generation request.
    public var faults: [Fault] = []
    /// Event loop threads.
    public var threads: Int = 1
    /// Extra or replacing series for `GET /metrics` (a simulated server's queue and KV
    /// cache); called on an event loop at each scrape.
    public var metrics: (@Sendable () -> [MetricSample])?
    /// Paces generation replies instead of ``ttft`` and ``itl`` (a simulated engine);
    /// nil keeps the fixed timing. See ``TokenPacer``.
    public var pacer: (any TokenPacer)?
    /// What happens to a connection after a reply (real servers differ; see ``ConnectionBehaviour``).
    public var connection: ConnectionBehaviour = .keepAlive
    /// Serve https with these files (nil: plain http), to test clients against private CAs and mutual TLS.
    public var tls: TestServerTLS?
    /// With ``ConnectionBehaviour/closeAfterStream``: seconds from the end of a streamed reply
    /// to the close. A request that arrives in that window is never read or answered, as with
    /// llama-server, so a client that reuses the connection loses it.
    public var closeDelay: Double = 0.01
    /// How prompts are counted (`usage.prompt_tokens`, `POST /tokenize`).
    public var tokenizer: TestTokenizer = .words
    /// Which engine the server presents itself as: `/v1/models`' `owned_by`, the `Server`
    /// header, `/version`, and the names of its `/metrics` series.
    public var engine: TestEngine = .frontier

    /// When set, the server answers the last arithmetic question in each prompt (`a + b`,
    /// `a - b`, `a * b`) in the reply's last token, right with this probability
    /// (``ArithmeticAnswer``); nil sends only filler tokens.
    public var accuracy: Double?
    /// Reference solutions of code problems, prompt → body (HumanEval's `prompt` and
    /// `canonical_solution`): with `accuracy` set, a prompt containing one of these prompts
    /// is answered with that function, right with probability `accuracy` (``StandInAnswer``).
    /// The stand-in is given the answers; the scorer still runs what it sends.
    public var solutions: [String: String] = [:]
    /// When true, the reply's last token says what the request carried:
    /// `[received 3 messages, 42 tokens]` (chat: one text per message; completions: one
    /// prompt), so a client can check that a conversation's history was sent.
    public var echo = false

    /// A configuration with every field at its default.
    public init() {}

    /// Throws ``TestServerError/invalidConfig(_:)`` naming the first bad field.
    func validate() throws {
        func fail(_ message: String) -> TestServerError { .invalidConfig(message) }
        guard ttft.isFinite, ttft >= 0 else { throw fail("ttft must be a finite number >= 0, got \(ttft)") }
        guard itl.isFinite, itl >= 0 else { throw fail("itl must be a finite number >= 0, got \(itl)") }
        // Deadlines are integer nanoseconds; a day keeps every product far from overflow.
        guard ttft <= 86_400, itl <= 86_400 else { throw fail("ttft and itl must be at most 86400 seconds") }
        guard defaultMaxTokens >= 1 else { throw fail("defaultMaxTokens must be >= 1, got \(defaultMaxTokens)") }
        guard (0...65_535).contains(port) else { throw fail("port must be in 0...65535, got \(port)") }
        guard (1...256).contains(threads) else { throw fail("threads must be in 1...256, got \(threads)") }
        guard !host.isEmpty else { throw fail("host must not be empty") }
        guard closeDelay.isFinite, (0...60).contains(closeDelay) else {
            throw fail("closeDelay must be in 0...60 seconds, got \(closeDelay)")
        }
        if let accuracy, !(accuracy.isFinite && (0...1).contains(accuracy)) {
            throw fail("accuracy must be in 0...1, got \(accuracy)")
        }
        for fault in faults where !(fault.fraction.isFinite && (0...1).contains(fault.fraction)) {
            throw fail("fault \(fault.kind.rawValue) has fraction \(fault.fraction); expected 0...1")
        }
    }
}

/// Where a stream's token `usage` goes when the request asks for it with `stream_options.include_usage`.
public enum UsageMode: String, Sendable, CaseIterable {
    /// Inside the last chunk, together with its choices (llama.cpp's completions endpoint).
    case finalChunk = "final"
    /// In an extra chunk with empty `choices` after the last token (OpenAI, vLLM).
    case separateChunk = "separate"
    /// Never (llama-cpp-python).
    case none
}

/// How the test server counts a prompt's tokens.
public enum TestTokenizer: String, Sendable, CaseIterable {
    /// One token per whitespace-separated word.
    case words
    /// Like a subword tokenizer: letters in runs of up to six per token, every digit and
    /// every other symbol a token of its own, and one special (BOS) token per prompt, so
    /// frontier's prompt of 64 words is about 71 tokens (llama.cpp's made 67–72).
    case subword

    /// Tokens of `text`, without the special token.
    func count(_ text: String) -> Int {
        if self == .words {
            var count = 0, inWord = false
            for byte in text.utf8 {
                let blank = byte == 0x20 || byte == 0x0A || byte == 0x09 || byte == 0x0D
                if !blank && !inWord { count += 1 }
                inWord = !blank
            }
            return count
        }
        var count = 0, letters = 0
        for byte in text.utf8 {
            let letter = (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || byte >= 0x80
            if letter {
                letters += 1
                continue
            }
            count += (letters + 5) / 6
            letters = 0
            let blank = byte == 0x20 || byte == 0x0A || byte == 0x09 || byte == 0x0D
            if !blank { count += 1 }
        }
        return count + (letters + 5) / 6
    }

    /// Special tokens a prompt starts with.
    var special: Int { self == .words ? 0 : 1 }
}

/// The engine a test server presents itself as (for engine identification and metrics names).
public enum TestEngine: String, Sendable, CaseIterable {
    /// Itself: `owned_by` "frontier", vLLM's metric names, no `Server` header.
    case frontier
    /// vLLM: `owned_by` "vllm", `GET /version`, vLLM's metric names.
    case vllm
    /// llama-server: `owned_by` "llamacpp", `Server: llama.cpp`, `llamacpp:` metric names.
    case llamacpp
}

/// What a server does with a connection after a reply.
public enum ConnectionBehaviour: String, Sendable, CaseIterable {
    /// Keeps it open for the next request (HTTP/1.1's default) unless the client asks to close.
    case keepAlive = "keep_alive"
    /// llama-server's way: answers `Keep-Alive: timeout=5, max=5` (no `Connection: close`),
    /// then closes the connection shortly after each streamed reply without reading the
    /// next request. Non-streamed replies keep the connection.
    case closeAfterStream = "close_after_stream"
    /// Sends `Connection: close` on every reply and closes after it.
    case close
}

/// Errors from starting a ``TestServer``.
/// TLS for the test server: its certificate (chain) and key as PEM files and, for mutual
/// TLS, a PEM bundle of the CAs whose client certificates it requires.
public struct TestServerTLS: Sendable, Equatable {
    public var certFile: String
    public var keyFile: String
    /// With it, a connection without a client certificate issued by one of these CAs is refused.
    public var clientCAFile: String?

    public init(certFile: String, keyFile: String, clientCAFile: String? = nil) {
        self.certFile = certFile
        self.keyFile = keyFile
        self.clientCAFile = clientCAFile
    }
}

public enum TestServerError: Error, CustomStringConvertible, Equatable {
    /// A configuration field is out of range; the message names it.
    case invalidConfig(String)
    /// Binding the listening socket failed.
    case bindFailed(host: String, port: Int, reason: String)

    public var description: String {
        switch self {
        case .invalidConfig(let message):
            return "invalid test server configuration: \(message)"
        case .bindFailed(let host, let port, let reason):
            return "test server could not listen on \(host):\(port): \(reason)"
        }
    }
}
