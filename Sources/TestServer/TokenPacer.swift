/// Decides when a ``TestServer`` reply's tokens exist, instead of the fixed ttft/itl clock:
/// a simulated engine, say, that batches requests and slows down under load.
///
/// Set ``TestServerConfig/pacer``; every generation request that is answered (not a 429,
/// 500, non-JSON or stall fault) then calls ``start(promptTokens:maxTokens:deliver:)`` once.
/// The server writes tokens as they are delivered; the reply's bytes are the same as
/// without a pacer, only their timing differs.
public protocol TokenPacer: Sendable {
    /// Starts generating `maxTokens` tokens for a prompt of `promptTokens` words (at least 1).
    /// `deliver(n)` reports `n` new tokens, from any thread; the request is done when the
    /// deliveries add up to `maxTokens`. Throwing rejects the request with status 400 and
    /// the error's description as the message (a prompt longer than the model can hold).
    func start(promptTokens: Int, maxTokens: Int,
               deliver: @escaping @Sendable (Int) -> Void) throws -> any PacedRequest

    /// Called once by ``TestServer/stop()``, after the listener closes and before the open
    /// connections do, so the pacer can end its threads; it must not deliver afterwards
    /// (requests still open are then cancelled). The default does nothing.
    func shutdown()
}

extension TokenPacer {
    /// Does nothing.
    public func shutdown() {}
}

/// One request a ``TokenPacer`` is generating.
public protocol PacedRequest: Sendable {
    /// Stops generating: the client went away or the reply was cut short. Deliveries that
    /// arrive afterwards are ignored; calling it after the last token is harmless.
    func cancel()
}
