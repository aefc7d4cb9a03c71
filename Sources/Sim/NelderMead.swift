/// Nelder–Mead minimisation inside the unit box [0, 1]^n (points are clamped to
/// it before evaluation), with the standard coefficients and one restart from
/// the best point, since the simplex can collapse early. Deterministic.
enum NelderMead {
    struct Outcome {
        var point: [Double]
        var value: Double
        var evaluations: Int
    }

    static func minimize(start: [Double], step: Double = 0.1, maxEvaluations: Int = 400,
                         tolerance: Double = 1e-12, _ f: ([Double]) -> Double) -> Outcome {
        var evaluations = 0
        func value(_ x: [Double]) -> Double {
            evaluations += 1
            let y = f(clamp(x))
            return y.isNaN ? .infinity : y
        }
        var best = clamp(start)
        var bestValue = value(best)
        for _ in 0..<2 where evaluations < maxEvaluations {
            let outcome = run(from: best, step: step, budget: maxEvaluations - evaluations, tolerance: tolerance,
                              value)
            if outcome.value <= bestValue { (best, bestValue) = (outcome.point, outcome.value) }
        }
        return Outcome(point: best, value: bestValue, evaluations: evaluations)
    }

    private static func run(from start: [Double], step: Double, budget: Int, tolerance: Double,
                            _ value: ([Double]) -> Double) -> Outcome {
        let n = start.count
        // Initial simplex: the start and one step along each axis, inward at the upper bound.
        var simplex = [start]
        for axis in 0..<n {
            var vertex = start
            vertex[axis] += vertex[axis] + step <= 1 ? step : -step
            simplex.append(vertex)
        }
        var values = simplex.map(value)
        var used = n + 1
        while used < budget {
            let order = values.indices.sorted { values[$0] < values[$1] }
            simplex = order.map { simplex[$0] }
            values = order.map { values[$0] }
            let spread = (values[n] - values[0]).magnitude
            let size = simplex.dropFirst().map { zip($0, simplex[0]).map { ($0 - $1).magnitude }.max() ?? 0 }.max() ?? 0
            if spread <= tolerance * (1 + values[0].magnitude) && size < 1e-6 || size < 1e-9 { break }

            var centroid = [Double](repeating: 0, count: n)
            for vertex in simplex.dropLast() { for k in 0..<n { centroid[k] += vertex[k] / Double(n) } }
            func along(_ t: Double) -> [Double] { (0..<n).map { clampUnit(centroid[$0] + t * (simplex[n][$0] - centroid[$0])) } }

            let reflected = along(-1), reflectedValue = value(reflected)
            used += 1
            if reflectedValue < values[0] {
                let expanded = along(-2), expandedValue = value(expanded)
                used += 1
                (simplex[n], values[n]) = expandedValue < reflectedValue ? (expanded, expandedValue) : (reflected, reflectedValue)
            } else if reflectedValue < values[n - 1] {
                (simplex[n], values[n]) = (reflected, reflectedValue)
            } else {
                let contracted = reflectedValue < values[n] ? along(-0.5) : along(0.5)
                let contractedValue = value(contracted)
                used += 1
                if contractedValue < min(reflectedValue, values[n]) {
                    (simplex[n], values[n]) = (contracted, contractedValue)
                } else {
                    // Shrink towards the best vertex.
                    for i in 1...n {
                        simplex[i] = (0..<n).map { simplex[0][$0] + 0.5 * (simplex[i][$0] - simplex[0][$0]) }
                        values[i] = value(simplex[i])
                    }
                    used += n
                }
            }
        }
        let bestIndex = values.indices.min { values[$0] < values[$1] } ?? 0
        return Outcome(point: simplex[bestIndex], value: values[bestIndex], evaluations: used)
    }

    static func clamp(_ x: [Double]) -> [Double] { x.map(clampUnit) }

    static func clampUnit(_ v: Double) -> Double { min(1, max(0, v)) }
}
