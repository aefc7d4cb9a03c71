@_exported import SeededRandom

/// The project's seeded generator, by the name Measure's API has used.
public typealias SeededRNG = SplitMix64
