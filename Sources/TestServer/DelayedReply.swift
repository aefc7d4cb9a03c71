import NIOCore

/// A non-streamed reply: the whole body goes out at the last token's deadline,
/// received + ttft + (n−1)·itl.
final class DelayedReply: ResponseJob {
    private let context: ChannelHandlerContext
    private let stats: StatsRecorder
    private let deadline: UInt64
    private let tokens: Int
    /// The full response (head and body), or nil to reset the connection instead (`reset`).
    private let response: ByteBuffer?
    private var scheduled: Scheduled<Void>?
    private var onEnd: ((StreamEnd) -> Void)?

    init(context: ChannelHandlerContext, stats: StatsRecorder, deadline: UInt64, tokens: Int,
         response: ByteBuffer?, onEnd: @escaping (StreamEnd) -> Void) {
        self.context = context
        self.stats = stats
        self.deadline = deadline
        self.tokens = tokens
        self.response = response
        self.onEnd = onEnd
    }

    func start() {
        scheduled = context.eventLoop.assumeIsolated().scheduleTask(
            deadline: NIODeadline.uptimeNanoseconds(deadline)
        ) { self.fire() }
    }

    func cancel() {
        scheduled?.cancel()
        scheduled = nil
        end(.cancelled)
    }

    func resume() {}

    private func fire() {
        scheduled = nil
        guard onEnd != nil else { return }
        guard let response else {
            end(.aborted)
            context.resetConnection()
            return
        }
        context.writeAndFlush(NIOAny(response), promise: nil)
        stats.bodyWritten(tokens: tokens, written: NIODeadline.now().uptimeNanoseconds, deadline: deadline)
        end(.completed)
    }

    private func end(_ how: StreamEnd) {
        let callback = onEnd
        onEnd = nil
        callback?(how)
    }
}
