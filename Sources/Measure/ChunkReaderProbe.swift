import Metrics
import NIOCore

/// Benchmark only (`frontier core-bench --ingest`): frontier's reading of one streamed
/// body, the same steps as ``StreamingRequest``'s body path (SSE events, each event's
/// chunk JSON without decoding text, a time per content chunk into a record), without
/// AsyncHTTPClient around it. It lets the benchmark time a leaner transport with the
/// parsing cost frontier pays; no measurement uses it.
public final class ChunkReaderProbe {
    private let clock: RunClock
    private let sentNanos: UInt64
    private var parser = SSEParser()
    private var record: RequestRecord
    private var finishReason: String?
    private var sawDone = false
    /// The first malformed chunk or in-stream error, as the record would carry it.
    public private(set) var failure: String?

    /// `sentNanos`: when the request was written (monotonic, as `NIODeadline.now()`).
    public init(sentNanos: UInt64, maxTokens: Int) {
        clock = RunClock()
        self.sentNanos = sentNanos
        record = RequestRecord(index: 0, sent: clock.seconds(sentNanos), status: .error, maxTokens: maxTokens)
    }

    /// Content chunks timed so far.
    public var chunks: Int { record.chunkTimes.count }

    /// Whether the stream ended as a complete one would: `[DONE]` and a finish reason.
    public var complete: Bool { sawDone && finishReason != nil && failure == nil }

    /// One body part, read at `arrival`.
    public func feed(_ buffer: ByteBuffer, arrival: UInt64) {
        buffer.withUnsafeReadableBytes { bytes in
            parser.feed(bytes) { event in handle(event: event, arrival: arrival) }
        }
    }

    /// The end of the body.
    public func finish(arrival: UInt64) {
        parser.finish { event in handle(event: event, arrival: arrival) }
    }

    // As StreamingRequest.handle(event:arrival:) with keepResponse false.
    private func handle(event data: UnsafeBufferPointer<UInt8>, arrival: UInt64) {
        if data.isEmpty { return }
        if data.elementsEqual(OpenAIChunk.done) { sawDone = true; return }
        let chunk: OpenAIChunk
        do { chunk = try OpenAIChunk.parse(data, text: false) } catch {
            if failure == nil { failure = "malformed chunk (\(error))" }
            return
        }
        if let m = chunk.errorMessage, failure == nil { failure = "error in stream: \(m)" }
        if !chunk.text.isEmpty {
            let t = clock.seconds(arrival)
            if record.firstToken == nil { record.firstToken = t }
            record.chunkTimes.append(Double(arrival - sentNanos) / 1e9)
        }
        if let f = chunk.finishReason { finishReason = f }
        if let p = chunk.promptTokens { record.inputTokens = p }
        if let c = chunk.completionTokens { record.outputTokens = c }
    }
}
