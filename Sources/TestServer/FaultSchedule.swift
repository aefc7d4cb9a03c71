import Foundation
import NIOConcurrencyHelpers

/// Decides, in arrival order, which fault (if any) each generation request gets.
///
/// Shared by all event loops, so the request counter sits behind a lock: arrival order is the
/// order in which loops reach it.
final class FaultSchedule: Sendable {
    private let faults: [Fault]
    private let nextIndex = NIOLockedValueBox(0)

    init(faults: [Fault]) {
        self.faults = faults
    }

    /// Numbers the next request and returns the first listed fault that fires on it.
    func next() -> Fault.Kind? {
        if faults.isEmpty { return nil }
        let k = nextIndex.withLockedValue { n in
            defer { n += 1 }
            return n
        }
        return Self.pick(faults, request: k)
    }

    /// The first fault in `faults` that fires on request `k` (0-based).
    static func pick(_ faults: [Fault], request k: Int) -> Fault.Kind? {
        faults.first { fires(fraction: $0.fraction, request: k) }?.kind
    }

    /// Whether a fault of `fraction` fires on request `k`: ⌊(k+1)·f⌋ > ⌊k·f⌋.
    static func fires(fraction: Double, request k: Int) -> Bool {
        // The epsilon absorbs binary rounding such as 0.29 * 100 = 28.999999999999996, which
        // would otherwise move a firing by one request and break the exact count.
        let before = (Double(k) * fraction + 1e-9).rounded(.down)
        let after = (Double(k + 1) * fraction + 1e-9).rounded(.down)
        return after > before
    }
}
