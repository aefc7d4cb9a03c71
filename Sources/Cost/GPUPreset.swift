/// A named GPU with default cost parameters. Prices move: every figure is a default
/// that `cost(overrides:residual:)` replaces, and docs/cost.md gives each one's source.
public struct GPUPreset: Sendable, Equatable {
    /// The canonical name, e.g. "A800-80G".
    public let name: String
    /// Other names that select this preset ("A800", "A800-80G-SXM").
    public let aliases: [String]
    /// The default parameters, at zero residual.
    public let baseline: GPUCost
    /// Where the purchase price comes from, and whether it is an assumption.
    public let priceSource: String
    /// Where the power draw comes from.
    public let powerSource: String

    /// The preset's cost with some parameters replaced (validated like `GPUCost.init`).
    public func cost(overrides: [GPUCostParameter: Double] = [:],
                     residual: ResidualValue? = nil) throws -> GPUCost {
        try baseline.with(overrides, residual: residual)
    }

    /// The preset called `name` or one of its aliases. Matching ignores case, spaces,
    /// hyphens and underscores ("a800 80g", "H100_SXM"); an unknown name throws
    /// `CostError.unknownPreset` listing the known presets.
    public static func named(_ name: String) throws -> GPUPreset {
        let key = normalized(name)
        let match = all.first { preset in
            ([preset.name] + preset.aliases).contains { normalized($0) == key }
        }
        guard let match else { throw CostError.unknownPreset(name: name, known: all.map(\.name)) }
        return match
    }

    /// Separators and case carry no meaning in GPU names people type.
    static func normalized(_ name: String) -> String {
        String(name.lowercased().filter { !" -_".contains($0) })
    }
}
