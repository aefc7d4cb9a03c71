@testable import Cost
import XCTest

final class RunCostTests: XCTestCase {
    /// The paper's best run: 2,993 requests in 774 s on 2 × A800; 1.3M input and 0.4M
    /// output tokens (the paper's input figure for most models; output assumed).
    private func paperUsage(gpus: Int? = 2, quality: Double? = 76.2) throws -> RunUsage {
        try RunUsage(wallSeconds: 774, gpus: gpus, requests: 2993, succeeded: 2990,
                     inputTokens: 1_300_000, outputTokens: 400_000, goodRequests: 2900, qualityScore: quality)
    }

    /// total = 0.794009 × 2 × 774 / 3600 = 0.341424
    /// per request            = 0.341424 / 2993 = 0.000114074
    /// per successful request = 0.341424 / 2990 = 0.000114188
    /// per good request       = 0.341424 / 2900 = 0.000117732
    /// per 1M input  = 0.341424 / 1.3 = 0.262634
    /// per 1M output = 0.341424 / 0.4 = 0.853560
    /// per 1M tokens = 0.341424 / 1.7 = 0.200838
    /// per quality point = 0.341424 / 76.2 = 0.00448063
    func testOwnedRunAndEveryPerUnitCost() throws {
        let run = try RunCost(usage: paperUsage(), hardware: .owned(a800(), count: 2))
        XCTAssertEqual(run.hourly ?? 0, 1.588018, accuracy: tolerance)
        XCTAssertEqual(run.total, 0.341424, accuracy: tolerance)
        XCTAssertEqual(run.perRequest ?? 0, 0.000114074, accuracy: 1e-9)
        XCTAssertEqual(run.perSuccessfulRequest ?? 0, 0.000114188, accuracy: 1e-9)
        XCTAssertEqual(run.perGoodRequest ?? 0, 0.000117732, accuracy: 1e-9)
        XCTAssertEqual(run.perMillionInputTokens ?? 0, 0.262634, accuracy: tolerance)
        XCTAssertEqual(run.perMillionOutputTokens ?? 0, 0.853560, accuracy: tolerance)
        XCTAssertEqual(run.perMillionTokens ?? 0, 0.200838, accuracy: tolerance)
        XCTAssertEqual(run.perQualityPoint ?? 0, 0.00448063, accuracy: 1e-8)
        XCTAssertEqual(run.effectiveTotal, run.total, accuracy: tolerance)
    }

    /// At u = 0.5 the run carries as much idle time as work: 0.341424 / 0.5 = 0.682848.
    func testEffectiveTotalAtPartialUtilization() throws {
        let run = try RunCost(usage: paperUsage(), hardware: .owned(a800(), count: 2), utilization: 0.5)
        XCTAssertEqual(run.total, 0.341424, accuracy: tolerance)
        XCTAssertEqual(run.effectiveTotal, 0.682848, accuracy: tolerance)
    }

    /// Cloud at $2.82 per GPU-hour (the paper's low cloud figure), 2 GPUs, 774 s:
    /// 2.82 × 2 × 774 / 3600 = 5.64 × 0.215 = 1.2126; per 1M tokens 1.2126 / 1.7 = 0.713294.
    func testCloudRun() throws {
        let run = try RunCost(usage: paperUsage(), hardware: .cloud(CloudPrice(hourly: 2.82), count: 2),
                              utilization: 0.8)
        XCTAssertEqual(run.hourly ?? 0, 5.64, accuracy: tolerance)
        XCTAssertEqual(run.total, 1.2126, accuracy: tolerance)
        XCTAssertEqual(run.perMillionTokens ?? 0, 0.713294, accuracy: tolerance)
        // Idle rented hours are paid too: 1.2126 / 0.8 = 1.515750.
        XCTAssertEqual(run.effectiveTotal, 1.51575, accuracy: tolerance)
    }

    /// API at $0.5 / $1.5 per 1M: 1.3 × 0.5 + 0.4 × 1.5 = 0.65 + 0.60 = 1.25; time does not matter.
    /// With a $0.001 fee per request: 1.25 + 2993 × 0.001 = 4.243.
    func testAPIRun() throws {
        let price = try APIPrice(inputPerMillion: 0.5, outputPerMillion: 1.5)
        let run = try RunCost(usage: paperUsage(gpus: nil), hardware: .api(price), utilization: 0.5)
        XCTAssertNil(run.hourly)
        XCTAssertEqual(run.total, 1.25, accuracy: tolerance)
        XCTAssertEqual(run.effectiveTotal, 1.25, accuracy: tolerance, "nothing is paid while idle")
        XCTAssertEqual(run.perMillionInputTokens ?? 0, 1.25 / 1.3, accuracy: tolerance)  // 0.961538
        XCTAssertEqual(run.perMillionTokens ?? 0, 0.735294, accuracy: tolerance)         // 1.25 / 1.7
        let slower = try RunUsage(wallSeconds: 7740, requests: 2993, succeeded: 2990,
                                  inputTokens: 1_300_000, outputTokens: 400_000)
        XCTAssertEqual(try RunCost(usage: slower, hardware: .api(price)).total, 1.25, accuracy: tolerance)
        let withFee = try APIPrice(inputPerMillion: 0.5, outputPerMillion: 1.5, perRequest: 0.001)
        XCTAssertEqual(try RunCost(usage: paperUsage(gpus: nil), hardware: .api(withFee)).total, 4.243,
                       accuracy: tolerance)
    }

    func testPerUnitFiguresAreNilWithoutDenominator() throws {
        let empty = try RunUsage(wallSeconds: 10, requests: 0, succeeded: 0, inputTokens: 0, outputTokens: 0)
        let run = try RunCost(usage: empty, hardware: .owned(dollarAnHour(), count: 1))
        // 1 $/h × 10 s / 3600 = 0.002778
        XCTAssertEqual(run.total, 0.002778, accuracy: tolerance)
        XCTAssertNil(run.perRequest)
        XCTAssertNil(run.perSuccessfulRequest)
        XCTAssertNil(run.perGoodRequest)
        XCTAssertNil(run.perMillionInputTokens)
        XCTAssertNil(run.perMillionOutputTokens)
        XCTAssertNil(run.perMillionTokens)
        XCTAssertNil(run.perQualityPoint)
        let zeroScore = try RunUsage(wallSeconds: 10, requests: 1, succeeded: 1, inputTokens: 1,
                                     outputTokens: 1, qualityScore: 0)
        XCTAssertNil(try RunCost(usage: zeroScore, hardware: .owned(dollarAnHour(), count: 1)).perQualityPoint)
    }

    func testHardwareCountMustMatchUsage() throws {
        assertCostError(try RunCost(usage: paperUsage(gpus: 2), hardware: .owned(a800(), count: 4)),
                        "gpus must be the hardware's count (4), got 2")
        assertCostError(try RunCost(usage: paperUsage(gpus: nil), hardware: .cloud(CloudPrice(hourly: 1), count: 0)),
                        "count must be ≥ 1, got 0")
        assertCostError(try RunCost(usage: paperUsage(), hardware: .owned(a800(), count: 2), utilization: 0),
                        "utilization must be in (0, 1], got 0")
    }
}
