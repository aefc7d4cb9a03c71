/// A log-linear histogram of non-negative nanosecond values, for lateness percentiles.
///
/// Values below 128 ns have their own bucket; above, each power of two is split into 64
/// buckets, so a reported percentile is within 1/64 (about 1.6 %) of the true value. Fixed
/// memory whatever the sample count, which matters at hundreds of thousands of writes a second.
struct LatenessHistogram {
    private static let linearLimit: UInt64 = 128
    private static let subBucketBits = 6
    private static let subBuckets = 1 << subBucketBits
    // Exponents 7...63 each get `subBuckets` buckets after the linear range.
    private static let bucketCount = Int(linearLimit) + (64 - 7) * subBuckets

    private var counts = [Int](repeating: 0, count: bucketCount)
    private(set) var count = 0
    private(set) var max: UInt64 = 0
    private var sum: Double = 0

    /// Adds `n` samples of `value` nanoseconds.
    mutating func record(_ value: UInt64, count n: Int = 1) {
        guard n > 0 else { return }
        counts[Self.bucket(of: value)] += n
        count += n
        sum += Double(value) * Double(n)
        if value > max { max = value }
    }

    /// Mean in nanoseconds (0 when empty).
    var mean: Double { count == 0 ? 0 : sum / Double(count) }

    /// The value at quantile `q` (0...1) in nanoseconds: the midpoint of the bucket holding it,
    /// never above the exact maximum. 0 when empty.
    func quantile(_ q: Double) -> UInt64 {
        guard count > 0 else { return 0 }
        let rank = Swift.max(1, Int((q * Double(count)).rounded(.up)))
        var seen = 0
        for (index, bucketCount) in counts.enumerated() where bucketCount > 0 {
            seen += bucketCount
            if seen >= rank { return Swift.min(Self.midpoint(of: index), max) }
        }
        return max
    }

    static func bucket(of value: UInt64) -> Int {
        if value < linearLimit { return Int(value) }
        let exponent = 63 - value.leadingZeroBitCount  // >= 7 here
        let sub = Int((value >> UInt64(exponent - subBucketBits)) & UInt64(subBuckets - 1))
        return Int(linearLimit) + (exponent - 7) * subBuckets + sub
    }

    static func midpoint(of index: Int) -> UInt64 {
        if index < Int(linearLimit) { return UInt64(index) }
        let exponent = (index - Int(linearLimit)) / subBuckets + 7
        let sub = UInt64((index - Int(linearLimit)) % subBuckets)
        let width = UInt64(1) << UInt64(exponent - subBucketBits)
        let low = (UInt64(1) << UInt64(exponent)) + sub * width
        return low + width / 2
    }
}
