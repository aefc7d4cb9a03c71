/// The type a `# TYPE` line gives a metric family (`untyped` when none does).
public enum PrometheusMetricType: String, Sendable, CaseIterable {
    /// Monotonic total.
    case counter
    /// A value that goes up and down.
    case gauge
    /// `_bucket{le=…}`, `_sum` and `_count` series.
    case histogram
    /// `{quantile=…}`, `_sum` and `_count` series.
    case summary
    /// No TYPE line, or declared untyped.
    case untyped
}

/// One label of a sample, its value unescaped.
public struct PrometheusLabel: Sendable, Equatable, Hashable {
    /// The label name.
    public var name: String
    /// The label value, escapes resolved.
    public var value: String

    /// Creates a label.
    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}

/// One sample line of a Prometheus text exposition.
public struct PrometheusSample: Sendable, Equatable {
    /// The sample's own name, e.g. `vllm:e2e_request_latency_seconds_bucket`.
    public var name: String
    /// Labels sorted by name.
    public var labels: [PrometheusLabel]
    /// The value; may be ±infinity or NaN.
    public var value: Double
    /// Milliseconds since the Unix epoch, when the line gives one.
    public var timestamp: Int64?
    /// The family the sample belongs to: `name` without `_bucket`, `_sum`, `_count`,
    /// `_total` or `_created` when a `# TYPE` line declares that shorter name.
    public var family: String
    /// The family's declared type.
    public var type: PrometheusMetricType

    /// Creates a sample; labels are sorted by name.
    public init(name: String, labels: [PrometheusLabel] = [], value: Double, timestamp: Int64? = nil,
                family: String? = nil, type: PrometheusMetricType = .untyped) {
        self.name = name
        self.labels = labels.sorted { $0.name < $1.name }
        self.value = value
        self.timestamp = timestamp
        self.family = family ?? name
        self.type = type
    }

    /// The value of label `name`, if the sample has it.
    public func label(_ name: String) -> String? {
        labels.first { $0.name == name }?.value
    }

    /// The labels as a dictionary.
    public var labelDictionary: [String: String] {
        Dictionary(labels.map { ($0.name, $0.value) }, uniquingKeysWith: { first, _ in first })
    }
}

/// What the `# TYPE` and `# HELP` lines say about one metric family.
public struct PrometheusFamily: Sendable, Equatable {
    /// The family name as the TYPE / HELP line gives it.
    public var name: String
    /// The declared type (`untyped` when only HELP is given).
    public var type: PrometheusMetricType
    /// The help text, unescaped, when a `# HELP` line gives one.
    public var help: String?

    /// Creates a family description.
    public init(name: String, type: PrometheusMetricType = .untyped, help: String? = nil) {
        self.name = name
        self.type = type
        self.help = help
    }
}

/// A whole parsed exposition: the samples in order and the families described.
public struct PrometheusExposition: Sendable, Equatable {
    /// Every sample, in the order of the text.
    public var samples: [PrometheusSample]
    /// Families by name, from `# TYPE` / `# HELP` lines.
    public var families: [String: PrometheusFamily]

    /// Creates an exposition.
    public init(samples: [PrometheusSample], families: [String: PrometheusFamily]) {
        self.samples = samples
        self.families = families
    }
}
