import NIOCore
import NIOHTTP1

/// One HTTP/1.1 connection: collects requests, answers them one at a time in arrival order.
///
/// Requests that arrive while a reply is still streaming (pipelining) wait in a queue; keep-alive
/// connections serve any number of requests. When the peer goes away, the running job is
/// cancelled, which stops its scheduled writes.
final class ConnectionHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = ByteBuffer

    /// A request read in full (or up to the body limit).
    struct Request {
        var head: HTTPRequestHead
        var body: [UInt8] = []
        var received: NIODeadline
        var tooLarge = false
    }

    let core: ServerCore
    private var incoming: Request?
    private var waiting = CircularBuffer<Request>()
    private var job: ResponseJob?
    /// A reply is in progress (a job, or a stall); later requests wait.
    private var busy = false
    /// The connection is closing; nothing more is answered.
    private var closing = false

    init(core: ServerCore) {
        self.core = core
    }

    // MARK: - Channel events

    func channelActive(context: ChannelHandlerContext) {
        core.stats.connectionOpened()
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        closing = true
        waiting.removeAll()
        let running = job
        job = nil
        running?.cancel()
        core.stats.connectionClosed()
        context.fireChannelInactive()
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable { job?.resume() }
        context.fireChannelWritabilityChanged()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            // The deadline clock starts when the request arrives, as a client's does when it sends.
            incoming = Request(head: head, received: .now())
            // curl asks before sending bodies over 1 KiB and would wait a second for this.
            if head.headers[canonicalForm: "expect"].contains(where: { $0.lowercased() == "100-continue" }) {
                var continueHead = context.channel.allocator.buffer(capacity: 25)
                continueHead.writeStaticString("HTTP/1.1 100 Continue\r\n\r\n")
                context.writeAndFlush(wrapOutboundOut(continueHead), promise: nil)
            }
        case .body(var chunk):
            guard var request = incoming else { return }
            incoming = nil  // avoid a copy-on-write of the body array while appending
            if request.body.count + chunk.readableBytes > ServerCore.maxBodyBytes {
                request.tooLarge = true
            } else if let bytes = chunk.readBytes(length: chunk.readableBytes) {
                request.body.append(contentsOf: bytes)
            }
            incoming = request
        case .end:
            guard let request = incoming else { return }
            incoming = nil
            waiting.append(request)
            serveWaiting(context: context)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        // A request the decoder cannot parse leaves the stream unusable: answer if the
        // connection is idle, then close.
        if error is HTTPParserError, !busy, !closing {
            let body = JSONText.error("malformed HTTP request: \(error)", type: "invalid_request_error", code: 400)
            // Closes once the reply is out.
            return respond(context: context, status: .badRequest, contentType: "application/json", body: body,
                           keepAlive: false)
        }
        closing = true
        context.close(promise: nil)
    }

    // MARK: - Serving

    private func serveWaiting(context: ChannelHandlerContext) {
        while !busy, !closing, let request = waiting.popFirst() {
            serve(request, context: context)
        }
    }

    private func serve(_ request: Request, context: ChannelHandlerContext) {
        let path = request.head.uri.split(separator: "?", maxSplits: 1).first.map(String.init) ?? ""
        let keepAlive = keepsAlive(request)
        let endpoint = Endpoint(rawValue: path) ?? .other
        core.stats.request(endpoint)
        if request.tooLarge {
            return respondError(context: context, status: .payloadTooLarge,
                                message: "request body exceeds \(ServerCore.maxBodyBytes) bytes", keepAlive: false)
        }
        switch (request.head.method, endpoint) {
        case (.POST, .completions):
            startGeneration(request, flavor: .completions, context: context)
        case (.POST, .chatCompletions):
            startGeneration(request, flavor: .chat, context: context)
        case (.GET, .models):
            respond(context: context, status: .ok, contentType: "application/json",
                    body: Replies.models(core.config.model, ownedBy: core.config.engine.rawValue), keepAlive: keepAlive)
        case (.POST, .tokenize):
            do {
                let count = try Replies.tokenCount(request.body, tokenizer: core.config.tokenizer)
                respond(context: context, status: .ok, contentType: "application/json",
                        body: Replies.tokens(count), keepAlive: keepAlive)
            } catch {
                respondError(context: context, status: .badRequest, message: "\(error)", keepAlive: keepAlive)
            }
        case (.GET, .version) where core.config.engine == .vllm:
            respond(context: context, status: .ok, contentType: "application/json",
                    body: #"{"version":"0.0.0-frontier-test"}"#, keepAlive: keepAlive)
        case (.GET, .health):
            respond(context: context, status: .ok, contentType: "text/plain", body: "ok", keepAlive: keepAlive)
        case (.GET, .stats):
            respond(context: context, status: .ok, contentType: "application/json",
                    body: Replies.stats(core.stats.snapshot()), keepAlive: keepAlive)
        case (.GET, .metrics):
            respond(context: context, status: .ok, contentType: "text/plain; version=0.0.4",
                    body: Replies.prometheus(core.stats.snapshot(), model: core.config.model,
                                             extra: core.config.metrics?() ?? [], engine: core.config.engine),
                    keepAlive: keepAlive)
        case (_, .other):
            respondError(context: context, status: .notFound,
                         message: "no route for \(request.head.method.rawValue) \(path)", keepAlive: keepAlive)
        default:
            respondError(context: context, status: .methodNotAllowed,
                         message: "\(request.head.method.rawValue) is not allowed on \(path)", keepAlive: keepAlive)
        }
    }

    /// Whether the connection stays open after answering `request`: the client's wish, unless
    /// the server is configured to close after every reply.
    func keepsAlive(_ request: Request) -> Bool {
        request.head.isKeepAlive && core.config.connection != .close
    }

    /// Writes a complete response now; closes afterwards unless the connection stays open.
    func respond(context: ChannelHandlerContext, status: HTTPResponseStatus, contentType: String,
                 body: String, keepAlive: Bool) {
        let response = HTTPWire.response(status: status, contentType: contentType, body: body,
                                         keepAlive: keepAlive, server: core.serverHeader, allocator: context.channel.allocator)
        if keepAlive {
            context.writeAndFlush(wrapOutboundOut(response), promise: nil)
        } else {
            write(response, thenCloseWith: context)
        }
    }

    func respondError(context: ChannelHandlerContext, status: HTTPResponseStatus, message: String, keepAlive: Bool) {
        let type = status.code >= 500 ? "server_error" : "invalid_request_error"
        respond(context: context, status: status, contentType: "application/json",
                body: JSONText.error(message, type: type, code: Int(status.code)), keepAlive: keepAlive)
    }

    /// Writes `data`, then closes once it (and everything before it) has left.
    private func write(_ data: ByteBuffer, thenCloseWith context: ChannelHandlerContext) {
        closing = true
        // Closing at once would fail writes still queued behind backpressure; writes complete
        // in order, so this one's completion means all of the reply is out.
        context.writeAndFlush(wrapOutboundOut(data)).assumeIsolated().whenComplete { _ in
            context.close(promise: nil)
        }
    }

    // MARK: - Jobs

    /// Makes `job` the connection's running reply; when it ends, the next request is served.
    func run(_ job: ResponseJob) {
        self.job = job
        busy = true
    }

    /// Called by a job's `onEnd`: frees the connection for the next request, or closes it.
    /// `streamed` replies close after ``TestServerConfig/closeDelay`` under
    /// ``ConnectionBehaviour/closeAfterStream``, whatever the head said.
    func jobEnded(_ how: StreamEnd, context: ChannelHandlerContext, keepAlive: Bool, streamed: Bool = false) {
        job = nil
        busy = false
        // An aborted reply resets the connection right after this returns.
        if how == .aborted { closing = true }
        guard !closing else { return }
        if streamed && keepAlive && core.config.connection == .closeAfterStream {
            // Like llama-server: the head promised keep-alive, yet the socket closes, and a
            // request the client sends meanwhile is dropped unread (never counted as served).
            closing = true
            waiting.removeAll()
            let delay = TimeAmount.nanoseconds(Int64((core.config.closeDelay * 1e9).rounded()))
            context.eventLoop.assumeIsolated().scheduleTask(in: delay) {
                context.close(promise: nil)
            }
            return
        }
        if keepAlive {
            serveWaiting(context: context)
        } else {
            write(context.channel.allocator.buffer(capacity: 0), thenCloseWith: context)
        }
    }
}
