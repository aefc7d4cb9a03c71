/// One reading of one server series.
public struct ServerMetricSample: Sendable, Equatable {
    /// Seconds since the run started (the same origin as the requests' times).
    public var t: Double
    /// The series, by `ServerMetrics.seriesNames` ("requests_running", "kv_cache_usage", …).
    public var name: String
    public var value: Double

    public init(t: Double, name: String, value: Double) {
        self.t = t
        self.name = name
        self.value = value
    }
}
