import NIOCore

/// Writes one streamed reply's tokens at their deadlines on the channel's event loop.
///
/// At each wake-up it writes every token that is due (one when on schedule; many when
/// `itl` is 0 or the loop fell behind) as a single buffer and flushes, then sleeps until the next
/// deadline. Only one task is scheduled at a time. When the channel is not writable it waits
/// for ``resume()``, so a slow reader gets batches instead of an unbounded queue.
final class TokenStream: ResponseJob {
    /// Tokens written per wake-up at most, so streams sharing a loop take turns.
    static let batchLimit = 256

    private let context: ChannelHandlerContext
    private let chunks: StreamChunks
    private let stats: StatsRecorder
    private let clock: TokenClock
    private let plan: ReplyPlan
    private let total: Int
    /// Tokens this reply sends: all of them, or half for `reset` and `truncate`.
    private let sendCount: Int
    /// The `malformed` event goes just before this token.
    private let malformedBefore: Int?
    private var next = 0
    private var scheduled: Scheduled<Void>?
    private var waitingForWritability = false
    private var onEnd: ((StreamEnd) -> Void)?

    init(context: ChannelHandlerContext, chunks: StreamChunks, stats: StatsRecorder, clock: TokenClock,
         tokens: Int, plan: ReplyPlan, onEnd: @escaping (StreamEnd) -> Void) {
        self.context = context
        self.chunks = chunks
        self.stats = stats
        self.clock = clock
        self.plan = plan
        self.total = tokens
        let half = tokens / 2
        self.sendCount = (plan == .reset || plan == .truncate) ? half : tokens
        self.malformedBefore = plan == .malformed ? half : nil
        self.onEnd = onEnd
    }

    /// Schedules the first token.
    func start() {
        step()
    }

    func cancel() {
        scheduled?.cancel()
        scheduled = nil
        end(.cancelled)
    }

    func resume() {
        guard waitingForWritability else { return }
        waitingForWritability = false
        step()
    }

    // MARK: - Scheduling

    private func step() {
        scheduled = nil
        guard onEnd != nil else { return }
        let now = NIODeadline.now().uptimeNanoseconds
        // After the last token of a cut-short reply, the cut itself happens when the next
        // token would have been due.
        if next == sendCount {
            if now < clock.deadline(next) { return sleep(until: clock.deadline(next)) }
            return cutShort()
        }
        let due = clock.due(from: next, limit: min(sendCount - next, Self.batchLimit), now: now)
        guard due > 0 else { return sleep(until: clock.deadline(next)) }
        guard context.channel.isWritable else {
            waitingForWritability = true
            return
        }
        write(due)
        if next == total {
            return end(.completed)  // the last token's buffer carried the end of the body
        }
        let nextDeadline = clock.deadline(next)
        if nextDeadline > NIODeadline.now().uptimeNanoseconds {
            sleep(until: nextDeadline)
        } else {
            // More is due already (zero itl, or catching up): go round the loop once so other
            // channels' reads and writes run between our batches.
            context.eventLoop.assumeIsolated().execute { self.step() }
        }
    }

    private func sleep(until deadline: UInt64) {
        scheduled = context.eventLoop.assumeIsolated().scheduleTask(
            deadline: NIODeadline.uptimeNanoseconds(deadline)
        ) { self.step() }
    }

    // MARK: - Writing

    /// Writes tokens `next ..< next + count` as one buffer and records their lateness.
    private func write(_ count: Int) {
        let range = next..<(next + count)
        let buffer: ByteBuffer
        if count == 1, malformedBefore != range.lowerBound {
            buffer = piece(range.lowerBound)  // the common timed case: a shared buffer, no copy
        } else {
            var batch = context.channel.allocator.buffer(capacity: count * chunks.middle.readableBytes + 512)
            for index in range {
                if index == malformedBefore {
                    var malformed = chunks.malformed
                    batch.writeBuffer(&malformed)
                }
                var token = piece(index)
                batch.writeBuffer(&token)
            }
            buffer = batch
        }
        context.writeAndFlush(NIOAny(buffer), promise: nil)
        let written = NIODeadline.now().uptimeNanoseconds
        stats.tokensWritten(count, written: written, firstDeadline: clock.deadline(range.lowerBound),
                            spacing: clock.spacing)
        next = range.upperBound
    }

    private func piece(_ index: Int) -> ByteBuffer {
        if index == total - 1 { return chunks.last }
        if index == 0 { return chunks.first }
        return chunks.middle
    }

    /// Ends a `reset` or `truncate` reply after its half of the tokens.
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
        let callback = onEnd
        onEnd = nil
        callback?(how)
    }
}
