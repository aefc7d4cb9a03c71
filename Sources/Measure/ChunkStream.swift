import Metrics

/// The reading of one streamed (SSE) reply: events split by ``SSEParser``, each event's
/// chunk JSON read by ``OpenAIChunk``, an arrival time per content chunk. One piece for
/// every reader: ``StreamingRequest`` reads each streamed reply with it, and the ingest
/// benchmark (``ChunkReaderProbe``) times it without AsyncHTTPClient around it.
struct ChunkStream {
    private var parser = SSEParser()
    /// Keep the answer's text (`keep_responses`); else only whether a chunk has any.
    let keepText: Bool
    /// The answer so far (only with `keepText`).
    private(set) var text = ""
    private(set) var finishReason: String?
    /// The stream's `[DONE]` arrived.
    private(set) var sawDone = false
    /// The first malformed chunk or in-stream error.
    private(set) var failure: (ErrorKind, String)?
    /// Arrival of the first content chunk (monotonic nanoseconds).
    private(set) var firstArrival: UInt64?
    /// Arrival of every content chunk, seconds after the send.
    private(set) var chunkTimes: [Double] = []
    /// The server's `usage`, when a chunk carried it.
    private(set) var promptTokens: Int?
    private(set) var completionTokens: Int?

    init(keepText: Bool) { self.keepText = keepText }

    /// One body part, read at `arrival`; chunk times count from `sentNanos`.
    @inline(__always)
    mutating func feed(_ bytes: UnsafeRawBufferPointer, arrival: UInt64, sentNanos: UInt64) {
        // The parser is moved out while it calls back into this stream (no overlapping access);
        // swapped, not copied, so its buffers stay uniquely held and are not copied on write.
        var p = SSEParser()
        swap(&p, &parser)
        p.feed(bytes) { event in handle(event: event, arrival: arrival, sentNanos: sentNanos) }
        swap(&p, &parser)
    }

    /// The end of the body: a last event without its blank line still counts.
    mutating func finish(arrival: UInt64, sentNanos: UInt64) {
        var p = SSEParser()
        swap(&p, &parser)
        p.finish { event in handle(event: event, arrival: arrival, sentNanos: sentNanos) }
        swap(&p, &parser)
    }

    /// Writes what the stream carried into `record` (the first token on `clock`).
    func fill(_ record: inout RequestRecord, clock: RunClock) {
        record.firstToken = firstArrival.map { clock.seconds($0) }
        record.chunkTimes = chunkTimes
        if let promptTokens { record.inputTokens = promptTokens }
        if let completionTokens { record.outputTokens = completionTokens }
    }

    private mutating func handle(event data: UnsafeBufferPointer<UInt8>, arrival: UInt64, sentNanos: UInt64) {
        if data.isEmpty { return }  // an empty data line is a keep-alive, not a chunk
        if data.elementsEqual(OpenAIChunk.done) { sawDone = true; return }
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
