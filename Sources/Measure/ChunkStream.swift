import Metrics

/// The reading of one streamed (SSE) reply: events split by ``SSEParser``, each event's
/// chunk JSON read by ``OpenAIChunk``, an arrival time per content chunk. One piece for
/// every reader: ``StreamingRequest`` reads each streamed reply with it, and the ingest
/// benchmark (``ChunkReaderProbe``) times it without AsyncHTTPClient around it.
struct ChunkStream {
    private var parser = SSEParser()
    /// What the events said; apart from `parser` so that the parser can call back into it
    /// without moving itself out (disjoint stored properties: no overlapping access).
    private var state: State
    /// Keep the answer's text (`keep_responses`); else only whether a chunk has any.
    let keepText: Bool
    /// The answer so far (only with `keepText`).
    var text: String { state.text }
    var finishReason: String? { state.finishReason }
    /// The stream's `[DONE]` arrived.
    var sawDone: Bool { state.sawDone }
    /// The first malformed chunk or in-stream error.
    var failure: (ErrorKind, String)? { state.failure }
    /// Arrival of the first content chunk (monotonic nanoseconds).
    var firstArrival: UInt64? { state.firstArrival }
    /// Arrival of every content chunk, seconds after the send.
    var chunkTimes: [Double] { state.chunkTimes }
    /// The server's `usage`, when a chunk carried it.
    var promptTokens: Int? { state.promptTokens }
    var completionTokens: Int? { state.completionTokens }

    init(keepText: Bool) {
        self.keepText = keepText
        state = State(keepText: keepText)
    }

    /// One body part, read at `arrival`; chunk times count from `sentNanos`.
    @inline(__always)
    mutating func feed(_ bytes: UnsafeRawBufferPointer, arrival: UInt64, sentNanos: UInt64) {
        parser.feed(bytes) { event in state.handle(event: event, arrival: arrival, sentNanos: sentNanos) }
    }

    /// The end of the body: a last event without its blank line still counts.
    mutating func finish(arrival: UInt64, sentNanos: UInt64) {
        parser.finish { event in state.handle(event: event, arrival: arrival, sentNanos: sentNanos) }
    }

    /// Writes what the stream carried into `record` (the first token on `clock`).
    func fill(_ record: inout RequestRecord, clock: RunClock) {
        record.firstToken = state.firstArrival.map { clock.seconds($0) }
        record.chunkTimes = state.chunkTimes
        if let promptTokens = state.promptTokens { record.inputTokens = promptTokens }
        if let completionTokens = state.completionTokens { record.outputTokens = completionTokens }
    }

    private struct State {
        let keepText: Bool
        var text = ""
        var finishReason: String?
        var sawDone = false
        var failure: (ErrorKind, String)?
        var firstArrival: UInt64?
        var chunkTimes: [Double] = []
        var promptTokens: Int?
        var completionTokens: Int?

        init(keepText: Bool) { self.keepText = keepText }

        mutating func handle(event data: UnsafeBufferPointer<UInt8>, arrival: UInt64, sentNanos: UInt64) {
            if data.isEmpty { return }  // an empty data line is a keep-alive, not a chunk
            if OpenAIChunk.isDone(data) { sawDone = true; return }
            let chunk: OpenAIChunk
            // The text itself only when the response is kept; else only whether there is any.
            do { chunk = try OpenAIChunk.parse(data, text: keepText) } catch {
                if failure == nil {
                    let preview = String(decoding: data.prefix(80), as: UTF8.self)
                    failure = (.malformed, "malformed chunk (\(error)): \(preview)")
                }
                return
            }
            if let m = chunk.errorMessage, failure == nil { failure = (.other, "error in stream: \(m)") }
            if !chunk.text.isEmpty {
                if firstArrival == nil { firstArrival = arrival }
                chunkTimes.append(Double(arrival - sentNanos) / 1e9)
                if keepText { text += chunk.content }  // the answer only, not reasoning
            }
            if let f = chunk.finishReason { finishReason = f }
            if let p = chunk.promptTokens { promptTokens = p }
            if let c = chunk.completionTokens { completionTokens = c }
        }
    }
}
