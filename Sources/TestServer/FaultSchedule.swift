import Foundation
import NIOConcurrencyHelpers

/// Decides, in arrival order, which fault (if any) each generation request gets.
///
/// Shared by all event loops, so the request counter sits behind a lock: arrival order is the
/// order in which loops reach it.
final class FaultSchedule: Sendable {
    private let faults: [Fault]
    /// Requests numbered so far, and how many of them each fault (by position) got.
    private let state: NIOLockedValueBox<(next: Int, given: [Int])>

    init(faults: [Fault]) {
        self.faults = faults
        state = NIOLockedValueBox((0, Array(repeating: 0, count: faults.count)))
    }

    /// Numbers the next request and returns the fault it gets, if any.
    func next() -> Fault.Kind? {
        if faults.isEmpty { return nil }
        return state.withLockedValue { s in
            defer { s.next += 1 }
            guard let i = Self.pick(faults, request: s.next, given: s.given) else { return nil }
            s.given[i] += 1
            return faults[i].kind
        }
    }

    /// The position of the fault request `k` (0-based) gets, given how many each fault got
    /// before it: the one furthest behind its due count ⌊(k+1)·f⌋ (the first listed on a
    /// tie), nil when none is behind.
    static func pick(_ faults: [Fault], request k: Int, given: [Int]) -> Int? {
        var best: Int?, bestDeficit = 0.0
        for (i, f) in faults.enumerated() {
            let due = (Double(k + 1) * f.fraction + 1e-9).rounded(.down)
            let deficit = due - Double(given[i])
            if deficit >= 1, deficit > bestDeficit {
                best = i
                bestDeficit = deficit
            }
        }
        return best
    }

    /// Whether a lone fault of `fraction` fires on request `k`: ⌊(k+1)·f⌋ > ⌊k·f⌋.
    static func fires(fraction: Double, request k: Int) -> Bool {
        // The epsilon absorbs binary rounding such as 0.29 * 100 = 28.999999999999996, which
        // would otherwise move a firing by one request and break the exact count.
        let before = (Double(k) * fraction + 1e-9).rounded(.down)
        let after = (Double(k + 1) * fraction + 1e-9).rounded(.down)
        return after > before
    }
}
