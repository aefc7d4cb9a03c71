import Foundation
import Measure
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix

/// `frontier core-bench --ingest PORT`: how fast a client on plain SwiftNIO can read
/// streamed replies, in three levels of work, against the zero-delay C server of
/// `scripts/bench/c/sse_server.c`, with the requests `scripts/bench/ingest.lua` sends.
/// It tells what a leaner transport than AsyncHTTPClient could reach (issue 12).
/// Benchmark only: no run is stored and nothing here is used by measurements.
enum IngestLevel: String, CaseIterable, Sendable {
    /// Request bytes written by hand; events counted by "\n\n" in the raw TCP stream.
    case raw
    /// NIO's HTTP/1.1 encoder and decoder (as AsyncHTTPClient sets them up); events counted in body parts.
    case decoder
    /// The decoder plus frontier's own SSE and chunk parsing and chunk times per body part.
    case parse
}

struct IngestBench {
    let port: Int
    let streams: Int
    let requests: Int
    let tokens: Int
    let threads: Int

    struct Result {
        var chunks: Int
        /// Socket reads (raw) or body parts (decoder, parse) handed to the reader.
        var reads: Int
        var seconds: Double
        /// CPU of the event-loop threads (what frontier reports as client CPU).
        var loopCPU: Double
        /// CPU of the whole process (what the C client reports).
        var processCPU: Double
        var rate: Double { seconds > 0 ? Double(chunks) / seconds : 0 }
    }

    /// The JSON body frontier sends for a chat request of this workload (`Endpoint.body`):
    /// the C server reads only `max_tokens` and the last message.
    var body: String {
        "{\"model\":\"bench\",\"messages\":[{\"role\":\"user\",\"content\":\"Request one two three\"}],"
            + "\"max_tokens\":\(tokens),\"stream\":true,\"stream_options\":{\"include_usage\":true}}"
    }

    /// Runs `rounds` rounds of every level (interleaved, so a busy moment on the shared
    /// machine hits all levels alike) and prints each round and the best per level.
    func run(levels: [IngestLevel], rounds: Int) throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: threads)
        defer { try? group.syncShutdownGracefully() }
        var best: [IngestLevel: Result] = [:]
        for round in 1...rounds {
            for level in levels {
                let r = try measure(level, group: group)
                print(String(format: "round %d %-8@ chunks %d reads %d seconds %.4f loop_cpu %.4f process_cpu %.4f rate %.0f",
                             round, level.rawValue, r.chunks, r.reads, r.seconds, r.loopCPU, r.processCPU, r.rate))
                if r.rate > best[level]?.rate ?? 0 { best[level] = r }
            }
        }
        for level in levels {
            guard let r = best[level], r.chunks > 0 else { continue }
            // Parsed by scripts/bench/ingest-floor.sh.
            print(String(format: "best %@ rate %.0f us_per_chunk %.3f process_us_per_chunk %.3f chunks_per_read %.2f",
                         level.rawValue, r.rate, r.loopCPU / Double(r.chunks) * 1e6, r.processCPU / Double(r.chunks) * 1e6,
                         Double(r.chunks) / Double(max(1, r.reads))))
        }
    }

    /// One round: `streams` keep-alive connections sharing `requests` requests, one at a time each.
    func measure(_ level: IngestLevel, group: MultiThreadedEventLoopGroup) throws -> Result {
        let tally = IngestTally(requests: requests)
        let bodyBytes = ByteBuffer(string: body)
        let head = "POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nContent-Type: application/json\r\n"
            + "Content-Length: \(bodyBytes.readableBytes)\r\n\r\n"
        let rawRequest = ByteBuffer(string: head + body)
        let tokens = self.tokens
        let bootstrap = ClientBootstrap(group: group).channelInitializer { channel in
            channel.eventLoop.makeCompletedFuture {
                let sync = channel.pipeline.syncOperations
                switch level {
                case .raw:
                    let reader = RawIngestHandler(tally: tally, request: rawRequest)
                    try sync.addHandler(reader)
                    try sync.addHandler(IngestConnectionGuard(onClose: reader.lost))
                case .decoder, .parse:
                    // As AsyncHTTPClient's HTTP1Connection builds its pipeline.
                    try sync.addHandler(HTTPRequestEncoder())
                    try sync.addHandler(ByteToMessageHandler(HTTPResponseDecoder(leftOverBytesStrategy: .dropBytes,
                                                                                 informationalResponseStrategy: .forward)))
                    let reader = DecodedIngestHandler(tally: tally, body: bodyBytes, tokens: tokens, parse: level == .parse)
                    try sync.addHandler(reader)
                    try sync.addHandler(IngestConnectionGuard(onClose: reader.lost))
                }
            }
        }
        let loopsBefore = loopCPU(group)
        let processBefore = processCPU()
        let start = NIODeadline.now().uptimeNanoseconds
        let channels = (0..<streams).map { _ in bootstrap.connect(host: "127.0.0.1", port: port) }
        let closed = channels.map { $0.flatMap { $0.closeFuture } }
        try EventLoopFuture.andAllComplete(closed, on: group.any()).wait()
        let loops = loopCPU(group) - loopsBefore
        let process = processCPU() - processBefore
        let (chunks, reads, failures, end) = tally.totals()
        // A refused connection is the likeliest mistake (a wrong port): say so, not "0 chunks".
        for case .failure(let error) in try EventLoopFuture.whenAllComplete(channels, on: group.any()).wait() {
            throw IngestBenchError.failed("\(level.rawValue): could not connect to 127.0.0.1:\(port): \(error)")
        }
        if failures > 0 { throw IngestBenchError.failed("\(level.rawValue): \(failures) of \(requests) requests failed") }
        if chunks != requests * tokens {
            throw IngestBenchError.failed("\(level.rawValue): \(chunks) chunks, expected \(requests * tokens)")
        }
        return Result(chunks: chunks, reads: reads, seconds: Double(end - start) / 1e9, loopCPU: loops, processCPU: process)
    }

    /// CPU seconds of all event loops, each read on its own thread.
    private func loopCPU(_ group: MultiThreadedEventLoopGroup) -> Double {
        group.makeIterator().reduce(0) { sum, loop in
            sum + ((try? loop.submit { () -> Double in
                var ts = timespec()
                clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
                return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
            }.wait()) ?? 0)
        }
    }

    private func processCPU() -> Double {
        var u = rusage()
        #if os(Linux)
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &u)  // an enum in Glibc, an Int32 elsewhere
        #else
        getrusage(RUSAGE_SELF, &u)
        #endif
        return Double(u.ru_utime.tv_sec) + Double(u.ru_utime.tv_usec) / 1e6 + Double(u.ru_stime.tv_sec) + Double(u.ru_stime.tv_usec) / 1e6
    }
}

enum IngestBenchError: Error, CustomStringConvertible {
    case failed(String)
    var description: String {
        switch self { case .failed(let s): return "ingest bench: \(s)" }
    }
}

/// Requests handed out to the connections, and what came back (shared by all loops).
final class IngestTally: Sendable {
    private struct State {
        var taken = 0
        var chunks = 0
        var reads = 0
        var failures = 0
        var lastEnd: UInt64 = 0
    }
    private let requests: Int
    private let state = NIOLockedValueBox(State())

    init(requests: Int) { self.requests = requests }

    /// Whether there is another request to send (as the C client's shared counter).
    func take() -> Bool {
        state.withLockedValue { s in
            guard s.taken < requests else { return false }
            s.taken += 1
            return true
        }
    }

    func done(chunks: Int, reads: Int, ok: Bool) {
        let now = NIODeadline.now().uptimeNanoseconds
        state.withLockedValue { s in
            s.chunks += chunks
            s.reads += reads
            if !ok { s.failures += 1 }
            s.lastEnd = max(s.lastEnd, now)
        }
    }

    func totals() -> (chunks: Int, reads: Int, failures: Int, end: UInt64) {
        state.withLockedValue { ($0.chunks, $0.reads, $0.failures, $0.lastEnd) }
    }
}

/// Level raw: the C client's loop on NIO. Each read is timestamped; events are counted
/// by their blank-line ends; a reply ends with the chunked terminator after two or more events.
final class RawIngestHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// "0\r\n\r\n" as the last five bytes, most recent lowest.
    private static let terminator: UInt64 = 0x30_0D_0A_0D_0A

    private let tally: IngestTally
    private let request: ByteBuffer
    private var inReply = false
    private var events = 0
    private var reads = 0
    private var previous: UInt8 = 0
    private var tail: UInt64 = 0
    /// The time of the latest read: kept as a measuring client keeps it.
    private(set) var lastRead: UInt64 = 0

    init(tally: IngestTally, request: ByteBuffer) {
        self.tally = tally
        self.request = request
    }

    func channelActive(context: ChannelHandlerContext) {
        sendNext(context: context)
    }

    private func sendNext(context: ChannelHandlerContext) {
        guard tally.take() else { return context.close(promise: nil) }
        inReply = true
        events = 0
        reads = 0
        previous = 0
        tail = 0
        context.writeAndFlush(wrapOutboundOut(request), promise: nil)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        lastRead = NIODeadline.now().uptimeNanoseconds
        reads += 1
        let buffer = unwrapInboundIn(data)
        var events = self.events, previous = self.previous, tail = self.tail
        buffer.withUnsafeReadableBytes { bytes in
            for b in bytes {
                if b == 0x0A && previous == 0x0A { events += 1 }
                previous = b
            }
            for b in bytes.suffix(5) { tail = (tail << 8 | UInt64(b)) & 0xFF_FFFF_FFFF }
        }
        self.events = events
        self.previous = previous
        self.tail = tail
        if inReply, tail == Self.terminator, events >= 2 {
            inReply = false
            tally.done(chunks: events - 2, reads: reads, ok: true)  // minus the usage event and [DONE]
            sendNext(context: context)
        }
    }

    /// The connection closed (``IngestConnectionGuard``): a reply in progress failed.
    func lost() {
        if inReply { inReply = false; tally.done(chunks: 0, reads: 0, ok: false) }
    }
}

/// Levels decoder and parse: HTTP parts from NIO's decoder; each body part timestamped
/// (as frontier's delegate does) and either its events counted or read by frontier's parser.
final class DecodedIngestHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundOut = HTTPClientRequestPart

    private let tally: IngestTally
    private let body: ByteBuffer
    private let tokens: Int
    private let parse: Bool
    private let head: HTTPRequestHead
    private var inReply = false
    private var ok = false
    private var events = 0
    private var reads = 0
    private var previous: UInt8 = 0
    private var reader: ChunkReaderProbe?
    private(set) var lastRead: UInt64 = 0

    init(tally: IngestTally, body: ByteBuffer, tokens: Int, parse: Bool) {
        self.tally = tally
        self.body = body
        self.tokens = tokens
        self.parse = parse
        head = HTTPRequestHead(version: .http1_1, method: .POST, uri: "/v1/chat/completions",
                               headers: ["Host": "127.0.0.1", "Content-Type": "application/json",
                                         "Content-Length": String(body.readableBytes)])
    }

    func channelActive(context: ChannelHandlerContext) {
        sendNext(context: context)
    }

    private func sendNext(context: ChannelHandlerContext) {
        guard tally.take() else { return context.close(promise: nil) }
        inReply = true
        ok = false
        events = 0
        reads = 0
        previous = 0
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        // As frontier, chunk times count from the request's write.
        if parse { reader = ChunkReaderProbe(sentNanos: NIODeadline.now().uptimeNanoseconds) }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let h):
            ok = h.status == .ok
        case .body(let buffer):
            let arrival = NIODeadline.now().uptimeNanoseconds
            lastRead = arrival
            reads += 1
            if let reader {
                reader.feed(buffer, arrival: arrival)
            } else {
                var events = self.events, previous = self.previous
                buffer.withUnsafeReadableBytes { bytes in
                    for b in bytes {
                        if b == 0x0A && previous == 0x0A { events += 1 }
                        previous = b
                    }
                }
                self.events = events
                self.previous = previous
            }
        case .end:
            guard inReply else { return }
            inReply = false
            if let reader {
                reader.finish(arrival: NIODeadline.now().uptimeNanoseconds)
                tally.done(chunks: reader.chunks, reads: reads, ok: ok && reader.complete)
            } else {
                tally.done(chunks: max(0, events - 2), reads: reads, ok: ok && events >= 2)  // minus the usage event and [DONE]
            }
            sendNext(context: context)
        }
    }

    /// The connection closed (``IngestConnectionGuard``): a reply in progress failed.
    func lost() {
        if inReply { inReply = false; tally.done(chunks: 0, reads: 0, ok: false) }
    }
}

/// Last in both readers' pipelines: an error closes the connection, and its close ends
/// the reader's reply in progress as failed (the readers pass both events on to here).
final class IngestConnectionGuard: ChannelInboundHandler {
    typealias InboundIn = NIOAny
    private let onClose: () -> Void

    init(onClose: @escaping () -> Void) { self.onClose = onClose }

    func channelInactive(context: ChannelHandlerContext) {
        onClose()
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        context.close(promise: nil)
    }
}
