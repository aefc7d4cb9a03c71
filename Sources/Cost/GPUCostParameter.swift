/// The numeric parameters of `GPUCost`, by name: what sensitivity analyses vary and
/// what preset overrides set. `maintenance` is the annual rate m, not the hourly term.
public enum GPUCostParameter: String, CaseIterable, Sendable, Hashable, Comparable {
    /// Purchase price P.
    case price
    /// Depreciation years Y.
    case years
    /// Utilization u.
    case utilization
    /// Average power draw in kW.
    case powerKW
    /// Power usage effectiveness.
    case pue
    /// Electricity price E, $/kWh.
    case electricity
    /// Annual maintenance rate m.
    case maintenance

    /// Declaration order, so results that tie sort the same way on every run.
    public static func < (lhs: GPUCostParameter, rhs: GPUCostParameter) -> Bool {
        order(lhs) < order(rhs)
    }

    private static func order(_ parameter: GPUCostParameter) -> Int {
        allCases.firstIndex(of: parameter) ?? 0
    }
}

extension GPUCost {
    /// The current value of one parameter.
    public func value(of parameter: GPUCostParameter) -> Double {
        switch parameter {
        case .price: return price
        case .years: return years
        case .utilization: return utilization
        case .powerKW: return powerKW
        case .pue: return pue
        case .electricity: return electricity
        case .maintenance: return maintenanceRate
        }
    }

    /// A copy with one parameter changed, validated like the initialiser.
    public func with(_ parameter: GPUCostParameter, _ value: Double) throws -> GPUCost {
        try with([parameter: value])
    }

    /// A copy with several parameters changed, validated like the initialiser.
    public func with(_ values: [GPUCostParameter: Double], residual: ResidualValue? = nil) throws -> GPUCost {
        func pick(_ parameter: GPUCostParameter) -> Double { values[parameter] ?? value(of: parameter) }
        return try GPUCost(price: pick(.price), years: pick(.years), utilization: pick(.utilization),
                           powerKW: pick(.powerKW), pue: pick(.pue), electricity: pick(.electricity),
                           maintenanceRate: pick(.maintenance), residual: residual ?? self.residual)
    }
}
