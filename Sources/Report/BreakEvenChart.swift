/// One way of serving a monthly token volume and what it costs at each volume.
public struct BreakEvenOption: Sendable, Equatable {
    /// "self-hosted", "cloud", "API".
    public var name: String
    /// Monthly cost at each volume of the chart; nil where the option cannot serve it
    /// (self-hosted above capacity).
    public var monthlyCosts: [Double?]

    /// An option.
    public init(name: String, monthlyCosts: [Double?]) {
        self.name = name
        self.monthlyCosts = monthlyCosts
    }
}

/// Where two options cost the same.
public struct Crossover: Sendable, Equatable {
    /// What crosses ("self-hosted = cloud").
    public var label: String
    /// The monthly token volume at which they cross.
    public var volume: Double

    /// A crossover.
    public init(label: String, volume: Double) {
        self.label = label
        self.volume = volume
    }
}

extension Chart {
    /// Monthly cost against monthly token volume, one line per option (self-hosted,
    /// cloud, API: `BreakEven` rows), each crossover a labelled vertical line, and the
    /// self-hosted capacity one too when given.
    ///
    /// - Throws: ``ReportError`` for no options or volumes, counts that do not match the
    ///   volumes, an option with no cost, or bad values.
    public static func breakEven(title: String = "Break-even", volumes: [Double], options: [BreakEvenOption],
                                 crossovers: [Crossover] = [], capacity: Double? = nil,
                                 volumeLabel: String = "tokens per month", costLabel: String = "monthly cost ($)",
                                 logVolume: Bool = false, logCost: Bool = false) throws -> Chart {
        guard !volumes.isEmpty else { throw ReportError("chart '\(title)': no volumes") }
        guard !options.isEmpty else { throw ReportError("chart '\(title)': no options to compare") }
        let series = try options.map { option -> Series in
            guard option.monthlyCosts.count == volumes.count else {
                throw ReportError("chart '\(title)': option '\(option.name)' has \(option.monthlyCosts.count) costs for \(volumes.count) volumes")
            }
            let points = zip(volumes, option.monthlyCosts).compactMap { v, c in c.map { ChartPoint(x: v, y: $0) } }
            guard !points.isEmpty else { throw ReportError("chart '\(title)': option '\(option.name)' has no cost at any volume") }
            return Series(name: option.name, points: points.sorted { $0.x < $1.x }, style: .line)
        }
        var annotations = crossovers.map {
            Annotation.verticalLine(x: $0.volume, label: "\($0.label) at \(NumberFormat.short($0.volume))")
        }
        if let capacity {
            annotations.append(.verticalLine(x: capacity, label: "capacity \(NumberFormat.short(capacity))"))
        }
        return Chart(title: title,
                     x: Axis(label: volumeLabel, scale: logVolume ? .log : .linear),
                     y: Axis(label: costLabel, scale: logCost ? .log : .linear, includesZero: !logCost),
                     series: series, annotations: annotations)
    }
}
