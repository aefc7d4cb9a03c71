/// The Pareto engine for three or more objectives.
///
/// Sorting lexicographically puts every dominator of a point before it (a
/// dominator is ≤ everywhere and < somewhere, so it is lexicographically
/// smaller). A point is then on the front exactly when no front point found so
/// far dominates it: if some earlier point dominated it, so would a front point,
/// by transitivity. Cost O(n log n + n · front size · objectives).
enum LexicographicFilter {
    static func frontMask(_ matrix: CostMatrix) -> [Bool] {
        let columns = matrix.columns
        let order = (0..<matrix.count).sorted { a, b in
            for column in columns where column[a] != column[b] {
                return column[a] < column[b]
            }
            return a < b
        }
        var mask = [Bool](repeating: false, count: matrix.count)
        var front: [Int] = []
        for candidate in order where !front.contains(where: { matrix.dominates($0, candidate) }) {
            front.append(candidate)
            mask[candidate] = true
        }
        return mask
    }
}
