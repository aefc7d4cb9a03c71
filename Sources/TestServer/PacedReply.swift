import Foundation
import NIOConcurrencyHelpers
import NIOCore

/// Tokens a ``TokenPacer`` delivered from its own thread, waiting for the event loop.
///
/// Only the first delivery after a hand-over schedules a hop to the loop; later ones just add
/// to the count, so a burst becomes one write.
final class PacedInbox: Sendable {
    private struct State {
        var pending = 0
        var oldest: UInt64 = 0  // when the oldest pending token arrived
        var hopScheduled = false
    }

    private let state = NIOLockedValueBox(State())

    /// Adds `count` tokens; returns whether the caller must schedule a hop to the loop.
    func add(_ count: Int) -> Bool {
        let now = NIODeadline.now().uptimeNanoseconds
        return state.withLockedValue { s in
            if s.pending == 0 { s.oldest = now }
            s.pending += count
            defer { s.hopScheduled = true }
            return !s.hopScheduled
        }
    }

    /// Takes every pending token and when the oldest arrived; the next delivery hops again.
    func take() -> (count: Int, since: UInt64) {
        state.withLockedValue { s in
            defer {
                s.pending = 0
                s.hopScheduled = false
            }
            return (s.pending, s.oldest)
        }
    }
}

/// A reply whose tokens come from a pacer; the loop side of ``PacedInbox``.
protocol PacedJob: ResponseJob {
    /// Takes the inbox's tokens and writes what it can. Runs on the channel's event loop.
    func drain()
}

/// The `deliver` callback for a pacer: counts tokens in `inbox` and hops to `loop` when
/// needed. Call on `loop` (it binds the job to it).
func pacedDeliverer(_ job: any PacedJob, inbox: PacedInbox, loop: EventLoop) -> @Sendable (Int) -> Void {
    let bound = NIOLoopBound(job, eventLoop: loop)
    return { count in
        guard count > 0, inbox.add(count) else { return }
        loop.execute { bound.value.drain() }
    }
}

/// A streamed reply written as a pacer delivers tokens.
///
/// Each hop writes every delivered, unwritten token as one buffer and flushes. When the
/// channel is not writable it waits for ``resume()``. A reply cut short by a fault (`reset`,
/// `truncate`) stops after half its tokens, and the cut happens when the next token is
/// delivered, as in ``TokenStream``. Its lateness samples are write time minus the time the
/// pacer delivered the oldest token of the write: the server's own delay, since a paced
/// token has no deadline of its own.
final class PacedStream: PacedJob {
    private let context: ChannelHandlerContext
    private let chunks: StreamChunks
    private let stats: StatsRecorder
    private let plan: ReplyPlan
    private let total: Int
    private let sendCount: Int
    private let malformedBefore: Int?
    let inbox = PacedInbox()
    private var paced: (any PacedRequest)?
    private var delivered = 0
    private var next = 0
    /// When the oldest delivered, unwritten token arrived.
    private var pendingSince: UInt64?
    private var waitingForWritability = false
    private var onEnd: ((StreamEnd) -> Void)?

    init(context: ChannelHandlerContext, chunks: StreamChunks, stats: StatsRecorder, tokens: Int, plan: ReplyPlan,
         onEnd: @escaping (StreamEnd) -> Void) {
        self.context = context
        self.chunks = chunks
        self.stats = stats
        self.plan = plan
        self.total = tokens
        let half = tokens / 2
        self.sendCount = (plan == .reset || plan == .truncate) ? half : tokens
        self.malformedBefore = plan == .malformed ? half : nil
        self.onEnd = onEnd
    }

    /// The pacer's handle, cancelled when the reply ends before all tokens were delivered.
    func attach(_ request: any PacedRequest) {
        paced = request
    }

    func drain() {
        guard onEnd != nil else { return }
        let (count, since) = inbox.take()
        guard count > 0 else { return }
        delivered = min(total, delivered + count)
        if pendingSince == nil { pendingSince = since }
        advance()
    }

    func cancel() {
        end(.cancelled)
    }

    func resume() {
        guard waitingForWritability else { return }
        waitingForWritability = false
        advance()
    }

    private func advance() {
        guard onEnd != nil else { return }
        let target = min(delivered, sendCount)
        if next < target {
            guard context.channel.isWritable else {
                waitingForWritability = true
                return
            }
            write(target - next)
        }
        if next == total { return end(.completed) }  // the last token's buffer carried the end of the body
        if next == sendCount, delivered > sendCount { cutShort() }
    }

    private func write(_ count: Int) {
        let range = next..<(next + count)
        let buffer = chunks.tokens(range, total: total, malformedBefore: malformedBefore,
                                   allocator: context.channel.allocator)
        context.writeAndFlush(NIOAny(buffer), promise: nil)
        let written = NIODeadline.now().uptimeNanoseconds
        stats.tokensWritten(count, written: written, firstDeadline: pendingSince ?? written, spacing: 0)
        pendingSince = nil
        next = range.upperBound
    }

    private func cutShort() {
        switch plan {
        case .reset:
            end(.aborted)  // before closing, so the close is not counted as a cancellation
            context.resetConnection()
        default:
            context.writeAndFlush(NIOAny(chunks.truncatedEnd), promise: nil)
            end(.completed)
        }
    }

    private func end(_ how: StreamEnd) {
        if delivered < total { paced?.cancel() }
        paced = nil
        let callback = onEnd
        onEnd = nil
        callback?(how)
    }
}

/// A non-streamed reply sent once the pacer has delivered `threshold` tokens (all of them,
/// or fewer for the `truncate` and `reset` faults, as ``DelayedReply`` does with deadlines).
/// Its one lateness sample is write time minus when the oldest token of the hop that reached
/// the threshold was delivered.
final class PacedBody: PacedJob {
    private let context: ChannelHandlerContext
    private let stats: StatsRecorder
    private let threshold: Int
    private let total: Int
    private let tokens: Int
    /// The full response (head and body), or nil to reset the connection instead (`reset`).
    private let response: ByteBuffer?
    let inbox = PacedInbox()
    private var paced: (any PacedRequest)?
    private var delivered = 0
    private var onEnd: ((StreamEnd) -> Void)?

    init(context: ChannelHandlerContext, stats: StatsRecorder, plan: BodyPlan, total: Int,
         onEnd: @escaping (StreamEnd) -> Void) {
        self.context = context
        self.stats = stats
        self.threshold = plan.tokensBeforeReply
        self.total = total
        self.tokens = plan.sentTokens
        self.response = plan.response
        self.onEnd = onEnd
    }

    func attach(_ request: any PacedRequest) {
        paced = request
    }

    func drain() {
        guard onEnd != nil else { return }
        let (count, since) = inbox.take()
        guard count > 0 else { return }
        delivered = min(total, delivered + count)
        guard delivered >= threshold else { return }
        guard let response else {
            end(.aborted)
            context.resetConnection()
            return
        }
        context.writeAndFlush(NIOAny(response), promise: nil)
        stats.bodyWritten(tokens: tokens, written: NIODeadline.now().uptimeNanoseconds, deadline: since)
        end(.completed)
    }

    func cancel() {
        end(.cancelled)
    }

    func resume() {}

    private func end(_ how: StreamEnd) {
        if delivered < total { paced?.cancel() }
        paced = nil
        let callback = onEnd
        onEnd = nil
        callback?(how)
    }
}

/// What a non-streamed reply sends and after how many generated tokens: shared by the timed
/// (``DelayedReply``) and paced (``PacedBody``) replies so both answer alike.
struct BodyPlan {
    /// Tokens the body reports.
    var sentTokens: Int
    /// Tokens generated before the reply goes out (the deadline of token n − 1 when timed).
    var tokensBeforeReply: Int
    /// The full response, or nil to reset the connection (`reset`).
    var response: ByteBuffer?
}

extension StreamChunks {
    /// Tokens `range` of a `total`-token stream as one buffer, with the `malformed` event
    /// before token `malformedBefore` when it falls in the range (as ``TokenStream`` writes them).
    func tokens(_ range: Range<Int>, total: Int, malformedBefore: Int?, allocator: ByteBufferAllocator) -> ByteBuffer {
        func piece(_ index: Int) -> ByteBuffer {
            if index == total - 1 { return last }
            if index == 0 { return first }
            return middle
        }
        if range.count == 1, malformedBefore != range.lowerBound {
            return piece(range.lowerBound)  // a shared buffer, no copy
        }
        var batch = allocator.buffer(capacity: range.count * middle.readableBytes + 512)
        for index in range {
            if index == malformedBefore {
                var event = malformed
                batch.writeBuffer(&event)
            }
            var token = piece(index)
            batch.writeBuffer(&token)
        }
        return batch
    }
}
