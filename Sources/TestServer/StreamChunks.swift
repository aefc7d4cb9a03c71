import NIOCore

/// The identity and size of one generation reply: what every chunk or body repeats.
struct ReplyIdentity {
    var flavor: APIFlavor
    var id: String
    var created: Int
    var model: String
    var promptTokens: Int
    var completionTokens: Int

    /// The last token's text when the server answers the prompt's question (nil: " tok").
    var answer: String?

    /// The text of one generated token.
    static let token = " tok"

    var object: String {
        switch flavor {
        case .completions: return "text_completion"
        case .chat: return "chat.completion.chunk"
        }
    }

    var usageJSON: String { Self.usageJSON(prompt: promptTokens, completion: completionTokens) }

    static func usageJSON(prompt: Int, completion: Int) -> String {
        #"{"prompt_tokens":\#(prompt),"completion_tokens":\#(completion),"total_tokens":\#(prompt + completion)}"#
    }

    /// `"id":…,"object":…,"created":…,"model":…` shared by every chunk and body.
    func header(object: String) -> String {
        #""id":\#(JSONText.quote(id)),"object":\#(JSONText.quote(object)),"created":\#(created),"model":\#(JSONText.quote(model))"#
    }
}

/// The framed bytes of every kind of event one stream can send, built once when it starts.
///
/// A middle token's chunk is identical for the whole stream, so writing it is writing the same
/// `ByteBuffer` again: NIO shares the storage, nothing is copied or allocated per token.
struct StreamChunks {
    /// A token that is neither first nor last.
    let middle: ByteBuffer
    /// The first token (chat adds `"role":"assistant"`); equal to ``middle`` for completions.
    let first: ByteBuffer
    /// The last token with `finish_reason: "length"`, any usage, `[DONE]` and the body's end.
    let last: ByteBuffer
    /// The injected `data: {not json` event.
    let malformed: ByteBuffer
    /// `[DONE]` and the body's end without a finish reason (the truncate fault).
    let truncatedEnd: ByteBuffer

    init(identity: ReplyIdentity, usage: UsageMode?, chunked: Bool, allocator: ByteBufferAllocator) {
        func framed(_ events: [String], end: Bool = false) -> ByteBuffer {
            var buffer = allocator.buffer(capacity: events.reduce(16) { $0 + $1.utf8.count + 16 })
            for event in events { HTTPWire.appendChunk(event, chunked: chunked, to: &buffer) }
            if end { HTTPWire.appendEnd(chunked: chunked, to: &buffer) }
            return buffer
        }
        let single = identity.completionTokens == 1
        middle = framed([Self.tokenEvent(identity, role: false, finish: false, usage: false)])
        first = identity.flavor == .chat
            ? framed([Self.tokenEvent(identity, role: true, finish: false, usage: false)])
            : middle
        var closing = [Self.tokenEvent(identity, role: single && identity.flavor == .chat, finish: true,
                                       usage: usage == .finalChunk)]
        if usage == .separateChunk {
            closing.append("data: {\(identity.header(object: identity.object)),\"choices\":[],\"usage\":\(identity.usageJSON)}\n\n")
        }
        closing.append("data: [DONE]\n\n")
        last = framed(closing, end: true)
        malformed = framed(["data: {not json\n\n"])
        truncatedEnd = framed(["data: [DONE]\n\n"], end: true)
    }

    private static func tokenEvent(_ identity: ReplyIdentity, role: Bool, finish: Bool, usage: Bool) -> String {
        let quotedToken = JSONText.quote(finish ? identity.answer ?? ReplyIdentity.token : ReplyIdentity.token)
        let finishReason = finish ? #""length""# : "null"
        let choice: String
        switch identity.flavor {
        case .completions:
            choice = #"{"index":0,"text":\#(quotedToken),"logprobs":null,"finish_reason":\#(finishReason)}"#
        case .chat:
            let delta = role ? #"{"role":"assistant","content":\#(quotedToken)}"# : #"{"content":\#(quotedToken)}"#
            choice = #"{"index":0,"delta":\#(delta),"logprobs":null,"finish_reason":\#(finishReason)}"#
        }
        let usageField = usage ? #","usage":\#(identity.usageJSON)"# : ""
        return "data: {\(identity.header(object: identity.object)),\"choices\":[\(choice)]\(usageField)}\n\n"
    }

    /// A non-streamed reply body with `tokens` tokens and the given finish reason.
    static func body(_ identity: ReplyIdentity, tokens: Int, finishReason: String) -> String {
        // A reply cut short (the truncate fault) never reaches its answer.
        let last = tokens == 0 ? "" : finishReason == "length" ? identity.answer ?? ReplyIdentity.token : ReplyIdentity.token
        let text = JSONText.quote(String(repeating: ReplyIdentity.token, count: max(0, tokens - 1)) + last)
        let usage = ReplyIdentity.usageJSON(prompt: identity.promptTokens, completion: tokens)
        switch identity.flavor {
        case .completions:
            return #"{\#(identity.header(object: "text_completion")),"choices":[{"index":0,"text":\#(text),"logprobs":null,"finish_reason":"\#(finishReason)"}],"usage":\#(usage)}"#
        case .chat:
            return #"{\#(identity.header(object: "chat.completion")),"choices":[{"index":0,"message":{"role":"assistant","content":\#(text)},"logprobs":null,"finish_reason":"\#(finishReason)"}],"usage":\#(usage)}"#
        }
    }
}
