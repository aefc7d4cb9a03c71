import Metrics
import NIOCore

/// Benchmark only (`frontier core-bench --ingest`): frontier's reading of one streamed
/// body — the same ``ChunkStream`` that ``StreamingRequest`` reads every streamed reply
/// with (responses not kept) — without a client around it, so the benchmark can time
/// the parsing cost frontier pays on NIO's decoder alone. No measurement uses it.
public final class ChunkReaderProbe {
    /// Unchecked as in `StreamingRequest`: used on one loop, never reentrantly.
    @exclusivity(unchecked) private var stream = ChunkStream(keepText: false)
    private let sentNanos: UInt64

    /// `sentNanos`: when the request was written (monotonic, as `NIODeadline.now()`).
    public init(sentNanos: UInt64) {
        self.sentNanos = sentNanos
    }

    /// Content chunks timed so far.
    public var chunks: Int { stream.chunkTimes.count }

    /// The first malformed chunk or in-stream error, as the record would carry it.
    public var failure: String? { stream.failure?.1 }

    /// Whether the stream ended as a complete one would: `[DONE]` and a finish reason.
    public var complete: Bool { stream.sawDone && stream.finishReason != nil && stream.failure == nil }

    /// One body part, read at `arrival`.
    public func feed(_ buffer: ByteBuffer, arrival: UInt64) {
        buffer.withUnsafeReadableBytes { bytes in stream.feed(bytes, arrival: arrival, sentNanos: sentNanos) }
    }

    /// The end of the body.
    public func finish(arrival: UInt64) {
        stream.finish(arrival: arrival, sentNanos: sentNanos)
    }
}
