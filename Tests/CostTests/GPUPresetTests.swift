@testable import Cost
import XCTest

final class GPUPresetTests: XCTestCase {
    func testNamesAndAliasesIgnoreCaseAndSeparators() throws {
        let cases = ["A800-80G": "A800-80G", "a800": "A800-80G", "A800 80G": "A800-80G",
                     "h100-sxm": "H100-SXM", "H100": "H100-SXM", "H100_SXM5": "H100-SXM",
                     "a100": "A100-80G-SXM", "rtx4090": "RTX-4090", "4090": "RTX-4090",
                     "mi300x": "MI300X", "l4": "L4", "L40S": "L40S", "b200": "B200", "H200": "H200"]
        for (typed, canonical) in cases {
            XCTAssertEqual(try GPUPreset.named(typed).name, canonical, typed)
        }
    }

    func testUnknownPresetListsKnownOnes() {
        assertCostError(try GPUPreset.named("X100"),
                        "unknown GPU preset \"X100\"; known presets: A800-80G, A100-80G-SXM, H100-SXM, "
                            + "H200, L40S, L4, B200, MI300X, RTX-4090")
    }

    /// Board power from data/gpus.md, in kW.
    func testPowerFromGPUTable() throws {
        let watts: [String: Double] = ["A800-80G": 400, "A100-80G-SXM": 400, "H100-SXM": 700, "H200": 700,
                                       "L40S": 350, "L4": 72, "B200": 1000, "MI300X": 750, "RTX-4090": 450]
        XCTAssertEqual(Set(GPUPreset.all.map(\.name)), Set(watts.keys))
        for preset in GPUPreset.all {
            XCTAssertEqual(preset.baseline.powerKW * 1000, watts[preset.name] ?? -1, accuracy: 1e-9, preset.name)
        }
    }

    /// Every preset passes the validating initialiser, and shares the A800 assumptions.
    func testPresetsAreValid() throws {
        for preset in GPUPreset.all {
            let gpu = preset.baseline
            let checked = try GPUCost(price: gpu.price, years: gpu.years, utilization: gpu.utilization,
                                      powerKW: gpu.powerKW, pue: gpu.pue, electricity: gpu.electricity,
                                      maintenanceRate: gpu.maintenanceRate, residual: gpu.residual)
            XCTAssertEqual(checked, gpu, preset.name)
            XCTAssertEqual([gpu.years, gpu.utilization, gpu.pue, gpu.electricity, gpu.maintenanceRate],
                           [3, 1, 1.3, 0.1, 0.1], preset.name)
            XCTAssertFalse(preset.priceSource.isEmpty || preset.powerSource.isEmpty, preset.name)
        }
    }

    /// Hourly = P × (1/26280 + 0.1/8760) + kW × 1.3 × 0.1 = P × 13/262800 + 0.13 × kW.
    /// A100: 17500 × 13/262800 + 0.052 = 0.865677 + 0.052 = 0.917677 (docs/cost.md: 0.9177)
    /// H100: 30000 × 13/262800 + 0.091 = 1.484018 + 0.091 = 1.575018 (docs: 1.5750)
    /// RTX 4090: 1599 × 13/262800 + 0.0585 = 0.079098 + 0.0585 = 0.137598 (docs: 0.1376)
    func testPresetHourlyFigures() throws {
        XCTAssertEqual(try GPUPreset.named("A100").baseline.hourly, 0.917677, accuracy: tolerance)
        XCTAssertEqual(try GPUPreset.named("H100").baseline.hourly, 1.575018, accuracy: tolerance)
        XCTAssertEqual(try GPUPreset.named("4090").baseline.hourly, 0.137598, accuracy: tolerance)
    }

    /// Overrides replace any parameter: A800 with E = 0.20 and PUE = 1.5:
    /// power = 0.4 × 1.5 × 0.20 = 0.12; hourly = 0.570776 + 0.12 + 0.171233 = 0.862009.
    func testOverrides() throws {
        let gpu = try GPUPreset.named("A800").cost(overrides: [.electricity: 0.2, .pue: 1.5])
        XCTAssertEqual(gpu.power, 0.12, accuracy: tolerance)
        XCTAssertEqual(gpu.hourly, 0.862009, accuracy: tolerance)
        let resold = try GPUPreset.named("A800").cost(residual: .fraction(0.1))
        XCTAssertEqual(resold.depreciation, 0.513699, accuracy: tolerance)
        assertCostError(try GPUPreset.named("A800").cost(overrides: [.utilization: 0]),
                        "utilization must be in (0, 1], got 0")
    }
}
