import LuaBridge
import Report

extension ReportCharts {
    /// Monthly cost of each capacity plan against the demand's peak/mean (the mean held):
    /// `data = { rows = { { peak_to_mean =, self_hosted =, cloud =, … } }, crossovers =
    /// { { label =, peak_to_mean = } } }`, drawn as the break-even chart with peak/mean on x.
    func burstiness(_ o: Options) throws -> Chart {
        guard let d = try o.entries("data"), case .array(let rows)? = d.table["rows"], !rows.isEmpty else {
            throw o.error("data", "{ rows = { { peak_to_mean =, self_hosted =, cloud =, ... } } } (cost.plan monthly costs by burstiness)")
        }
        let ks = try rows.enumerated().map { i, row in
            guard let k = row["peak_to_mean"].number else {
                throw call.argumentError(1, "field 'data.rows'[\(i + 1)] needs peak_to_mean")
            }
            return k
        }
        let names = [("self-hosted", "self_hosted"), ("cloud", "cloud"), ("API", "api"),
                     ("self-hosted + cloud", "self_hosted_plus_cloud"), ("self-hosted + API", "self_hosted_plus_api")]
        let options = names.filter { _, key in rows.contains { $0[key].number != nil } }
            .map { name, key in BreakEvenOption(name: name, monthlyCosts: rows.map { $0[key].number }) }
        var crossovers: [Crossover] = []
        if case .array(let cs)? = d.table["crossovers"] {
            for c in cs {
                if let label = c["label"].string, let k = c["peak_to_mean"].number { crossovers.append(Crossover(label: label, volume: k)) }
            }
        }
        return try Chart.breakEven(title: try o.string("title") ?? "Monthly cost by burstiness (same mean load)", volumes: ks,
                                   options: options, crossovers: crossovers, volumeLabel: "peak / mean",
                                   costLabel: "monthly cost ($)", logVolume: try o.bool("log_x") ?? false,
                                   logCost: try o.bool("log_y") ?? false)
    }
}
