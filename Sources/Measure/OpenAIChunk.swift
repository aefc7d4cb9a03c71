/// What one streamed chunk (or a whole non-streamed body) of an OpenAI-style
/// response says, read from its JSON.
struct OpenAIChunk: Equatable {
    /// Generated text in this chunk (`choices[0].text`, `delta.content`, or
    /// `delta.reasoning_content`); empty when the chunk carries none.
    var text: String = ""
    /// The answer part of `text` (`choices[0].text` or `delta.content`), without reasoning.
    var content: String = ""
    var finishReason: String?
    var promptTokens: Int?
    var completionTokens: Int?
    /// An `error` object sent inside the stream.
    var errorMessage: String?

    /// Whether an event's data is `[DONE]`: compared in place, without the array's lazy global.
    @inline(__always)
    static func isDone(_ data: UnsafeBufferPointer<UInt8>) -> Bool {
        data.count == 6 && data[0] == 0x5B && data[1] == 0x44 && data[2] == 0x4F && data[3] == 0x4E
            && data[4] == 0x45 && data[5] == 0x5D
    }

    /// Stands for a non-empty text that was not decoded (``parse(_:text:)`` with `text` false).
    static var unreadText: String { "…" }  // a literal: no lazy global per chunk

    /// Interprets one event's data. Throws for data that is not a JSON object.
    static func parse(_ data: [UInt8]) throws -> OpenAIChunk {
        try data.withUnsafeBufferPointer { try ChunkScanner.scan($0, text: true) }
    }

    /// Interprets one event's data in place. With `text` false, `text` and `content` are
    /// only "" or ``unreadText`` (whether the chunk carries any): a run that keeps no
    /// responses needs no more, and decoding every token's text is most of a chunk's cost.
    static func parse(_ data: UnsafeBufferPointer<UInt8>, text: Bool) throws -> OpenAIChunk {
        try ChunkScanner.scan(data, text: text)
    }
}
