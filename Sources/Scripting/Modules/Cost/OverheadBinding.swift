import Cost
import LuaBridge

/// `cost.overhead{}`: one-off and recurring costs besides the hardware, spread over a
/// horizon (issue 15: fine-tuning and the like in the per-token cost and the break-even).
enum OverheadBinding {
    /// The fields of a cost.overhead{} result, the only table `overhead` options take.
    static let fields: Set<String> = ["kind", "months", "one_off_total", "recurring_monthly", "monthly_total", "items"]

    /// Builds the table from `{one_off = {name = dollars | {gpu_hours=, hourly=}}, monthly = {name = dollars}, months =}`.
    static func make(_ call: LuaCall) throws -> LuaValue {
        let o = try Options(call, 1)
        try o.only(["one_off", "monthly", "months"])
        let months = try o.required("months", o.int, "the months one-off costs are spread over")
        do {
            let oneOff = try items(o.table["one_off"], call, field: "one_off", fineTuning: true)
            let recurring = try items(o.table["monthly"], call, field: "monthly", fineTuning: false)
            guard !oneOff.isEmpty || !recurring.isEmpty else {
                throw call.argumentError(1, "give 'one_off' and/or 'monthly' costs ({ data = 3000, … })")
            }
            return table(try Overhead(oneOff: oneOff, recurring: recurring, months: months))
        } catch let e as CostError {
            throw call.argumentError(1, wrapping: e)
        }
    }

    /// Named dollar amounts, sorted by name so the result does not depend on table order;
    /// a one-off item may be `{gpu_hours=, hourly=}` (a fine-tuning job).
    private static func items(_ v: LuaValue?, _ call: LuaCall, field: String, fineTuning: Bool) throws -> [Overhead.Item] {
        guard let v, !v.isNil else { return [] }
        guard case .table(let t) = v else {
            if case .array(let a) = v, a.isEmpty { return [] }
            throw call.argumentError(1, "field '\(field)' must be a table of name = dollars, got \(v.typeName)")
        }
        return try t.keys.sorted().map { name in
            let value = t[name] ?? .nil
            if let d = value.number { return try Overhead.Item(name: name, dollars: d) }
            if fineTuning, case .table(let job) = value {
                try Options(table: job, call: call, position: 1, path: "\(field).\(name).").only(["gpu_hours", "hourly"])
                guard let hours = job["gpu_hours"]?.number, let hourly = job["hourly"]?.number else {
                    throw call.argumentError(1, "field '\(field).\(name)' needs 'gpu_hours' and 'hourly' (dollars per GPU-hour)")
                }
                return try Overhead.Item(name: name, dollars: try Overhead.fineTuning(gpuHours: hours, hourly: hourly))
            }
            throw call.argumentError(1, "field '\(field).\(name)' must be dollars\(fineTuning ? " or {gpu_hours=, hourly=}" : ""), got \(value.typeName)")
        }
    }

    static func table(_ o: Overhead) -> LuaValue {
        let rows: [LuaValue] = o.oneOff.map { ["name": .string($0.name), "dollars": .double($0.dollars), "when": "one_off"] }
            + o.recurring.map { ["name": .string($0.name), "dollars": .double($0.dollars), "when": "monthly"] }
        return ["kind": "overhead", "months": .int(o.months), "one_off_total": .double(o.oneOffTotal),
                "recurring_monthly": .double(o.recurringMonthly), "monthly_total": .double(o.monthly), "items": .array(rows)]
    }

    /// Reads a cost.overhead{} result back.
    static func read(_ v: LuaValue, _ call: LuaCall, field: String) throws -> Overhead {
        guard case .table(let t) = v, t["kind"]?.string == "overhead", case .array(let rows)? = t["items"],
              let months = t["months"]?.integer else {
            throw call.argumentError(1, "field '\(field)' must be a cost.overhead{} table, got \(v.typeName)")
        }
        try Options(table: t, call: call, position: 1, path: field + ".").only(fields)
        do {
            var oneOff: [Overhead.Item] = [], recurring: [Overhead.Item] = []
            for row in rows {
                guard let name = row["name"].string, let dollars = row["dollars"].number else {
                    throw call.argumentError(1, "field '\(field).items' must hold {name=, dollars=, when=} rows")
                }
                let item = try Overhead.Item(name: name, dollars: dollars)
                if row["when"].string == "monthly" { recurring.append(item) } else { oneOff.append(item) }
            }
            return try Overhead(oneOff: oneOff, recurring: recurring, months: months)
        } catch let e as CostError {
            throw call.argumentError(1, wrapping: e)
        }
    }
}
