/// Pairwise listing of dominators (and counting, where no faster count exists).
enum DominatorListing {
    /// Counts of dominators and the first `limit` of them in input order.
    ///
    /// With known `counts`, undominated points are skipped and each scan stops
    /// once it has all the dominators it may list; without, every pair is tested
    /// (O(n² · objectives)) and the counts come out of the same scan.
    static func list(_ matrix: CostMatrix, limit: Int, counts known: [Int]?) -> (counts: [Int], lists: [[Int]]) {
        let n = matrix.count
        var counts = known ?? [Int](repeating: 0, count: n)
        var lists = [[Int]](repeating: [], count: limit > 0 ? n : 0)
        for b in 0..<n {
            let wanted = known.map { min($0[b], limit) }
            if wanted == 0 { continue }
            var found = 0
            var listed: [Int] = []
            for a in 0..<n where matrix.dominates(a, b) {
                found += 1
                if listed.count < limit { listed.append(a) }
                if let wanted, listed.count == wanted { break }
            }
            if known == nil { counts[b] = found }
            if limit > 0 { lists[b] = listed }
        }
        return (counts, lists)
    }
}
