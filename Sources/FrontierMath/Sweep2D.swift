/// The two-objective Pareto engine: one sort, then sequential sweeps.
///
/// Both objectives are to be minimised (see ``CostMatrix``). Points are put in
/// (x, y) order, ties in input order; then every possible dominator of a point
/// comes before it. The order is computed once and shared by the front and the
/// dominator counts, and both walk gathered copies of x and y in that order, so
/// their memory access is sequential.
struct Sweep2D {
    /// The counts' merge records hold positions in 32 bits; larger inputs take
    /// the general engine (which would be far too slow for them anyway).
    static let maximumCount = Int(UInt32.max)

    /// Input positions in (x, y) order, ties in input order.
    let order: [Int]
    /// x in that order.
    let sortedX: [Double]
    /// y in that order.
    let sortedY: [Double]

    init(x: [Double], y: [Double]) {
        var order = RadixSort.order(x)
        let sortedX = order.map { x[$0] }
        var sortedY = order.map { y[$0] }
        // Runs of equal x (rare in measured data) are put in y order by a small sort.
        var start = 0
        while start < order.count {
            var end = start + 1
            while end < order.count, sortedX[end] == sortedX[start] { end += 1 }
            if end - start > 1 {
                // x is equal across the run, so only order and y change.
                let run = order[start..<end].sorted { (y[$0], $0) < (y[$1], $1) }
                order.replaceSubrange(start..<end, with: run)
                sortedY.replaceSubrange(start..<end, with: run.map { y[$0] })
            }
            start = end
        }
        self.order = order
        self.sortedX = sortedX
        self.sortedY = sortedY
    }

    /// Front membership by input position.
    ///
    /// A point is on the front when its y is the smallest of its x-run (a
    /// smaller y at the same x dominates it) and below every y at a smaller x.
    func frontMask() -> [Bool] {
        var mask = [Bool](repeating: false, count: order.count)
        var bestBefore = Double.infinity
        var runStart = 0
        for k in order.indices {
            if sortedX[k] != sortedX[runStart] {
                bestBefore = min(bestBefore, sortedY[runStart])
                runStart = k
            }
            // The run is in y order, so its smallest y is its first.
            if sortedY[k] == sortedY[runStart], sortedY[k] < bestBefore { mask[order[k]] = true }
        }
        return mask
    }

    /// Exact number of dominators of every point, O(n log n).
    ///
    /// In (x, y) order the dominators of b are the earlier points with y ≤ b.y,
    /// less the earlier points equal to b. Counting earlier points with a
    /// smaller or equal y is an inversion count, done by a bottom-up merge sort
    /// on y (sequential passes, where a Fenwick tree took 0.7 s per million
    /// points in random accesses).
    func dominatorCounts() -> [Int] {
        let n = order.count
        var records = sortedY.enumerated().map {
            Record(y: $0.element, position: UInt32(truncatingIfNeeded: $0.offset), earlier: 0)
        }
        var scratch = records
        var width = 1
        while width < n {
            records.withUnsafeBufferPointer { source in
                scratch.withUnsafeMutableBufferPointer { target in
                    var start = 0
                    while start < n {
                        Self.merge(source, into: target, start, min(start + width, n), min(start + 2 * width, n))
                        start += 2 * width
                    }
                }
            }
            swap(&records, &scratch)
            width *= 2
        }
        // Earlier points equal to each point are consecutive in (x, y) order.
        var equalBefore = [Int](repeating: 0, count: n)
        for k in order.indices.dropFirst() where sortedX[k] == sortedX[k - 1] && sortedY[k] == sortedY[k - 1] {
            equalBefore[k] = equalBefore[k - 1] + 1
        }
        var counts = [Int](repeating: 0, count: n)
        for record in records {
            let k = Int(record.position)
            counts[order[k]] = Int(record.earlier) - equalBefore[k]
        }
        return counts
    }

    /// A point in (x, y) order being merge-sorted by y, with its running count
    /// of earlier points whose y is smaller or equal. 32-bit fields keep it at
    /// 16 bytes (each merge level moves every record); callers guarantee fewer
    /// than 2³² points.
    private struct Record {
        var y: Double
        var position: UInt32
        var earlier: UInt32
    }

    /// Merges source[start..<middle] and source[middle..<end] (each in y order)
    /// into target. Left elements win ties, so when a right element is placed
    /// every left element with y ≤ its y has been placed before it.
    private static func merge(_ source: UnsafeBufferPointer<Record>, into target: UnsafeMutableBufferPointer<Record>,
                              _ start: Int, _ middle: Int, _ end: Int) {
        var left = start, right = middle, out = start
        while left < middle, right < end {
            if source[left].y <= source[right].y {
                target[out] = source[left]
                left += 1
            } else {
                target[out] = source[right]
                target[out].earlier += UInt32(truncatingIfNeeded: left - start)
                right += 1
            }
            out += 1
        }
        while left < middle {
            target[out] = source[left]
            left += 1
            out += 1
        }
        while right < end {
            target[out] = source[right]
            target[out].earlier += UInt32(truncatingIfNeeded: middle - start)
            right += 1
            out += 1
        }
    }
}
