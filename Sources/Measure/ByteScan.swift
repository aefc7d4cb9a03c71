/// Finding the next of two bytes eight at a time (SWAR): the SSE parser's line ends and the
/// chunk scanner's string ends are its two inner loops, and most of a chunk's bytes pass here.
enum ByteScan {
    private static let ones: UInt64 = 0x0101_0101_0101_0101
    private static let highs: UInt64 = 0x8080_8080_8080_8080

    /// The index of the first byte equal to `a` or `b` at or after `i`, or `buf.count`.
    @inline(__always)
    static func first(_ a: UInt8, _ b: UInt8, in buf: UnsafeBufferPointer<UInt8>, from i: Int) -> Int {
        let n = buf.count
        var j = i
        if let base = buf.baseAddress {
            let pa = UInt64(a) &* ones, pb = UInt64(b) &* ones
            while j + 8 <= n {
                // A zero byte of w ^ pa is a byte equal to a. The lowest flagged byte is exact
                // (a borrow only flags bytes above a true zero), and little-endian order makes
                // it the first in memory.
                let w = UInt64(littleEndian: UnsafeRawPointer(base + j).loadUnaligned(as: UInt64.self))
                let xa = w ^ pa, xb = w ^ pb
                let m = ((xa &- ones) & ~xa | (xb &- ones) & ~xb) & highs
                if m != 0 { return j + m.trailingZeroBitCount >> 3 }
                j += 8
            }
        }
        while j < n, buf[j] != a, buf[j] != b { j += 1 }
        return j
    }
}
