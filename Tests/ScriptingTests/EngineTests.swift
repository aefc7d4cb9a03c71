import XCTest
import LuaBridge
@testable import Scripting

/// bench.run against test servers that imitate real engines: the engine recorded,
/// prompts fitted to the server's tokens, requested vs served input tokens reported.
final class EngineTests: HostTestCase {
    func testPromptsAreFittedToTheServersTokensAndTheEngineIsRecorded() throws {
        try lua("""
            srv = bench.test_server{ ttft = 0.005, itl = 0.001, tokenizer = 'subword', engine = 'llamacpp' }
            wl = workload.synthetic{ n = 40, seed = 4, input = 64, output = 2 }
            words = bench.run{ target = srv, workload = wl, concurrency = 4, tokenizer = 'none', server_metrics = false, quiet = true }
            fitted = bench.run{ target = srv, workload = wl, concurrency = 4, server_metrics = false, quiet = true }
            again = bench.run{ target = srv, workload = wl, concurrency = 4, server_metrics = false, quiet = true }
            """)
        XCTAssertEqual(try lua("return words.settings.engine, words.settings.engine_evidence, words.settings.tokenizer"),
                       ["llamacpp", "owned_by", .nil])
        XCTAssertEqual(try lua("return math.abs(words.input_length.difference) > 0.02, words.warnings ~= nil"), [true, true])
        XCTAssertEqual(try lua("return fitted.settings.tokenizer, math.abs(fitted.input_length.difference) <= 0.02, fitted.warnings"),
                       ["tokenize", true, .nil])
        XCTAssertEqual(try lua("return fitted.input_length.requested.mean, fitted.input_length.requests"), [64.0, 40])
        XCTAssertEqual(try lua("return again.settings.tokenizer, bench.load(again.run_id).input_length.difference == again.input_length.difference"),
                       ["tokenize (cached)", true])
        XCTAssertEqual(luaError("bench.run{ target = srv, workload = wl, concurrency = 1, tokenizer = 'tiktoken' }")?
            .contains("field 'tokenizer' must be 'auto', 'tokenize', 'probe' or 'none', got 'tiktoken'"), true)
    }
}
