import Cost
import LuaBridge

/// What a GPU table (`cost.gpu{}`) stands for: the paper's parameters, an optional
/// capital cost per hour at full use from a CapEx schedule (replacing the
/// depreciation term), and how many GPUs.
struct GPUSpec {
    var name: String?
    var cost: GPUCost
    /// (Σ depreciation + Σ interest) / (months × 730) of a `cost.capex` schedule.
    var capitalAtFullUse: Double?
    var count: Int

    /// The depreciation term: the schedule's capital cost / u, or the paper's.
    var depreciation: Double { capitalAtFullUse.map { $0 / cost.utilization } ?? cost.depreciation }
    /// Dollars per hour for one GPU.
    var hourly: Double { depreciation + cost.runningHourly }
    /// Dollars per calendar hour, used or not: the schedule's capital cost (depreciation +
    /// interest) or the straight-line term at u = 1, + power + maintenance.
    var calendarHourly: Double { capitalAtFullUse.map { $0 + cost.runningHourly } ?? cost.calendarHourly }

    /// Lua names of the parameters, in `GPUCostParameter` order.
    static let parameterNames: [(String, GPUCostParameter)] = [
        ("price", .price), ("years", .years), ("utilization", .utilization), ("power_kw", .powerKW),
        ("pue", .pue), ("electricity", .electricity), ("maintenance", .maintenance),
    ]

    static func parameter(named name: String) -> GPUCostParameter? {
        parameterNames.first { $0.0 == name }?.1
    }

    /// The table Lua sees: hourly components at the top (dollars per GPU-hour), the
    /// inputs under `params`.
    var table: LuaValue {
        var params: [String: LuaValue] = [:]
        for (key, p) in Self.parameterNames { params[key] = .double(cost.value(of: p)) }
        params["residual"] = .double(cost.residualDollars)
        var t: [String: LuaValue] = [
            "kind": "gpu", "gpus": .int(count), "params": .table(params),
            "hourly": .double(hourly), "depreciation": .double(depreciation), "power": .double(cost.power),
            "maintenance": .double(cost.maintenance), "total_hourly": .double(hourly * Double(count)),
            "calendar_hourly": .double(calendarHourly),
        ]
        if let name { t["name"] = .string(name) }
        if let capitalAtFullUse { t["capital_hourly"] = .double(capitalAtFullUse) }
        return .table(t)
    }

    /// The fields of `table`.
    static let tableFields: Set<String> = ["kind", "gpus", "params", "hourly", "depreciation", "power", "maintenance",
                                           "total_hourly", "calendar_hourly", "name", "capital_hourly"]

    /// Reads a `cost.gpu` table back (as returned, or with fields changed by the user).
    static func read(_ v: LuaValue, _ call: LuaCall, _ position: Int, field: String) throws -> GPUSpec {
        guard case .table(let t) = v, t["kind"]?.string == "gpu", case .table(let params)? = t["params"] else {
            throw call.argumentError(position, "field '\(field)' must be a cost.gpu{} table, got \(v.typeName)")
        }
        // Both levels checked, so an edited field with a typo (`g.params.prise = 1`) is an error.
        try Options(table: t, call: call, position: position, path: field + ".").only(tableFields)
        try Options(table: params, call: call, position: position, path: field + ".params.")
            .only(Set(parameterNames.map(\.0) + ["residual"]))
        var values: [GPUCostParameter: Double] = [:]
        for (key, p) in parameterNames {
            guard let d = params[key]?.number else {
                throw call.argumentError(position, "field '\(field)': params.\(key) must be a number")
            }
            values[p] = d
        }
        let residual = params["residual"]?.number ?? 0
        do {
            let cost = try GPUCost(price: values[.price] ?? 0, years: values[.years] ?? 0,
                                   utilization: values[.utilization] ?? 1, powerKW: values[.powerKW] ?? 0,
                                   pue: values[.pue] ?? 1, electricity: values[.electricity] ?? 0,
                                   maintenanceRate: values[.maintenance] ?? 0, residual: .amount(residual))
            return GPUSpec(name: t["name"]?.string, cost: cost, capitalAtFullUse: t["capital_hourly"]?.number,
                           count: t["gpus"]?.integer ?? 1)
        } catch {
            throw call.argumentError(position, "field '\(field)': \(error)")
        }
    }
}

/// Hardware tables of the three ways of paying, read back for `cost.of` and friends.
enum HardwareTable {
    /// The fields of a cloud table (`gpus` too: a plain `{hourly=, gpus=}` is one).
    static let cloudFields: Set<String> = ["kind", "hourly", "gpus", "total_hourly", "name"]
    /// The fields of an API table.
    static let apiFields: Set<String> = ["kind", "input", "output", "per_request", "name"]

    static func cloud(name: String?, hourly: Double, count: Int) -> LuaValue {
        var t: [String: LuaValue] = ["kind": "cloud", "hourly": .double(hourly), "gpus": .int(count),
                                     "total_hourly": .double(hourly * Double(count))]
        if let name { t["name"] = .string(name) }
        return .table(t)
    }

    static func api(name: String?, _ p: APIPrice) -> LuaValue {
        var t: [String: LuaValue] = ["kind": "api", "input": .double(p.inputPerMillion),
                                     "output": .double(p.outputPerMillion), "per_request": .double(p.perRequest)]
        if let name { t["name"] = .string(name) }
        return .table(t)
    }

    /// A hardware table as `Hardware` plus its GPU count (nil for an API) and the
    /// hourly rate of one unit. A plain `{hourly=, gpus=}` is a rented price.
    static func read(_ v: LuaValue, _ call: LuaCall, _ position: Int, gpus: Int?) throws -> (Hardware, hourlyPerGPU: Double?) {
        guard case .table(let t) = v else {
            throw call.argumentError(position, "hardware must be a cost.gpu{}, cost.cloud{} or cost.api{} table, got \(v.typeName)")
        }
        let o = Options(table: t, call: call, position: position)
        let count = try gpus ?? o.int("gpus") ?? 1
        do {
            switch t["kind"]?.string {
            case "gpu":
                let spec = try GPUSpec.read(v, call, position, field: "hardware")
                // The spec's hourly (schedule-aware) billed like a price per GPU-hour.
                return (.cloud(try CloudPrice(hourly: spec.hourly), count: count), spec.hourly)
            case "api":
                try o.only(apiFields)
                let p = try APIPrice(inputPerMillion: try o.number("input") ?? 0, outputPerMillion: try o.number("output") ?? 0,
                                     perRequest: try o.number("per_request") ?? 0)
                return (.api(p), nil)
            case "cloud", nil:
                try o.only(cloudFields)
                guard let hourly = try o.number("hourly") else {
                    throw call.argumentError(position, "hardware needs 'hourly' (dollars per GPU-hour) or a kind from cost.gpu/cloud/api")
                }
                let price = try CloudPrice(hourly: hourly)
                return (.cloud(price, count: count), hourly)
            case let other?:
                throw call.argumentError(position, "hardware has unknown kind '\(other)' (expected gpu, cloud or api)")
            }
        } catch let e as CostError {
            throw call.argumentError(position, wrapping: e, prefix: "hardware: ")
        }
    }
}
