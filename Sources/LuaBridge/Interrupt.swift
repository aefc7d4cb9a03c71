import CLuaShim

/// Ctrl-C (and SIGTERM, SIGHUP). A C signal handler sets a flag and, while Lua code runs, a hook
/// that raises "interrupted!" inside Lua (as the standard `lua` does).
/// Swift code that waits on other work polls `interruptPending` and cancels.
extension LuaVM {
    /// Installs the SIGINT handler for this VM. One VM per process gets it.
    public func installInterruptHandler() {
        if let L = mainState { frontier_interrupt_install(L) }
    }

    /// Runs `body` with interrupts armed: a SIGINT stops running Lua code
    /// with the error "interrupted!". Disarmed (and the hook removed) after.
    public func interruptible<T>(_ body: () throws -> T) rethrows -> T {
        // Nested (a binding running Lua that runs a binding...): only the outermost arms and disarms.
        interruptDepth += 1
        if interruptDepth == 1 {
            _ = frontier_interrupt_take()  // a Ctrl-C typed before this started is not for it
            frontier_interrupt_arm(1)
        }
        defer {
            interruptDepth -= 1
            if interruptDepth == 0 {
                frontier_interrupt_arm(0)
                _ = frontier_interrupt_take()
            }
        }
        return try body()
    }

    /// Runs code as `run` does, with interrupts armed.
    @discardableResult
    public func runInterruptible(_ code: String, chunkName: String = "=(load)") throws -> [LuaValue] {
        try interruptible { try run(code, chunkName: chunkName) }
    }

    /// Acts as SIGINT would (for tests, and for cancelling from Swift).
    public static func interrupt() { frontier_interrupt_raise() }

    /// True once SIGINT arrived (until taken); for Swift code that waits.
    public static var interruptPending: Bool { frontier_interrupt_pending() != 0 }

    /// The last of SIGINT, SIGTERM or SIGHUP received (all three interrupt alike), nil
    /// before any: the exit status is 128 + it.
    public static var interruptSignal: Int32? {
        let s = frontier_interrupt_signal()
        return s == 0 ? nil : s
    }

    /// Returns whether SIGINT arrived and clears it.
    public static func takeInterrupt() -> Bool { frontier_interrupt_take() != 0 }
}
