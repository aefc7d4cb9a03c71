@testable import Cost
import XCTest

/// Every bad input is refused with a message naming the parameter and what was expected.
final class ValidationTests: XCTestCase {
    private func gpu(price: Double = 15_000, years: Double = 3, utilization: Double = 1, powerKW: Double = 0.4,
                     pue: Double = 1.3, electricity: Double = 0.1, maintenance: Double = 0.1,
                     residual: ResidualValue = .zero) throws -> GPUCost {
        try GPUCost(price: price, years: years, utilization: utilization, powerKW: powerKW, pue: pue,
                    electricity: electricity, maintenanceRate: maintenance, residual: residual)
    }

    func testGPUCostRejectsBadParameters() {
        assertCostError(try gpu(price: -5), "price must be ≥ 0, got -5")
        assertCostError(try gpu(utilization: 0), "utilization must be in (0, 1], got 0")
        assertCostError(try gpu(utilization: 1.5), "utilization must be in (0, 1], got 1.5")
        assertCostError(try gpu(years: 0), "years must be > 0, got 0")
        assertCostError(try gpu(pue: 0.9), "pue must be ≥ 1, got 0.9")
        assertCostError(try gpu(powerKW: -1), "powerKW must be ≥ 0, got -1")
        assertCostError(try gpu(electricity: -0.1), "electricity must be ≥ 0, got -0.1")
        assertCostError(try gpu(maintenance: -0.1), "maintenance must be ≥ 0, got -0.1")
        assertCostError(try gpu(years: .infinity), "years must be a finite number, got inf")
        assertCostError(try gpu(price: .nan), "price must be a finite number, got nan")
        assertCostError(try gpu(residual: .fraction(1.2)), "residual fraction must be in [0, 1], got 1.2")
        assertCostError(try gpu(residual: .amount(20_000)), "residual value must be ≤ price (15000), got 20000")
        assertCostError(try gpu().effectiveHourly(atUtilization: 0), "utilization must be in (0, 1], got 0")
        assertCostError(try gpu().cost(seconds: -1), "seconds must be ≥ 0, got -1")
    }

    func testPricesAndUsageRejectBadValues() {
        assertCostError(try CloudPrice(hourly: -2), "hourly price must be ≥ 0, got -2")
        assertCostError(try APIPrice(inputPerMillion: -1, outputPerMillion: 1),
                        "input price per 1M tokens must be ≥ 0, got -1")
        assertCostError(try APIPrice(inputPerMillion: 1, outputPerMillion: 1, perRequest: -0.5),
                        "price per request must be ≥ 0, got -0.5")
        assertCostError(try RunUsage(wallSeconds: -1, requests: 1, succeeded: 1, inputTokens: 0, outputTokens: 0),
                        "wallSeconds must be ≥ 0, got -1")
        assertCostError(try RunUsage(wallSeconds: 1, requests: 1, succeeded: 2, inputTokens: 0, outputTokens: 0),
                        "succeeded must be ≤ requests (1), got 2")
        assertCostError(try RunUsage(wallSeconds: 1, requests: 2, succeeded: 1, inputTokens: 0, outputTokens: 0,
                                     goodRequests: 2),
                        "goodRequests must be ≤ succeeded (1), got 2")
        assertCostError(try RunUsage(wallSeconds: 1, gpus: 0, requests: 1, succeeded: 1, inputTokens: 0,
                                     outputTokens: 0),
                        "gpus must be ≥ 1, got 0")
        assertCostError(try RunUsage(wallSeconds: 1, requests: 1, succeeded: 1, inputTokens: -3, outputTokens: 0),
                        "inputTokens must be ≥ 0, got -3")
    }

    func testErrorsCompareEqual() {
        XCTAssertEqual(CostError.invalid(name: "a", expected: "b", got: "c"),
                       CostError.invalid(name: "a", expected: "b", got: "c"))
        XCTAssertNotEqual(CostError.invalid(name: "a", expected: "b", got: "c"),
                          CostError.missing(name: "a", reason: "b"))
        XCTAssertEqual(formatNumber(0.25), "0.25")
        XCTAssertEqual(formatNumber(-5), "-5")
        XCTAssertEqual(formatNumber(1e20), "1e+20")
    }
}
