import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// The client of a measuring run over plain http: SwiftNIO's HTTP/1.1 encoder and decoder
/// and a pool of kept-alive connections per event loop, nothing between the socket and
/// the request's reader. AsyncHTTPClient's request machinery cost more than half of the
/// client's CPU per streamed chunk (docs/performance.md); a run needs only this: POST,
/// read as it arrives, keep the connection when both sides allow it, close it otherwise.
///
/// A request whose pooled connection closes before any byte of its reply is reported to
/// the request as ``ConnectionClosedEarly``, and the request asks for a resend on a fresh
/// connection (`fresh`), as mature clients treat a stale pooled connection.
final class HTTP1Client: RequestSender, @unchecked Sendable {
    private let host: String
    private let port: Int
    /// `Host`, the path and query: the same for every request of the run.
    private let hostHeader: String
    private let uri: String
    private let template: RequestTemplate
    private let connectTimeout: TimeAmount
    /// One pool per event loop, each touched only on its loop (made here, never changed).
    private let pools: [ObjectIdentifier: ConnectionPool]

    /// Nil when the URL is not plain `http://host[:port]/…`.
    init?(group: MultiThreadedEventLoopGroup, template: RequestTemplate, connectTimeout: Double) {
        guard let c = URLComponents(string: template.url), c.scheme?.lowercased() == "http",
              let host = c.host, !host.isEmpty else { return nil }
        self.host = host
        port = c.port ?? 80
        let bracketed = host.contains(":") ? "[\(host)]" : host
        hostHeader = c.port.map { "\(bracketed):\($0)" } ?? bracketed
        let path = c.percentEncodedPath.isEmpty ? "/" : c.percentEncodedPath
        uri = path + (c.percentEncodedQuery.map { "?" + $0 } ?? "")
        self.template = template
        self.connectTimeout = .nanoseconds(Int64(max(0.001, connectTimeout) * 1e9))
        var pools: [ObjectIdentifier: ConnectionPool] = [:]
        for loop in group.makeIterator() { pools[ObjectIdentifier(loop)] = ConnectionPool(loop: loop) }
        self.pools = pools
    }

    func send(_ body: [UInt8], for request: StreamingRequest, on loop: EventLoop, fresh: Bool) {
        var headers = fresh ? template.freshHeaders : template.headers
        headers.replaceOrAdd(name: "Host", value: hostHeader)
        headers.replaceOrAdd(name: "Content-Length", value: String(body.count))
        let keepAlive = !headers[canonicalForm: "connection"].contains { $0.lowercased() == "close" }
        let head = HTTPRequestHead(version: .http1_1, method: .POST, uri: uri, headers: headers)
        loop.execute { [self] in
            let buffer = ByteBuffer(bytes: body)
            let attempt = SendAttempt(request)
            request.cancelSend = { attempt.cancel() }
            guard let pool = pools[ObjectIdentifier(loop)] else {
                // Not one of the run's loops: a bug, reported as the request's failure rather than a trap.
                request.failBeforeSending(SendCancelled())
                return
            }
            if keepAlive && !fresh, let channel = pool.takeIdle() {
                return write(head, buffer, keepAlive: keepAlive, on: channel, attempt)
            }
            ClientBootstrap(group: loop)
                .connectTimeout(connectTimeout)  // TCP_NODELAY is the bootstrap's default
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        let sync = channel.pipeline.syncOperations
                        try sync.addHandler(HTTPRequestEncoder())
                        try sync.addHandler(ByteToMessageHandler(HTTPResponseDecoder(leftOverBytesStrategy: .dropBytes)))
                        try sync.addHandler(HTTP1Connection(pool: pool))
                    }
                }
                .connect(host: host, port: port)
                .whenComplete { [self] result in
                    switch result {
                    case .success(let channel):
                        if attempt.cancelled {
                            channel.close(promise: nil)
                        } else {
                            write(head, buffer, keepAlive: keepAlive, on: channel, attempt)
                        }
                    case .failure(let error):
                        attempt.fail(error)
                    }
                }
        }
    }

    /// Writes the request on `channel` (on its loop) and hands the connection its reader.
    private func write(_ head: HTTPRequestHead, _ body: ByteBuffer, keepAlive: Bool, on channel: Channel, _ attempt: SendAttempt) {
        guard let connection = try? channel.pipeline.syncOperations.handler(type: HTTP1Connection.self) else {
            channel.close(promise: nil)
            return attempt.fail(ChannelError.ioOnClosedChannel)
        }
        guard let request = attempt.begin(on: channel) else { return }
        connection.begin(request, keepAlive: keepAlive)
        let headWritten = channel.eventLoop.makePromise(of: Void.self)
        headWritten.futureResult.whenSuccess { request.requestWritten() }
        let ended = channel.eventLoop.makePromise(of: Void.self)
        // A connection found closed as the request is written (one the server closed while
        // it sat idle) did not serve it: reported like a close before any reply.
        ended.futureResult.whenFailure { error in connection.writeFailed(error) }
        channel.write(HTTPClientRequestPart.head(head), promise: headWritten)
        channel.write(HTTPClientRequestPart.body(.byteBuffer(body)), promise: nil)
        channel.writeAndFlush(HTTPClientRequestPart.end(nil), promise: ended)
    }

    func shutdown() {
        // The run's event loops close what is left when they shut down; this only lets the
        // server see idle connections go at the run's end.
        for pool in pools.values { pool.closeAll() }
    }
}

/// One send of one request: lets the run cancel it before and after it has a connection.
/// Used only on the request's loop (hence unchecked).
private final class SendAttempt: @unchecked Sendable {
    private var request: StreamingRequest?
    private var channel: Channel?
    private(set) var cancelled = false

    init(_ request: StreamingRequest) { self.request = request }

    /// The connection is ready: the request, unless the attempt was cancelled meanwhile.
    func begin(on channel: Channel) -> StreamingRequest? {
        guard !cancelled, let request else {
            channel.close(promise: nil)
            return nil
        }
        self.channel = channel
        return request
    }

    /// Before a connection: the request fails at once. After: closing the connection ends it.
    func cancel() {
        guard !cancelled else { return }
        cancelled = true
        if let channel {
            channel.close(promise: nil)
        } else {
            fail(SendCancelled())
        }
    }

    func fail(_ error: Error) {
        guard let request else { return }
        self.request = nil
        request.failed(error)
    }
}

/// The idle, kept-alive connections of one event loop (used only on that loop, hence unchecked).
final class ConnectionPool: @unchecked Sendable {
    private let loop: EventLoop
    private var idle: [Channel] = []

    init(loop: EventLoop) { self.loop = loop }

    /// The most recently used idle connection that is still open, if any.
    func takeIdle() -> Channel? {
        while let channel = idle.popLast() {
            if channel.isActive { return channel }
        }
        return nil
    }

    func putIdle(_ channel: Channel) { idle.append(channel) }

    /// A connection closed (by either side): it is no longer offered.
    func remove(_ channel: Channel) {
        idle.removeAll { $0 === channel }
    }

    /// Closes the idle connections; from any thread, without waiting (the run may end on a loop).
    func closeAll() {
        loop.execute { [self] in
            let all = idle
            idle.removeAll()
            for c in all { c.close(promise: nil) }
        }
    }
}

/// The last handler of a run's connection: hands the response of the request in progress
/// to its reader and, at the response's end, gives the connection back to the pool when
/// both sides keep it alive (closes it otherwise).
final class HTTP1Connection: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = HTTPClientResponsePart

    private let pool: ConnectionPool
    private var current: StreamingRequest?
    private var keepAlive = true
    private weak var channel: Channel?

    init(pool: ConnectionPool) { self.pool = pool }

    func handlerAdded(context: ChannelHandlerContext) { channel = context.channel }

    /// The request now written on this connection.
    func begin(_ request: StreamingRequest, keepAlive: Bool) {
        current = request
        self.keepAlive = keepAlive
    }

    func writeFailed(_ error: Error) {
        guard let request = current else { return }
        current = nil
        channel?.close(promise: nil)
        request.failed(error is ChannelError ? ConnectionClosedEarly() : error)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            guard let request = current else {
                // A reply nobody asked for (a server timing out an idle connection): this
                // connection's next reply could be taken for a request's, so it goes.
                pool.remove(context.channel)
                context.close(promise: nil)
                return
            }
            // HTTP/1.0 without keep-alive, or `Connection: close`: the server will close it.
            if !head.isKeepAlive { keepAlive = false }
            request.responseHead(head)
        case .body(let buffer):
            current?.responseBody(buffer)
        case .end:
            guard let request = current else { return }
            current = nil
            // Back in the pool before the request's end runs: the next request (a closed
            // loop sends one from there) takes this connection.
            if keepAlive && context.channel.isActive {
                pool.putIdle(context.channel)
            } else {
                context.close(promise: nil)
            }
            request.responseEnd()
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        pool.remove(context.channel)
        if let request = current {
            current = nil
            request.failed(ConnectionClosedEarly())
        }
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        if let request = current {
            current = nil
            // A reset is a close by the server; anything else (a malformed response) is itself.
            if let e = error as? IOError, e.errnoCode == ECONNRESET || e.errnoCode == EPIPE {
                request.failed(ConnectionClosedEarly())
            } else {
                request.failed(error)
            }
        }
        context.close(promise: nil)
    }
}
