import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// An OpenAI-compatible streaming server on loopback with exact token timing and injectable faults.
///
/// It answers `POST /v1/completions` and `POST /v1/chat/completions` (streamed or not),
/// `GET /v1/models`, `GET /health` and `GET /stats`. Token i of a reply is written at
/// received + ttft + i·itl on the connection's event loop; ``stats()`` reports how late those
/// writes actually were. Faults (``Fault``) hit a deterministic share of generation requests.
/// With ``TestServerConfig/pacer`` set, tokens are written as the ``TokenPacer`` delivers them
/// instead (a simulated engine), with the same bytes.
///
/// ```swift
/// var config = TestServerConfig()
/// config.ttft = 0.1
/// let server = try TestServer.start(config)
/// defer { server.stop() }
/// print(server.baseURL)   // http://127.0.0.1:PORT/v1
/// ```
public final class TestServer: Sendable {
    private let core: ServerCore
    private let group: MultiThreadedEventLoopGroup
    private let channel: Channel
    private let lifecycle = Lifecycle()

    /// The port the server listens on (the one picked when the configuration said 0).
    public let port: Int

    /// The OpenAI base URL, `http://HOST:PORT/v1` (`https` when it serves TLS).
    public var baseURL: String {
        // An IPv6 literal needs brackets inside a URL.
        let host = core.config.host.contains(":") ? "[\(core.config.host)]" : core.config.host
        return "\(core.config.tls == nil ? "http" : "https")://\(host):\(port)/v1"
    }

    private init(core: ServerCore, group: MultiThreadedEventLoopGroup, channel: Channel, port: Int) {
        self.core = core
        self.group = group
        self.channel = channel
        self.port = port
    }

    /// Starts a server and returns once it listens. Blocks; do not call it on an event loop.
    ///
    /// Throws ``TestServerError`` for a bad configuration or a port that cannot be bound.
    public static func start(_ config: TestServerConfig) throws -> TestServer {
        try config.validate()
        let tls = try config.tls.map(Self.tlsContext)
        let core = ServerCore(config: config)
        let group = MultiThreadedEventLoopGroup(numberOfThreads: config.threads)
        let bootstrap = ServerBootstrap(group: group)
            // Hundreds of clients connect at once in the load tests; the default backlog drops some.
            .serverChannelOption(.backlog, value: 4096)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            // Every token is a small write that must leave now, not wait for Nagle's algorithm.
            .childChannelOption(.tcpOption(.tcp_nodelay), value: 1)
            .childChannelOption(.writeBufferWaterMark, value: .init(low: 64 << 10, high: 256 << 10))
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let tls { try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tls)) }
                    let decoder = HTTPRequestDecoder(leftOverBytesStrategy: .dropBytes)
                    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(decoder))
                    try channel.pipeline.syncOperations.addHandler(ConnectionHandler(core: core))
                }
            }
        let channel: Channel
        do {
            channel = try bootstrap.bind(host: config.host, port: config.port).wait()
        } catch {
            try? group.syncShutdownGracefully()
            throw TestServerError.bindFailed(host: config.host, port: config.port, reason: "\(error)")
        }
        guard let port = channel.localAddress?.port else {
            try? channel.close().wait()
            try? group.syncShutdownGracefully()
            throw TestServerError.bindFailed(host: config.host, port: config.port, reason: "no local address")
        }
        return TestServer(core: core, group: group, channel: channel, port: port)
    }

    /// The server's TLS context from its PEM files; a file that cannot be read is a configuration error.
    private static func tlsContext(_ t: TestServerTLS) throws -> NIOSSLContext {
        do {
            let chain = try NIOSSLCertificate.fromPEMFile(t.certFile).map { NIOSSLCertificateSource.certificate($0) }
            let key = try NIOSSLPrivateKey(file: t.keyFile, format: .pem)
            var c = TLSConfiguration.makeServerConfiguration(certificateChain: chain, privateKey: .privateKey(key))
            if let ca = t.clientCAFile {
                // Clients have no host name to check: the chain to these CAs is what counts.
                c.certificateVerification = .noHostnameVerification
                c.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(ca))
            }
            return try NIOSSLContext(configuration: c)
        } catch {
            throw TestServerError.invalidConfig("tls: \(error)")
        }
    }

    /// A snapshot of what the server has done so far. Safe from any thread, also after ``stop()``.
    public func stats() -> TestServerStats {
        core.stats.snapshot()
    }

    /// Stops listening, closes every open connection (cutting off running streams) and ends the
    /// event loop threads. Blocks until done; later calls return at once. Do not call it on
    /// one of the server's event loops.
    public func stop() {
        lifecycle.stopOnce {
            try? channel.close().wait()
            // Before the connections close: once the pacer has stopped, nothing delivers
            // tokens to an event loop that is shutting down.
            core.config.pacer?.shutdown()
            // Shutting the group down closes every child channel, so open streams end (their
            // handlers see channelInactive and cancel their scheduled writes).
            try? group.syncShutdownGracefully()
        }
    }

    deinit {
        // A server dropped without stop() must not leak its threads; this cannot block, since
        // the last reference may go away anywhere.
        if lifecycle.markStoppedIfRunning() {
            group.shutdownGracefully { _ in }
        }
    }
}

/// Makes ``TestServer/stop()`` idempotent and serializes concurrent calls.
private final class Lifecycle: Sendable {
    private let stopped = NIOLockedValueBox(false)

    /// Runs `body` the first time only; concurrent callers wait until it has finished
    /// (the lock is held through `body` for that).
    func stopOnce(_ body: () -> Void) {
        stopped.withLockedValue { stopped in
            guard !stopped else { return }
            body()
            stopped = true
        }
    }

    /// Marks the server stopped; returns whether it was running.
    func markStoppedIfRunning() -> Bool {
        stopped.withLockedValue { stopped in
            defer { stopped = true }
            return !stopped
        }
    }
}
