import Foundation
import NIOCore
import NIOPosix

/// Drives many streamed requests over NIO on one event loop, the way the load generator
/// does, and counts the events of each reply without parsing them.
///
/// One loop thread rather than a thread per stream (or poll(2) over hundreds of sockets), so a
/// load test measures the server and not the test client.
enum StreamDrainer {
    /// What the client saw of one stream; times in seconds from its request's write.
    struct Stream: Sendable {
        var events = 0
        var finished = false
        var firstEvent: Double?
        var lastEvent: Double?
        /// Seconds from the run's start to this stream's request write (connect time included).
        var sentAfter: Double = 0
    }

    struct Outcome {
        /// Every stream, in completion order.
        var streams: [Stream]
        /// `data: ` events seen per stream (tokens plus `[DONE]`), in completion order.
        var events: [Int] { streams.map(\.events) }
        /// Streams that ended with the chunked body's terminator.
        var completed: Int
        /// Wall seconds from the first connect to the last stream's end.
        var elapsed: Double
    }

    /// Opens `streams` connections, sends `request` on each, and reads until every body ends
    /// (or its connection closes). Blocks; call it off any event loop.
    static func run(port: Int, streams: Int, request: String, timeout: Double = 30) throws -> Outcome {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        defer { try? group.syncShutdownGracefully() }
        let loop = group.next()
        let start = monotonicNow()
        let bootstrap = ClientBootstrap(group: loop)
            .channelOption(.tcpOption(.tcp_nodelay), value: 1)
            .connectTimeout(.seconds(Int64(timeout)))
        var replies: [EventLoopFuture<Stream>] = []
        for _ in 0..<streams {
            let promise = loop.makePromise(of: Stream.self)
            let connected = bootstrap.channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let handler = CountingHandler(request: request, runStart: start, done: promise)
                    try channel.pipeline.syncOperations.addHandler(handler)
                }
            }.connect(host: "127.0.0.1", port: port)
            connected.whenFailure { promise.fail($0) }
            replies.append(promise.futureResult)
        }
        let all = EventLoopFuture.whenAllComplete(replies, on: loop)
        let results = try all.wait()
        let elapsed = monotonicNow() - start
        let finished = results.compactMap { try? $0.get() }
        return Outcome(streams: finished, completed: finished.filter(\.finished).count, elapsed: elapsed)
    }

    /// Sends the request once connected, counts `data: ` markers, closes at the body's end.
    private final class CountingHandler: ChannelInboundHandler {
        typealias InboundIn = ByteBuffer
        typealias OutboundOut = ByteBuffer

        private let request: String
        private let runStart: Double
        private let done: EventLoopPromise<Stream>
        private var counter = EventCounter()
        private var stream = Stream()
        private var sentAt = 0.0

        init(request: String, runStart: Double, done: EventLoopPromise<Stream>) {
            self.request = request
            self.runStart = runStart
            self.done = done
        }

        func channelActive(context: ChannelHandlerContext) {
            let buffer = context.channel.allocator.buffer(string: request)
            sentAt = monotonicNow()
            stream.sentAfter = sentAt - runStart
            context.writeAndFlush(wrapOutboundOut(buffer), promise: nil)
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let now = monotonicNow() - sentAt
            let buffer = unwrapInboundIn(data)
            let before = counter.events
            buffer.withUnsafeReadableBytes { counter.feed($0) }
            if counter.events > before {
                if stream.firstEvent == nil { stream.firstEvent = now }
                stream.lastEvent = now
            }
            if counter.finished {
                finish()
                context.close(promise: nil)
            }
        }

        func channelInactive(context: ChannelHandlerContext) {
            finish()
        }

        private func finish() {
            stream.events = counter.events
            stream.finished = counter.finished
            done.succeed(stream)  // a second completion is ignored
        }

        func errorCaught(context: ChannelHandlerContext, error: Error) {
            context.close(promise: nil)
        }
    }

    /// Counts `data: ` markers and spots the body terminator across read boundaries.
    struct EventCounter {
        private static let marker = Array("data: ".utf8)
        private static let terminator = Array("\r\n0\r\n\r\n".utf8)
        private(set) var events = 0
        private(set) var finished = false
        private var matched = 0
        private var recent: [UInt8] = []

        mutating func feed(_ bytes: UnsafeRawBufferPointer) {
            for byte in bytes {
                // The marker's first byte does not recur inside it, so a mismatch restarts cleanly.
                if byte == Self.marker[matched] {
                    matched += 1
                    if matched == Self.marker.count {
                        events += 1
                        matched = 0
                    }
                } else {
                    matched = byte == Self.marker[0] ? 1 : 0
                }
            }
            // The terminator is the last thing on a keep-alive stream: check the end of what we have.
            recent = Array((recent + bytes).suffix(Self.terminator.count))
            finished = recent == Self.terminator
        }
    }
}
