import AsyncHTTPClient
import NIOCore
import NIOHTTP1

/// Puts a measured request on the wire and reports its response, as it arrives, to the
/// request's ``StreamingRequest``. Two senders exist: ``HTTP1Client`` (SwiftNIO's HTTP/1.1
/// codec and a pool of our own, for plain http targets: the run's hot path) and
/// ``AsyncHTTPClientSender`` (TLS and proxies).
protocol RequestSender: Sendable {
    /// Sends `body` to the target for `request`, whose callbacks then run on `loop`. `fresh`:
    /// on a new connection closed after the reply (a resend of a request whose pooled
    /// connection went away unanswered). Callable from any thread.
    func send(_ body: [UInt8], for request: StreamingRequest, on loop: EventLoop, fresh: Bool)
    /// Closes idle connections, before the run's event loops shut down (from any thread).
    func shutdown()
}

/// What every request of a run carries: where it goes and its headers.
struct RequestTemplate: Sendable {
    /// The URL posted to (its host is `server_name` when one is given).
    let url: String
    let headers: HTTPHeaders
    /// `headers` with `Connection: close`, for resends.
    let freshHeaders: HTTPHeaders

    init(transport: ClientTransport, apiKey: String?) {
        let endpoint = transport.endpoint
        var h = HTTPHeaders([("Content-Type", "application/json"), ("Accept", endpoint.stream ? "text/event-stream" : "application/json")])
        if endpoint.connection == .close { h.add(name: "Connection", value: "close") }
        for (name, value) in endpoint.requestHeaders(apiKey: apiKey) { h.replaceOrAdd(name: name, value: value) }
        headers = h
        var fresh = h
        fresh.replaceOrAdd(name: "Connection", value: "close")
        freshHeaders = fresh
        url = transport.requestURL
    }
}

/// The server closed the connection before the end of a response (or before any of it).
struct ConnectionClosedEarly: Error, CustomStringConvertible {
    var description: String { "connection closed by the server" }
}

/// A send stopped by the run (a timeout or a stop) before it had a connection.
struct SendCancelled: Error, CustomStringConvertible {
    var description: String { "cancelled" }
}

/// Sends through AsyncHTTPClient: for https targets (its TLS set-up) and proxies (CONNECT).
final class AsyncHTTPClientSender: RequestSender {
    private let client: HTTPClient
    /// Resends only, each with `Connection: close`: this pool never holds an idle connection,
    /// so a resend always gets a fresh one.
    private let freshClient: HTTPClient
    private let template: RequestTemplate

    init(client: HTTPClient, freshClient: HTTPClient, template: RequestTemplate) {
        self.client = client
        self.freshClient = freshClient
        self.template = template
    }

    func send(_ body: [UInt8], for request: StreamingRequest, on loop: EventLoop, fresh: Bool) {
        do {
            let r = try HTTPClient.Request(url: template.url, method: .POST, headers: fresh ? template.freshHeaders : template.headers,
                                           body: .bytes(body))
            let task = (fresh ? freshClient : client).execute(request: r, delegate: Delegate(request), eventLoop: .delegate(on: loop))
            loop.execute { request.cancelSend = { task.cancel() } }
        } catch {
            loop.execute { request.failBeforeSending(error) }
        }
    }

    func shutdown() {}  // the run shuts its clients down

    /// AsyncHTTPClient's callbacks, handed on.
    private final class Delegate: HTTPClientResponseDelegate, @unchecked Sendable {
        typealias Response = Void
        let request: StreamingRequest
        init(_ request: StreamingRequest) { self.request = request }

        func didSendRequestHead(task: HTTPClient.Task<Void>, _ head: HTTPRequestHead) { request.requestWritten() }

        func didReceiveHead(task: HTTPClient.Task<Void>, _ head: HTTPResponseHead) -> EventLoopFuture<Void> {
            request.responseHead(head)
            return task.eventLoop.makeSucceededVoidFuture()
        }

        func didReceiveBodyPart(task: HTTPClient.Task<Void>, _ buffer: ByteBuffer) -> EventLoopFuture<Void> {
            request.responseBody(buffer)
            return task.eventLoop.makeSucceededVoidFuture()
        }

        func didFinishRequest(task: HTTPClient.Task<Void>) throws { request.responseEnd() }

        func didReceiveError(task: HTTPClient.Task<Void>, _ error: Error) { request.failed(error) }
    }
}

/// Which HTTP client a run's requests go through (stored in its settings as `http_client`).
enum HTTPClientChoice: String, Sendable {
    /// ``HTTP1Client``: plain http targets without a proxy.
    case nio
    /// ``AsyncHTTPClientSender``: https and proxies, or when `FRONTIER_HTTP_CLIENT=asynchttpclient`
    /// asks for it (to compare the two, or to step around a problem in ours).
    case asynchttpclient

    init(_ transport: ClientTransport, environment: [String: String]) {
        let plain = transport.tls == nil && transport.proxy == nil && transport.requestURL.lowercased().hasPrefix("http://")
        self = plain && environment["FRONTIER_HTTP_CLIENT"]?.lowercased() != "asynchttpclient" ? .nio : .asynchttpclient
    }
}
