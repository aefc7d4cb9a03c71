import AsyncHTTPClient
import Foundation
import Metrics
import NIOCore
import NIOHTTP1
import NIOPosix

/// One request in flight: reads the response as it arrives (SSE or one JSON
/// body), timestamps every content chunk on arrival, and produces exactly one
/// `RequestRecord`. A ``RequestSender`` puts it on the wire and calls its
/// `request…`/`response…`/`failed` methods; every call runs on the request's event
/// loop, so its state needs no lock.
final class StreamingRequest: @unchecked Sendable {
    private let clock: RunClock
    /// Asked for a stream, and the server answered with one (text/event-stream).
    private var streamed: Bool
    private let keepResponse: Bool
    private let eventLoop: EventLoop
    private let onFinish: @Sendable (RequestRecord) -> Void
    /// Explains TLS and proxy failures in sentences (nil: the generic classification).
    private let context: ConnectionContext?

    private var record: RequestRecord
    /// When the client started the request; timeouts count from here.
    private let startNanos: UInt64
    /// When the head of the request that is answered was written (until then, the start):
    /// TTFT and chunk times count from here, so connection set-up is outside them
    /// for fresh and reused connections alike.
    @exclusivity(unchecked) private var sentNanos: UInt64  // read per body part; see `stream`
    /// Sends this request again on a fresh connection (set by the load runner); used at most once.
    var resend: ((StreamingRequest) -> Void)?
    /// Any byte of the response arrived (head or body).
    private var answered = false
    /// A streamed reply as it is read. Fed on every body part; all access is on the request's
    /// loop and never reentrant, so the per-access runtime exclusivity check (about 5 % of a
    /// streamed chunk's cost) is left out.
    @exclusivity(unchecked) private var stream: ChunkStream
    /// The reply is a stream with status 200: body parts go to `stream` (set from the head).
    @exclusivity(unchecked) private var readsStream = false
    private var body: [UInt8] = []
    /// A whole (not streamed) reply's text and finish reason.
    private var text = ""
    private var finishReason: String?
    /// Where a redirect (3xx) points: said in the error, since requests are not redirected.
    private var redirect: String?
    /// Our own failure (a timeout, a cancel, a bad whole body); the stream keeps its own.
    private var failure: (ErrorKind, String)?
    private var finished = false
    private var timers: [Scheduled<Void>] = []
    /// Stops the send in progress (set by the sender, on the request's loop).
    var cancelSend: (() -> Void)?

    init(index: Int, intended: Double?, maxTokens: Int, clock: RunClock, streamed: Bool, keepResponse: Bool,
         eventLoop: EventLoop, context: ConnectionContext? = nil, onFinish: @escaping @Sendable (RequestRecord) -> Void) {
        self.context = context
        self.clock = clock
        self.streamed = streamed
        self.keepResponse = keepResponse
        stream = ChunkStream(keepText: keepResponse)
        self.eventLoop = eventLoop
        self.onFinish = onFinish
        startNanos = RunClock.nowNanos()
        sentNanos = startNanos
        record = RequestRecord(index: index, intended: intended, sent: clock.seconds(startNanos), status: .error,
                               maxTokens: maxTokens)
    }

    /// Arms the first-token and total timeouts (on the request's event loop).
    func armTimeouts(firstToken: Double, total: Double) {
        guard !finished else { return }
        let base = startNanos
        // Only a stream has a first token before its end; a whole body has just the total timeout.
        timers.append(eventLoop.scheduleTask(deadline: .uptimeNanoseconds(base + UInt64(firstToken * 1e9))) { [self] in
            if streamed && stream.firstArrival == nil { abort(.timeoutFirstToken, "no token within \(firstToken) s") }
        })
        timers.append(eventLoop.scheduleTask(deadline: .uptimeNanoseconds(base + UInt64(total * 1e9))) { [self] in
            abort(.timeoutTotal, "not finished within \(total) s")
        })
    }

    /// The send time on the run's clock.
    var sentTime: Double { record.sent }

    /// Cancels from another thread (a stop): hops to the request's loop.
    func cancelFromOutside() {
        eventLoop.execute { self.abort(.cancelled, "cancelled") }
    }

    /// The request could not even be built or started.
    func failBeforeSending(_ error: Error) {
        failure = (.other, "could not send: \(error)")
        finish(at: RunClock.nowNanos(), error: error)
    }

    /// Stops the request with an error of our own (timeouts, cancellation).
    func abort(_ kind: ErrorKind, _ message: String) {
        guard !finished else { return }
        // A timeout or cancellation always ends the request, even after a
        // malformed chunk was seen; the record keeps the first failure.
        if failure == nil { failure = stream.failure ?? (kind, message) }
        cancelSend?()
    }

    // MARK: what the sender reports

    /// The request's head was flushed onto the connection (the body follows): the request
    /// is on the wire, and the server cannot have it all yet.
    func requestWritten() {
        guard !answered, !finished else { return }
        let now = RunClock.nowNanos()
        sentNanos = now
        record.sent = clock.seconds(now)
    }

    func responseHead(_ head: HTTPResponseHead) {
        answered = true
        record.httpStatus = Int(head.status.code)
        if (300..<400).contains(head.status.code) { redirect = head.headers.first(name: "location") }
        // A server that answers a stream request with something else (an HTML
        // error page, a plain JSON body) is read as a whole body instead.
        if streamed, let type = head.headers.first(name: "content-type"), !type.lowercased().contains("event-stream") {
            streamed = false
        }
        readsStream = streamed && record.httpStatus == 200
    }

    func responseBody(_ buffer: ByteBuffer) {
        let arrival = RunClock.nowNanos()
        if readsStream {
            buffer.withUnsafeReadableBytes { bytes in stream.feed(bytes, arrival: arrival, sentNanos: sentNanos) }
        } else if body.count < 1 << 22 {
            body.append(contentsOf: buffer.readableBytesView)
        }
    }

    func responseEnd() {
        let end = RunClock.nowNanos()
        if streamed && record.httpStatus == 200 { stream.finish(arrival: end, sentNanos: sentNanos) }
        finish(at: end, error: nil)
    }

    func failed(_ error: Error) {
        // A connection that closed before any byte of the reply came back did not serve
        // this request (typically a pooled connection the server had already closed, as
        // llama-server does after each stream). Sending it again once, on a fresh
        // connection, is what mature HTTP clients do with a stale pooled connection.
        if !answered, !finished, failure == nil, let again = resend, Self.closedBeforeReply(error) {
            resend = nil
            again(self)
            return
        }
        finish(at: RunClock.nowNanos(), error: error)
    }

    /// Errors that mean the connection went away under an unanswered request: neither a
    /// refused or timed-out connect nor a cancellation, which are final.
    static func closedBeforeReply(_ error: Error) -> Bool {
        if error is ConnectionClosedEarly { return true }
        if let e = error as? HTTPClientError {
            return e == .remoteConnectionClosed
        }
        if let e = error as? ChannelError {
            return e == .ioOnClosedChannel || e == .eof || e == .alreadyClosed || e == .outputClosed
        }
        if let e = error as? IOError {
            return e.errnoCode == ECONNRESET || e.errnoCode == EPIPE
        }
        return false
    }

    // MARK: reading

    private func readWholeBody(arrival: UInt64) {
        guard failure == nil else { return }
        let chunk: OpenAIChunk
        do { chunk = try OpenAIChunk.parse(body) } catch {
            let preview = String(decoding: body.prefix(80), as: UTF8.self)
            let looksJSON = body.first { !($0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09) }.map { $0 == UInt8(ascii: "{") || $0 == UInt8(ascii: "[") } ?? false
            failure = looksJSON ? (.malformed, "response is not valid JSON: \(preview)")
                                : (.nonJSON, "response is not JSON: \(preview)")
            return
        }
        if let m = chunk.errorMessage { failure = (.other, "error: \(m)"); return }
        record.firstToken = clock.seconds(arrival)
        record.chunkTimes = [Double(arrival - sentNanos) / 1e9]
        if keepResponse { text = chunk.content }
        finishReason = chunk.finishReason
        record.inputTokens = chunk.promptTokens
        record.outputTokens = chunk.completionTokens
    }

    // MARK: the one record

    private func finish(at end: UInt64, error: Error?) {
        guard !finished else { return }
        finished = true
        for t in timers { t.cancel() }
        record.ended = clock.seconds(end)
        if streamed {
            stream.fill(&record, clock: clock)
            if failure == nil { failure = stream.failure }
            text = stream.text
            finishReason = stream.finishReason
        }
        if let status = record.httpStatus, status != 200 {
            record.errorKind = status == 429 ? .http429 : (status >= 500 ? .http5xx : .http4xx)
            let detail = String(decoding: body.prefix(200), as: UTF8.self)
            if (300..<400).contains(status) {
                // A POST is not redirected (a client may not replay its body elsewhere unasked);
                // the usual cause is an http URL for an https gateway.
                record.error = "HTTP \(status): the server redirects to \(redirect ?? "(no Location given)"); "
                    + "requests are not redirected: point the target's url at where it redirects"
            } else {
                record.error = "HTTP \(status)" + (detail.isEmpty ? "" : ": \(detail)")
            }
        } else if let (kind, message) = failure {
            record.errorKind = kind
            record.error = message
        } else if let error {
            // Before any reply, a TLS or proxy failure is explained with what the run knows of its route.
            let explained = record.httpStatus == nil ? context?.explain(error) : nil
            let (kind, message) = explained ?? Self.classify(error, gotHead: record.httpStatus != nil)
            record.errorKind = kind
            record.error = message
        } else {
            if !streamed { readWholeBody(arrival: end) }
            if let (kind, message) = failure {
                record.errorKind = kind
                record.error = message
            } else {
                complete()
            }
        }
        if record.errorKind != nil { record.status = .error }
        if keepResponse, !text.isEmpty { record.response = text }
        onFinish(record)
    }

    /// A response that ended without error: ok, or truncated when it stopped
    /// short of what was asked without saying why.
    private func complete() {
        if record.outputTokens == nil {
            record.outputTokens = record.chunkTimes.count
            record.tokensApproximate = true
        }
        if record.chunkTimes.isEmpty && (record.outputTokens ?? 0) == 0 {
            record.status = .error
            record.errorKind = .malformed
            record.error = "response ended with no content" + (stream.sawDone || !streamed ? "" : " and no [DONE]")
            return
        }
        let stoppedNormally = finishReason == "stop" || finishReason == "length"
        let short = (record.outputTokens ?? 0) < (record.maxTokens ?? 0)
        if !stoppedNormally && short {
            record.status = .truncated
            record.error = "stream ended after \(record.outputTokens ?? 0) of \(record.maxTokens ?? 0) tokens"
                + " with finish_reason \(finishReason ?? "null")"
        } else {
            record.status = .ok
        }
    }

    /// A connection failure in words: NIO's own text ("connection reset (error set):
    /// Connection refused) (errno: 111)") reads as something else.
    static func connectMessage(_ text: String) -> String {
        if text.contains("efused") || text.contains("ECONNREFUSED") || text.contains("errno: 111") {
            return "connection refused (is the server running and listening on that port?)"
        }
        if text.contains("nreachable") { return "network unreachable: \(text)" }
        if text.contains("resolve") || text.contains("getaddrinfo") { return "cannot resolve the host name: \(text)" }
        return "could not connect: \(text)"
    }

    static func classify(_ error: Error, gotHead: Bool) -> (ErrorKind, String) {
        let text = String(describing: error)
        if error is ConnectionClosedEarly {
            return (.reset, gotHead ? "connection closed by the server mid-response" : "connection closed by the server before any reply")
        }
        if error is SendCancelled { return (.cancelled, "cancelled") }
        if let e = error as? ChannelError, case .connectTimeout = e { return (.timeoutConnect, "connect timed out") }
        if let e = error as? HTTPClientError {
            switch e {
            case .connectTimeout: return (.timeoutConnect, "connect timed out")
            case .deadlineExceeded, .readTimeout: return (.timeoutTotal, text)
            case .cancelled: return (.cancelled, "cancelled")
            case .remoteConnectionClosed: return (.reset, "connection closed by the server mid-response")
            default: break
            }
        }
        if error is NIOConnectionError || text.contains("connectionRefused") || text.contains("Connection refused")
            || text.contains("ECONNREFUSED") || text.contains("unreachable") || text.contains("resolve") {
            return (gotHead ? .reset : .connect, connectMessage(text))
        }
        if text.contains("SSL") || text.contains("TLS") || text.contains("handshake") { return (.tls, text) }
        if gotHead || text.contains("reset") || text.contains("EOF") || text.contains("closed") { return (.reset, text) }
        return (.other, text)
    }
}
