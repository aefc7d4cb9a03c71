/// What went wrong reading or writing runs. Each description names the run and the
/// column or item at fault, so a user can find the row.
public enum RunsError: Error, CustomStringConvertible, Equatable {
    /// No run with this id in the store at `path`.
    case runNotFound(id: Int64, path: String)
    /// A stored column did not parse (JSON that is not valid, a summary missing a figure).
    case badColumn(run: Int64, column: String, reason: String)
    /// An export or query option outside its allowed values.
    case badOption(name: String, value: String, expected: String)
    /// No simulator profile of this name in the store at `path`.
    case profileNotFound(name: String, path: String, known: [String])
    /// Some of a run's requests could not be written; the run was closed as `failed`.
    case requestsNotStored(run: Int64, reason: String)
    /// The run and its requests were stored but the server series sampled during it were not.
    case serverMetricsNotStored(run: Int64, reason: String)

    public var description: String {
        switch self {
        case .runNotFound(let id, let path):
            return "no run \(id) in \(path)"
        case .badColumn(let run, let column, let reason):
            return "run \(run): stored \(column) cannot be read (\(reason))"
        case .profileNotFound(let name, let path, let known):
            return "no simulator profile '\(name)' in \(path)"
                + (known.isEmpty ? " (sim.calibrate{ save = '\(name)' } stores one)" : "; stored: \(known.joined(separator: ", "))")
        case .requestsNotStored(let run, let reason):
            return "could not store every request of run \(run): \(reason)"
        case .serverMetricsNotStored(let run, let reason):
            return "run \(run) and its requests are stored, but not the server metrics sampled during it: \(reason)"
        case .badOption(let name, let value, let expected):
            return "\(name) must be \(expected), got '\(value)'"
        }
    }
}
