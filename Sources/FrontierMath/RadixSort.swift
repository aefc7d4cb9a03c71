/// A stable LSD radix sort of doubles, for the million-point sweeps.
///
/// A comparison sort of a million (x, y, index) records took about 0.45 s on
/// the 2-core development machine; radix passes over 64-bit keys are linear
/// and sequential. Stability gives ties in input order, which keeps every
/// result deterministic.
enum RadixSort {
    /// Bits per digit: 2,048-bucket histograms stay in L1 cache.
    private static let digitBits = 11
    private static let passes = (64 + digitBits - 1) / digitBits

    /// Input positions of `values` in ascending order, ties in input order.
    /// Values must not be NaN; -0.0 and +0.0 tie, as under ==.
    static func order(_ values: [Double]) -> [Int] {
        let n = values.count
        var keys = values.map(orderedBits)
        var index = Array(0..<n)
        var keysOut = [UInt64](repeating: 0, count: n)
        var indexOut = [Int](repeating: 0, count: n)
        let buckets = 1 << digitBits
        // All histograms in one read of the keys.
        var histograms = [Int](repeating: 0, count: buckets * passes)
        for key in keys {
            for pass in 0..<passes { histograms[pass * buckets + digit(key, pass)] += 1 }
        }
        for pass in 0..<passes {
            let base = pass * buckets
            // A pass whose digit is the same for every key would only copy.
            if histograms[base + digit(keys.first ?? 0, pass)] == n { continue }
            var offset = 0
            for b in 0..<buckets {
                let count = histograms[base + b]
                histograms[base + b] = offset
                offset += count
            }
            histograms.withUnsafeMutableBufferPointer { starts in
                keys.withUnsafeBufferPointer { k in
                    index.withUnsafeBufferPointer { i in
                        keysOut.withUnsafeMutableBufferPointer { kOut in
                            indexOut.withUnsafeMutableBufferPointer { iOut in
                                for j in 0..<n {
                                    let slot = base + digit(k[j], pass)
                                    let position = starts[slot]
                                    starts[slot] = position + 1
                                    kOut[position] = k[j]
                                    iOut[position] = i[j]
                                }
                            }
                        }
                    }
                }
            }
            swap(&keys, &keysOut)
            swap(&index, &indexOut)
        }
        return index
    }

    /// Maps a double to an unsigned integer of the same order: flip all bits of
    /// negatives (their magnitude order is reversed), set the sign bit of positives.
    private static func orderedBits(_ value: Double) -> UInt64 {
        // + 0 turns -0.0 into +0.0, so the two zeros tie here as they do under ==.
        let bits = (value + 0).bitPattern
        return bits >> 63 == 1 ? ~bits : bits | (1 << 63)
    }

    private static func digit(_ key: UInt64, _ pass: Int) -> Int {
        Int(truncatingIfNeeded: (key >> UInt64(pass * digitBits)) & UInt64((1 << digitBits) - 1))
    }
}
