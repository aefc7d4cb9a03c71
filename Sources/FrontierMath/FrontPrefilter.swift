/// A linear-time filter that discards most dominated points before the
/// two-objective front's sort.
///
/// Points are bucketed by x into n equal-width bins. A point in bin b is
/// dominated when some point in an earlier bin (so with a strictly smaller x)
/// has a y no larger than its own, so only points whose y is below the minimum
/// y of all earlier bins can be on the front. On typical data that leaves a
/// small fraction of the points for the sort; in the worst case (every point
/// on the front) it leaves them all and costs a few sequential passes.
enum FrontPrefilter {
    /// Positions (ascending) of the points that may be on the front.
    static func candidates(x: [Double], y: [Double]) -> [Int] {
        let n = x.count
        guard let lo = x.min(), let hi = x.max() else { return [] }
        let width = hi - lo
        // Equal x everywhere, or a range too wide for doubles: nothing to gain.
        guard width > 0, width.isFinite else { return Array(0..<n) }
        let scale = Double(n) / width
        // Monotone in x (each step of the arithmetic is), so an earlier bin
        // means a strictly smaller x.
        let bin = x.map { min(Int((($0 - lo) * scale).rounded(.down)), n - 1) }
        var binMin = [Double](repeating: .infinity, count: n)
        for i in 0..<n where y[i] < binMin[bin[i]] { binMin[bin[i]] = y[i] }
        // binMin[b] becomes the minimum y over bins before b.
        var running = Double.infinity
        for b in 0..<n {
            let own = binMin[b]
            binMin[b] = running
            running = min(running, own)
        }
        return (0..<n).filter { y[$0] < binMin[bin[$0]] }
    }

    /// Front membership by input position: the exact sweep over the candidates.
    static func frontMask(x: [Double], y: [Double]) -> [Bool] {
        let candidates = candidates(x: x, y: y)
        // Nothing pruned (a front of every point): skip the copies.
        if candidates.count == x.count { return Sweep2D(x: x, y: y).frontMask() }
        let sweep = Sweep2D(x: candidates.map { x[$0] }, y: candidates.map { y[$0] })
        var mask = [Bool](repeating: false, count: x.count)
        // Candidates keep input order, so ties resolve as in the full sweep.
        for (k, onFront) in sweep.frontMask().enumerated() where onFront { mask[candidates[k]] = true }
        return mask
    }
}
