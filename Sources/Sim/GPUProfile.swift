/// One accelerator as the roofline model sees it: peak dense throughput, memory
/// bandwidth and capacity. Presets are in `GPUProfile.all`; a user-defined profile
/// goes through the validating `init`.
public struct GPUProfile: Sendable, Equatable {
    /// The canonical name, e.g. "A800-80G" (the same names as Cost's `GPUPreset`).
    public let name: String
    /// Other names that select this profile ("A800", "H100").
    public let aliases: [String]
    /// Peak dense BF16/FP16 tensor throughput, FLOP/s (no sparsity).
    public let denseFLOPS: Double
    /// Peak memory bandwidth, bytes/s.
    public let memoryBandwidth: Double
    /// Memory capacity, bytes (datasheet gigabytes × 10⁹).
    public let memoryBytes: Double
    /// Board power, watts (for cost and energy figures; the simulator does not use it).
    public let powerWatts: Double
    /// Where the figures come from.
    public let source: String

    /// A profile with checked figures; throws `SimError.invalid` naming the bad field.
    public init(name: String, aliases: [String] = [], denseFLOPS: Double, memoryBandwidth: Double,
                memoryBytes: Double, powerWatts: Double, source: String = "user-defined") throws {
        try Check.name(name, "name")
        try Check.positive(denseFLOPS, "denseFLOPS")
        try Check.positive(memoryBandwidth, "memoryBandwidth")
        try Check.positive(memoryBytes, "memoryBytes")
        try Check.nonNegative(powerWatts, "powerWatts")
        self.init(unchecked: name, aliases, denseFLOPS, memoryBandwidth, memoryBytes, powerWatts, source)
    }

    init(unchecked name: String, _ aliases: [String], _ flops: Double, _ bandwidth: Double,
         _ memory: Double, _ watts: Double, _ source: String) {
        self.name = name
        self.aliases = aliases
        self.denseFLOPS = flops
        self.memoryBandwidth = bandwidth
        self.memoryBytes = memory
        self.powerWatts = watts
        self.source = source
    }

    /// The preset called `name` or one of its aliases, ignoring case, spaces, hyphens
    /// and underscores ("a800 80g", "H100_SXM"); an unknown name throws
    /// `SimError.unknownProfile` listing the presets.
    public static func named(_ name: String) throws -> GPUProfile {
        let key = normalizedName(name)
        let match = all.first { ([$0.name] + $0.aliases).contains { normalizedName($0) == key } }
        guard let match else { throw SimError.unknownProfile(kind: "GPU", name: name, known: all.map(\.name)) }
        return match
    }
}
