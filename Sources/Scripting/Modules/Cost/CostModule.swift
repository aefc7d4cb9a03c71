import Cost
import LuaBridge
import Metrics
import Runs
import Store

/// `cost.*`: what hardware, rented GPUs and APIs cost, and what a run cost on them.
enum CostModule {
    static func register(in vm: LuaVM, store: StoreModule) throws {
        try vm.register(module: "cost", summary: "Turn measured time into money: GPU, cloud and API prices, CapEx, break-even, sensitivity.", [
            LuaBinding("gpu", args: "{name=, price=, years=, utilization=1, power_kw=, pue=, electricity=, maintenance=, residual=, residual_fraction=, capex=, gpus=1}",
                       "Hourly cost of owning a GPU (paper formula): depreciation + power + maintenance, from a preset name and/or parameters.") { call in
                try call.returning(try gpu(call).table)
            },
            LuaBinding("cloud", args: "{hourly=, gpus=1, name=}", "A rented GPU's price per GPU-hour.") { call in
                let o = try Options(call, 1)
                try o.only(["hourly", "gpus", "name"])
                let hourly = try o.required("hourly", o.number, "dollars per GPU-hour")
                let count = try o.int("gpus") ?? 1
                guard count >= 1 else { throw call.argumentError(1, "field 'gpus' must be ≥ 1, got \(count)") }
                do { _ = try CloudPrice(hourly: hourly) } catch { throw call.argumentError(1, "\(error)") }
                return try call.returning(HardwareTable.cloud(name: try o.string("name"), hourly: hourly, count: count))
            },
            LuaBinding("api", args: "{input=, output=, per_request=0, name=}", "A hosted API's price: dollars per 1M input and output tokens.") { call in
                let o = try Options(call, 1)
                try o.only(["input", "output", "per_request", "name"])
                do {
                    let p = try APIPrice(inputPerMillion: try o.required("input", o.number, "dollars per 1M input tokens"),
                                         outputPerMillion: try o.required("output", o.number, "dollars per 1M output tokens"),
                                         perRequest: try o.number("per_request") ?? 0)
                    return try call.returning(HardwareTable.api(name: try o.string("name"), p))
                } catch let e as CostError { throw call.argumentError(1, wrapping: e) }
            },
            LuaBinding("presets", "The built-in GPU presets with their parameters, hourly cost and sources.") { call in
                let rows: [[String: LuaValue]] = GPUPreset.all.map { p in
                    ["name": .string(p.name), "price": .double(p.baseline.price), "power_kw": .double(p.baseline.powerKW),
                     "hourly": .double(p.baseline.hourly), "aliases": .string(p.aliases.joined(separator: ", ")),
                     "price_source": .string(p.priceSource)]
                }
                try call.push(records: rows, columns: ["name", "hourly", "price", "power_kw", "aliases", "price_source"])
                return 1
            },
            LuaBinding("of", args: "run, hardware, [{gpus=, utilization=1, sla=, quality=, power='preset'|'run', overhead=, monthly_requests=, monthly_tokens=}]",
                       "What a run cost on hardware (cost.gpu/cloud/api or {hourly=, gpus=}): total, per request, per 1M tokens, per good request, per quality point; with an overhead and a monthly volume, its share too.") { call in
                try call.returning(try of(call, store: store))
            },
            LuaBinding("capex", args: "{price=, years=, method='straight'|'declining', rate=, residual=, residual_fraction=, financing={rate=, months=, amount=}, schedule=function(month, price) ... end | {amounts}}",
                       "A CapEx schedule for one GPU: monthly depreciation, interest and book value, and its capital cost per hour (give it to cost.gpu{capex=}).") { call in
                try call.returning(try capex(call))
            },
            LuaBinding("energy", args: "run, [{idle_share=0.2}]",
                       "A run's energy: joules, average power, joules per output token and per request, from its power_w samples (measured) or, simulated, from board power and busy time (estimated).") { call in
                try call.returning(try EnergyBinding.energy(call, store: store))
            },
            LuaBinding("overhead", args: "{one_off={name=dollars | {gpu_hours=, hourly=}, ...}, monthly={name=dollars, ...}, months=}",
                       "Costs besides the hardware (fine-tuning, data, engineering; recurring ones) spread over months: dollars a month, for cost.of and cost.breakeven.") { call in
                try call.returning(try OverheadBinding.make(call))
            },
            LuaBinding("breakeven", args: "{gpu=, cloud=, api=, gpus=1, tokens_per_s= | run=, input_share=, utilization=1 | {u...}, cloud_utilization=1, tokens_per_request=, volumes={...}, overhead={self_hosted=, cloud=, api=}}",
                       "Self-hosted vs cloud vs API monthly cost against token volume: crossover volumes and a table of costs.") { call in
                try call.returning(try BreakEvenBinding.run(call))
            },
            LuaBinding("demand", args: "{rates={...} | timestamps={...} | csv=path, column='timestamp' | run= | fn=function(t) ... end, hours=168, interval=3600, start=, max_gap=, speed_up=1, peak_to_mean=}",
                       "A demand profile: requests per second per interval (from rates, arrival times, a CSV column, a stored run's requests or a function of time) with mean, peak, peak_to_mean and p50/p90/p99.") { call in
                try call.returning(try DemandBinding.make(call, store: store))
            },
            LuaBinding("plan", args: "{demand=, capacity=, gpu=, cloud={hourly=, gpus=, granularity=1, min_billing=0, startup=0}, api=, tokens_per_request={input=, output=}, percentile=100, base_replicas=, max_miss_fraction=0.01, idle_share=0.2, capex=}",
                       "Capacity plans for a demand profile: self-hosted for the peak (or a percentile), cloud that scales, API, and owned base + cloud or API for the peaks; monthly cost, SLA misses, owned utilisation and the cheapest; with capex, each plan month by month.") { call in
                try call.returning(try PlanBinding.run(call))
            },
            LuaBinding("tornado", args: "{gpu=, ranges={price={lo, hi}, ...}, metric=function(gpu) return gpu.hourly end}",
                       "One-at-a-time sensitivity of a cost figure to each GPU parameter, largest swing first.") { call in
                try call.returning(try SensitivityBinding.tornado(call))
            },
            LuaBinding("montecarlo", args: "{gpu=, vary={price={kind='normal', mean=, sd=} | {lo, hi}, ...}, samples=10000, seed=1, metric=function(gpu) ... end}",
                       "Monte Carlo sensitivity: the cost figure's mean, stdev and p5/p50/p95 over random parameters.") { call in
                try call.returning(try SensitivityBinding.monteCarlo(call))
            },
        ])
    }

    static let gpuFields: Set<String> = ["name", "price", "years", "utilization", "power_kw", "pue", "electricity",
                                         "maintenance", "residual", "residual_fraction", "capex", "gpus"]

    /// The fields of a cost.capex{} result, the only table `capex` takes.
    static let capexFields: Set<String> = ["kind", "price", "months", "residual", "payment", "total_depreciation",
                                           "total_interest", "hourly", "schedule"]

    /// A preset (by name) with overrides, or a GPU from parameters alone.
    static func gpu(_ call: LuaCall) throws -> GPUSpec {
        let o = try Options(call, 1)
        try o.only(gpuFields)
        var overrides: [GPUCostParameter: Double] = [:]
        for (key, p) in GPUSpec.parameterNames { if let d = try o.number(key) { overrides[p] = d } }
        var residual: ResidualValue?
        if let d = try o.number("residual") { residual = .amount(d) }
        if let f = try o.number("residual_fraction") {
            guard residual == nil else { throw call.argumentError(1, "give 'residual' (dollars) or 'residual_fraction', not both") }
            residual = .fraction(f)
        }
        let count = try o.int("gpus") ?? 1
        guard count >= 1 else { throw call.argumentError(1, "field 'gpus' must be ≥ 1, got \(count)") }
        var capital: Double?
        if let c = try o.sub("capex", only: capexFields) {
            guard c.table["kind"]?.string == "capex", let h = c.table["hourly"]?.number else {
                throw o.error("capex", "a cost.capex{} table")
            }
            capital = h
        }
        do {
            if let name = try o.string("name"), let preset = try? GPUPreset.named(name) {
                return GPUSpec(name: preset.name, cost: try preset.cost(overrides: overrides, residual: residual),
                               capitalAtFullUse: capital, count: count)
            } else if let name = try o.string("name"), overrides.count < 5 {
                _ = try GPUPreset.named(name)  // throws the list of presets
            }
            let missing = ["price", "years", "power_kw", "electricity", "maintenance"].filter { !o.has($0) }
            guard missing.isEmpty else {
                throw call.argumentError(1, "without a preset 'name', fields \(missing.joined(separator: ", ")) are required")
            }
            let cost = try GPUCost(price: overrides[.price] ?? 0, years: overrides[.years] ?? 0,
                                   utilization: overrides[.utilization] ?? 1, powerKW: overrides[.powerKW] ?? 0,
                                   pue: overrides[.pue] ?? 1, electricity: overrides[.electricity] ?? 0,
                                   maintenanceRate: overrides[.maintenance] ?? 0, residual: residual ?? .zero)
            return GPUSpec(name: try o.string("name"), cost: cost, capitalAtFullUse: capital, count: count)
        } catch let e as CostError {
            throw call.argumentError(1, wrapping: e)
        }
    }

    static func of(_ call: LuaCall, store: StoreModule) throws -> LuaValue {
        let run = try RunView(call, 1)
        let opts = call.isNil(3) ? Options(table: [:], call: call, position: 3)
                                 : Options(table: try call.fields(3, skipping: ["sla"]), call: call, position: 3)
        try opts.only(["gpus", "utilization", "quality", "sla", "power", "overhead", "monthly_requests", "monthly_tokens"])
        let sla = call.isNil(3) ? nil : try call.object(3, field: "sla", as: SLABox.self)
        if !call.isNil(3), sla == nil, try call.value(3)["sla"] != .nil {
            throw call.argumentError(3, "field 'sla' must be an sla{} object")
        }
        let hwValue = try call.value(2)
        var (hardware, _) = try HardwareTable.read(hwValue, call, 2, gpus: try opts.int("gpus"))
        // The power term from the run's own energy instead of the preset's board power.
        var power: (source: String, kw: Double?) = ("preset", nil)
        switch try opts.string("power") ?? "preset" {
        case "preset": break
        case "run":
            guard hwValue["kind"].string == "gpu" else {
                throw opts.error("power", "'preset' with rented or API hardware ('run' replaces an owned GPU's power term)")
            }
            var spec = try GPUSpec.read(hwValue, call, 2, field: "hardware")
            let count = try opts.int("gpus") ?? spec.count
            let energy = try EnergyBinding.measure(run, idleShare: RunEnergy.defaultIdleShare, call, store: store)
            let kw = energy.averageWatts / Double(count) / 1000
            do { spec.cost = try spec.cost.with(.powerKW, kw) } catch let e as CostError { throw call.argumentError(3, wrapping: e) }
            hardware = .cloud(try CloudPrice(hourly: spec.hourly), count: count)
            power = (energy.source.rawValue, kw)
        case let other:
            throw opts.error("power", "'preset' or 'run', got '\(other)'")
        }
        let hasInput = run.number("input_tokens") != nil, hasOutput = run.number("output_tokens") != nil
        if case .api = hardware, !(hasInput && hasOutput) {
            throw call.argumentError(1, "run has no '\(hasInput ? "output_tokens" : "input_tokens")': an API bills tokens")
        }
        let goodput = try sla.map { try $0.goodput(run, store: store) }
        let quality = try QualityModule.resolve(opts, run: run, store: store)
        do {
            let cost = try RunCost(usage: try run.usage(goodRequests: goodput?.goodRequests, quality: quality),
                                   hardware: hardware, utilization: try opts.number("utilization") ?? 1)
            var t: [String: LuaValue] = [
                "kind": .string(hwValue["kind"].string ?? "cloud"), "total": .double(cost.total),
                "effective_total": .double(cost.effectiveTotal), "utilization": .double(cost.utilization),
                "wall_seconds": .double(cost.usage.wallSeconds),
            ]
            func put(_ k: String, _ v: Double?) { if let v { t[k] = .double(v) } }
            put("total_hourly", cost.hourly)
            put("per_request", cost.perRequest)
            put("per_success", cost.perSuccessfulRequest)
            put("per_good_request", cost.perGoodRequest)
            // Per-token figures only for the counts the run has.
            if hasInput { put("per_1m_input", cost.perMillionInputTokens) }
            if hasOutput { put("per_1m_output", cost.perMillionOutputTokens) }
            if hasInput && hasOutput { put("per_1m_tokens", cost.perMillionTokens) }
            put("per_quality_point", cost.perQualityPoint)
            put("quality", quality)
            if cost.utilization < 1 { put("effective_per_request", cost.perRequest.map { $0 / cost.utilization }) }
            switch hardware {
            case .cloud(_, let n), .owned(_, let n): t["gpus"] = .int(n)
            case .api: break
            }
            if let goodput { t["goodput"] = SLAModule.goodputTable(goodput) }
            if hwValue["kind"].string == "gpu" {
                t["power_source"] = .string(power.source)
                put("power_kw", power.kw ?? hwValue["params"]["power_kw"].number)
            }
            try addOverhead(opts, cost, to: &t, call)
            if let name = hwValue["name"].string { t["hardware"] = .string(name) }
            if let id = run.runID { t["run_id"] = .int(Int(id)) }
            return .table(t)
        } catch let e as CostError {
            // A run's GPU count that disagrees with the hardware's is the run's problem.
            if case .invalid(name: "gpus", _, _) = e { throw call.argumentError(1, "run's \(e)") }
            throw call.argumentError(3, wrapping: e)
        }
    }

    /// The overhead's share at a monthly volume: per request (`monthly_requests`) and per
    /// 1M tokens (`monthly_tokens`), and the run's figure with it (`total_per_…`).
    private static func addOverhead(_ opts: Options, _ cost: RunCost, to t: inout [String: LuaValue], _ call: LuaCall) throws {
        let requests = try opts.number("monthly_requests"), tokens = try opts.number("monthly_tokens")
        guard let v = opts.table["overhead"], !v.isNil else {
            if requests != nil || tokens != nil { throw opts.error("overhead", "a cost.overhead{} table (monthly_requests/monthly_tokens spread it)") }
            return
        }
        let overhead = try OverheadBinding.read(v, call, field: "overhead")
        guard requests != nil || tokens != nil else {
            throw opts.error("monthly_requests", "the requests a month the overhead is spread over (or monthly_tokens)")
        }
        t["overhead_monthly"] = .double(overhead.monthly)
        if let requests {
            let share = try overhead.perRequest(requestsPerMonth: requests)
            t["overhead_per_request"] = .double(share)
            if let p = cost.perRequest { t["total_per_request"] = .double(p + share) }
        }
        if let tokens {
            let share = try overhead.perMillionTokens(tokensPerMonth: tokens)
            t["overhead_per_1m_tokens"] = .double(share)
            if let p = t["per_1m_tokens"]?.number { t["total_per_1m_tokens"] = .double(p + share) }
        }
    }

    static func capex(_ call: LuaCall) throws -> LuaValue {
        let o = Options(table: try call.fields(1, skipping: ["schedule"]), call: call, position: 1)
        try o.only(["price", "years", "method", "rate", "residual", "residual_fraction", "financing", "schedule"])
        let price = try o.required("price", o.number, "purchase price")
        let years = try o.number("years")
        var residual = ResidualValue.zero
        if let d = try o.number("residual") { residual = .amount(d) }
        if let f = try o.number("residual_fraction") { residual = .fraction(f) }
        var method = AmortizationMethod.straightLine
        switch try o.string("method") ?? "straight" {
        case "straight", "straight_line": break
        case "declining", "declining_balance":
            method = .decliningBalance(annualRate: try o.number("rate") ?? years.map { 2 / $0 } ?? 0)
        case let other: throw call.argumentError(1, "field 'method' must be 'straight' or 'declining', got '\(other)'")
        }
        // A function of the month or a list of monthly amounts; the type decides which.
        switch try call.typeName(1, field: "schedule") {
        case "nil":
            break
        case "function":
            guard let fn = try call.function(1, field: "schedule") else { break }
            guard let years, years > 0, years * 12 <= 12_000 else {
                throw call.argumentError(1, "a schedule function needs 'years' (its months are 1 … years × 12)")
            }
            let months = Int((years * 12).rounded())
            var amounts: [Double] = []
            for m in 1...months {
                guard let d = try fn.call(.int(m), .double(price)).first?.number else {
                    throw call.argumentError(1, "field 'schedule': the function must return a number of dollars for month \(m)")
                }
                amounts.append(d)
            }
            method = .custom(schedule: amounts)
        case "table":
            guard case .array(let a) = try call.value(1)["schedule"] as LuaValue, !a.isEmpty else {
                throw call.argumentError(1, "field 'schedule' must be a list of monthly dollar amounts ({500, 400, …}) or a function(month, price)")
            }
            method = .custom(schedule: try a.enumerated().map { i, v in
                guard let d = v.number else {
                    throw call.argumentError(1, "field 'schedule'[\(i + 1)] must be a number of dollars, got \(v.typeName)")
                }
                return d
            })
        case let other:
            throw call.argumentError(1, "field 'schedule' must be a list of monthly dollar amounts or a function(month, price), got \(other)")
        }
        var financing: Financing?
        do {
            if let f = try o.sub("financing", only: ["rate", "months", "amount"]) {
                financing = try Financing(annualRate: try f.required("rate", f.number, "annual interest rate"),
                                          months: try f.int("months"), amount: try f.number("amount"))
            }
            let plan = try Amortization(price: price, years: years, method: method, residual: residual, financing: financing)
            let rows: [LuaValue] = plan.schedule.map { e in
                ["month": .int(e.month), "depreciation": .double(e.depreciation), "interest": .double(e.interest),
                 "payment": .double(e.payment), "loan_balance": .double(e.loanBalance), "book_value": .double(e.bookValue)]
            }
            return ["kind": "capex", "price": .double(price), "months": .int(plan.months),
                    "residual": .double(plan.residualDollars), "payment": .double(plan.payment),
                    "total_depreciation": .double(plan.totalDepreciation), "total_interest": .double(plan.totalInterest),
                    "hourly": .double(try plan.hourlyCost()), "schedule": .array(rows)]
        } catch let e as CostError {
            throw call.argumentError(1, wrapping: e)
        }
    }
}
