import Foundation
import NIOCore
import NIOHTTP1

/// Completions and chat completions: parse, pick a fault, and start the reply.
extension ConnectionHandler {
    func startGeneration(_ request: Request, flavor: APIFlavor, context: ChannelHandlerContext) {
        let keepAlive = keepsAlive(request)
        let parsed: GenerationRequest
        do {
            parsed = try GenerationRequest.parse(request.body, flavor: flavor, tokenizer: core.config.tokenizer,
                                                 keepText: core.config.accuracy != nil || core.config.echo)
        } catch let invalid as GenerationRequest.Invalid {
            core.stats.badRequest()
            return respondError(context: context, status: .badRequest, message: invalid.message, keepAlive: keepAlive)
        } catch {
            core.stats.badRequest()
            return respondError(context: context, status: .badRequest, message: "\(error)", keepAlive: keepAlive)
        }
        // Only well-formed generation requests are numbered for faults, so the count rule
        // (exactly ⌊n·f⌋ of n) holds over the requests that could have been served.
        let fault = core.faults.next()
        if let fault { core.stats.fault(fault) }
        switch fault {
        case .http429?:
            return respondError(context: context, status: .tooManyRequests,
                                message: "rate limit exceeded (injected fault)", keepAlive: keepAlive)
        case .http500?:
            return respondError(context: context, status: .internalServerError,
                                message: "internal server error (injected fault)", keepAlive: keepAlive)
        case .nonJSON?:
            return respond(context: context, status: .ok, contentType: "text/html",
                           body: "<html><body>upstream error</body></html>", keepAlive: keepAlive)
        default:
            break
        }
        var identity = ReplyIdentity(
            flavor: flavor,
            id: (flavor == .chat ? "chatcmpl-" : "cmpl-") + String(core.nextID()),
            created: Int(Date().timeIntervalSince1970),
            model: parsed.model.flatMap { $0.isEmpty ? nil : $0 } ?? core.config.model,
            promptTokens: parsed.promptTokens,
            completionTokens: parsed.maxTokens ?? core.config.defaultMaxTokens)
        if let accuracy = core.config.accuracy {
            identity.answer = StandInAnswer.answer(to: parsed.texts, accuracy: accuracy, solutions: core.config.solutions)
        }
        if core.config.echo {
            let n = parsed.texts.count
            identity.answer = " [received \(n) message\(n == 1 ? "" : "s"), \(parsed.promptTokens) tokens]"
        }
        // A stalled reply generates nothing, so it never reaches the pacer: the timed path
        // handles it (a stall ignores the clock).
        if let pacer = core.config.pacer, fault != .stall {
            return startPaced(identity, pacer: pacer, parsed: parsed, request: request, fault: fault, context: context)
        }
        let clock = TokenClock(received: request.received, ttft: core.ttftNanos, itl: core.itlNanos)
        if parsed.stream {
            startStream(identity, parsed: parsed, request: request, fault: fault, clock: clock, context: context)
        } else {
            startBody(identity, request: request, fault: fault, clock: clock, context: context)
        }
    }

    private func startStream(_ identity: ReplyIdentity, parsed: GenerationRequest, request: Request,
                             fault: Fault.Kind?, clock: TokenClock, context: ChannelHandlerContext) {
        // An HTTP/1.0 client cannot read chunked bodies; its stream ends when the connection does.
        let version = request.head.version
        let chunked = version.major > 1 || (version.major == 1 && version.minor >= 1)
        let keepAlive = keepsAlive(request) && chunked
        let head = HTTPWire.head(status: .ok, contentType: "text/event-stream", contentLength: nil,
                                 chunked: chunked, keepAlive: keepAlive,
                                 keepAliveHeader: core.config.connection == .closeAfterStream,
                                 server: core.serverHeader, allocator: context.channel.allocator)
        // The head goes out at once, as vLLM's and llama.cpp's do; tokens follow on their deadlines.
        context.writeAndFlush(wrapOutboundOut(head), promise: nil)
        core.stats.streamStarted()
        let stats = core.stats
        let onEnd: (StreamEnd) -> Void = { how in
            stats.streamEnded(how)
            self.jobEnded(how, context: context, keepAlive: keepAlive, streamed: true)
        }
        if fault == .stall {
            return run(StallJob(onEnd: onEnd))
        }
        let usage: UsageMode? = parsed.includeUsage && core.config.usage != .none ? core.config.usage : nil
        let chunks = StreamChunks(identity: identity, usage: usage, chunked: chunked,
                                  allocator: context.channel.allocator)
        let stream = TokenStream(context: context, chunks: chunks, stats: stats, clock: clock,
                                 tokens: identity.completionTokens, plan: ReplyPlan(fault), onEnd: onEnd)
        run(stream)
        stream.start()
    }

    private func startBody(_ identity: ReplyIdentity, request: Request, fault: Fault.Kind?,
                           clock: TokenClock, context: ChannelHandlerContext) {
        let keepAlive = keepsAlive(request)
        let onEnd: (StreamEnd) -> Void = { how in
            self.jobEnded(how, context: context, keepAlive: keepAlive)
        }
        if fault == .stall {
            return run(StallJob(onEnd: onEnd))  // no head at all: the client waits on a silent socket
        }
        let plan = bodyPlan(identity, fault: fault, keepAlive: keepAlive, context: context)
        let reply = DelayedReply(context: context, stats: core.stats, deadline: clock.deadline(plan.tokensBeforeReply - 1),
                                 tokens: plan.sentTokens, response: plan.response, onEnd: onEnd)
        run(reply)
        reply.start()
    }

    /// What a non-streamed reply sends, and after how many generated tokens.
    private func bodyPlan(_ identity: ReplyIdentity, fault: Fault.Kind?, keepAlive: Bool,
                          context: ChannelHandlerContext) -> BodyPlan {
        let tokens = identity.completionTokens
        let half = tokens / 2
        switch ReplyPlan(fault) {
        case .normal:
            return BodyPlan(sentTokens: tokens, tokensBeforeReply: tokens,
                            response: bodyResponse(StreamChunks.body(identity, tokens: tokens, finishReason: "length"),
                                                   keepAlive: keepAlive, context: context))
        case .malformed:
            return BodyPlan(sentTokens: tokens, tokensBeforeReply: tokens,
                            response: bodyResponse("{not json", keepAlive: keepAlive, context: context))
        case .truncate:
            // Like a server that stopped early: fewer tokens, finish reason "stop".
            return BodyPlan(sentTokens: half, tokensBeforeReply: max(half, 1),
                            response: bodyResponse(StreamChunks.body(identity, tokens: half, finishReason: "stop"),
                                                   keepAlive: keepAlive, context: context))
        case .reset:
            // The connection dies when about half the tokens would have been generated.
            return BodyPlan(sentTokens: tokens, tokensBeforeReply: half + 1, response: nil)
        }
    }

    // MARK: - Paced replies

    /// Starts a reply whose tokens a ``TokenPacer`` delivers (any fault but `stall`). The
    /// pacer is asked first, so a request it refuses gets a 400 before any head goes out.
    private func startPaced(_ identity: ReplyIdentity, pacer: any TokenPacer, parsed: GenerationRequest,
                            request: Request, fault: Fault.Kind?, context: ChannelHandlerContext) {
        let keepAlive = keepsAlive(request)
        let prompt = max(1, identity.promptTokens)  // an empty chat still costs the engine a token
        let tokens = identity.completionTokens
        if parsed.stream {
            let chunked = Self.acceptsChunked(request)
            let streamKeepAlive = keepAlive && chunked
            let stats = core.stats
            let usage: UsageMode? = parsed.includeUsage && core.config.usage != .none ? core.config.usage : nil
            let chunks = StreamChunks(identity: identity, usage: usage, chunked: chunked,
                                      allocator: context.channel.allocator)
            let stream = PacedStream(context: context, chunks: chunks, stats: stats, tokens: tokens,
                                     plan: ReplyPlan(fault), onEnd: { how in
                                         stats.streamEnded(how)
                                         self.jobEnded(how, context: context, keepAlive: streamKeepAlive, streamed: true)
                                     })
            let deliver = pacedDeliverer(stream, inbox: stream.inbox, loop: context.eventLoop)
            let paced: any PacedRequest
            do {
                paced = try pacer.start(promptTokens: prompt, maxTokens: tokens, deliver: deliver)
            } catch {
                core.stats.badRequest()
                return respondError(context: context, status: .badRequest, message: "\(error)", keepAlive: keepAlive)
            }
            stream.attach(paced)
            context.writeAndFlush(wrapOutboundOut(HTTPWire.head(status: .ok, contentType: "text/event-stream",
                                                                contentLength: nil, chunked: chunked,
                                                                keepAlive: streamKeepAlive,
                                                                keepAliveHeader: core.config.connection == .closeAfterStream,
                                                                server: core.serverHeader, allocator: context.channel.allocator)),
                                  promise: nil)
            stats.streamStarted()
            run(stream)
        } else {
            let plan = bodyPlan(identity, fault: fault, keepAlive: keepAlive, context: context)
            let body = PacedBody(context: context, stats: core.stats, plan: plan, total: tokens, onEnd: { how in
                self.jobEnded(how, context: context, keepAlive: keepAlive)
            })
            let deliver = pacedDeliverer(body, inbox: body.inbox, loop: context.eventLoop)
            let paced: any PacedRequest
            do {
                paced = try pacer.start(promptTokens: prompt, maxTokens: tokens, deliver: deliver)
            } catch {
                core.stats.badRequest()
                return respondError(context: context, status: .badRequest, message: "\(error)", keepAlive: keepAlive)
            }
            body.attach(paced)
            run(body)
        }
    }

    /// Whether the client reads chunked bodies (HTTP/1.1 and later); an HTTP/1.0 client's
    /// stream ends when the connection does.
    private static func acceptsChunked(_ request: Request) -> Bool {
        let version = request.head.version
        return version.major > 1 || (version.major == 1 && version.minor >= 1)
    }

    private func bodyResponse(_ body: String, keepAlive: Bool, context: ChannelHandlerContext) -> ByteBuffer {
        HTTPWire.response(status: .ok, contentType: "application/json", body: body, keepAlive: keepAlive, server: core.serverHeader,
                          allocator: context.channel.allocator)
    }
}
