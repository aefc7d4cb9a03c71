import Foundation
import Interop
import XCTest

final class PrometheusTextTests: XCTestCase {
    private func exposition() throws -> PrometheusExposition {
        try PrometheusText.parseExposition(String(decoding: fixture("vllm_metrics.txt"), as: UTF8.self))
    }

    func testSamplesLabelsAndTypes() throws {
        let parsed = try exposition()
        XCTAssertEqual(parsed.samples.count, 19)
        let running = parsed.samples[0]
        XCTAssertEqual(running.name, "vllm:num_requests_running")
        XCTAssertEqual(running.type, .gauge)
        XCTAssertEqual(running.value, 3)
        XCTAssertNil(running.timestamp)
        XCTAssertEqual(running.labels, [PrometheusLabel(name: "engine", value: "0"),
                                        PrometheusLabel(name: "model_name", value: "meta-llama/Llama-3.1-8B-Instruct")])
        XCTAssertEqual(parsed.families["vllm:num_requests_running"]?.help,
                       "Number of requests in model execution batches.")
        let counter = try XCTUnwrap(parsed.samples.first { $0.name == "vllm:prompt_tokens_total" })
        XCTAssertEqual(counter.type, .counter)
        XCTAssertEqual(counter.family, "vllm:prompt_tokens_total")
    }

    func testHistogramSeriesKeepTheirFamily() throws {
        let histogram = try exposition().samples.filter { $0.family == "vllm:e2e_request_latency_seconds" }
        XCTAssertEqual(histogram.map(\.name), [
            "vllm:e2e_request_latency_seconds_sum", "vllm:e2e_request_latency_seconds_bucket",
            "vllm:e2e_request_latency_seconds_bucket", "vllm:e2e_request_latency_seconds_bucket",
            "vllm:e2e_request_latency_seconds_count",
        ])
        XCTAssertTrue(histogram.allSatisfy { $0.type == .histogram })
        XCTAssertEqual(histogram.compactMap { $0.label("le") }, ["0.3", "1.0", "+Inf"])
        XCTAssertEqual(histogram[3].value, 7)
    }

    func testEscapesTimestampsAndSpecialValues() throws {
        let parsed = try exposition()
        let info = try XCTUnwrap(parsed.samples.first { $0.name == "vllm:lora_requests_info" })
        XCTAssertEqual(info.label("running_lora_adapters"), "a\\b,\"c\"")
        XCTAssertEqual(info.label("waiting_lora_adapters"), "line1\nline2")
        XCTAssertEqual(info.labelDictionary["max_lora"], "1")
        XCTAssertEqual(info.value, 1.7e9)
        XCTAssertEqual(info.timestamp, 1_700_000_000_000)
        XCTAssertEqual(parsed.families["vllm:lora_requests_info"]?.help,
                       "Running stats on lora requests \\ with a backslash\nand a second line.")
        let untyped = try XCTUnwrap(parsed.samples.first { $0.name == "some_untyped_metric" })
        XCTAssertTrue(untyped.value.isNaN)
        XCTAssertEqual(untyped.type, .untyped)
        XCTAssertEqual(parsed.samples.last?.value, -.infinity)
        // Leading whitespace is ignored.
        XCTAssertTrue(parsed.samples.contains { $0.name == "python_gc_objects_collected_total" })
    }

    func testValueForms() throws {
        let samples = try PrometheusText.parse("a +Inf\nb -inf\nc 1e-3\nd -2 -5\ne{} 4\n")
        XCTAssertEqual(samples.map(\.value).prefix(3), [.infinity, -.infinity, 0.001])
        XCTAssertEqual(samples[3].timestamp, -5)
        XCTAssertEqual(samples[4].labels, [])
    }

    func testMalformedLinesNameTheLine() {
        let cases: [(String, String)] = [
            ("ok 1\nfoo{a=\"b\" 1\n", "line 2: expected ',' or '}' after a label"),
            ("foo 1 soon\n", "line 1: expected an integer timestamp"),
            ("foo{a=\"\\q\"} 1\n", "line 1: expected one of \\\\, \\\" or \\n"),
            ("# TYPE foo blah\n", "line 1: expected a type (counter, gauge, histogram, summary, untyped), found \"blah\""),
            ("\n\nfoo bar\n", "line 3: expected a number, +Inf, -Inf or NaN, found \"bar\""),
            ("foo{a=\"1\",a=\"2\"} 1\n", "line 1: expected each label once, found a twice"),
            ("foo{a=\"1} 1\n", "line 1: expected a closing '\"' for the label value"),
            ("foo\n", "line 1: expected a value, found the end of the line"),
            ("9foo 1\n", "line 1: expected a metric name"),
            ("# TYPE h histogram\nh_bucket{x=\"1\"} 2\n", "line 2: expected an le label holding a number on a histogram bucket, found none"),
            ("# TYPE h histogram\nh 2\n", "line 2: expected h_bucket, _sum or _count for a histogram"),
            ("# TYPE s summary\ns{quantile=\"x\"} 2\n", "line 2: expected a quantile label holding a number on a summary"),
            ("# TYPE g gauge\n# TYPE g counter\n", "line 2: expected one TYPE line for g"),
        ]
        for (text, expected) in cases {
            let message = errorMessage { try PrometheusText.parse(text) }
            XCTAssertTrue(message.contains(expected), "\(text.debugDescription) → \(message)")
        }
    }
}

final class ServerMetricsTests: XCTestCase {
    func testPicksVLLMSeries() throws {
        let samples = try PrometheusText.parse(String(decoding: fixture("vllm_metrics.txt"), as: UTF8.self))
        let metrics = ServerMetrics(samples: samples)
        XCTAssertEqual(metrics.server, .vllm)
        XCTAssertEqual(metrics.requestsRunning, 5)          // 3 + 2 engines
        XCTAssertEqual(metrics.requestsWaiting, 1)          // 1 + 0
        XCTAssertEqual(metrics.kvCacheUsage, 0.5)           // mean of 0.25 and 0.75
        XCTAssertEqual(metrics.promptTokensTotal, 9128)     // 8128 + 1000
        XCTAssertEqual(metrics.generationTokensTotal, 7557)
        XCTAssertEqual(metrics.series.count, 5)
        XCTAssertEqual(Set(metrics.series.keys), Set(ServerMetrics.seriesNames.prefix(5)), "no DCGM series in a vLLM scrape")
    }

    func testLegacyVLLMCacheName() throws {
        let samples = try PrometheusText.parse("vllm:gpu_cache_usage_perc{model_name=\"m\"} 0.4\n")
        XCTAssertEqual(ServerMetrics(samples: samples).kvCacheUsage, 0.4)
    }

    func testSGLangAndTGI() throws {
        let sglang = ServerMetrics(samples: try PrometheusText.parse("""
            sglang:num_running_reqs{model_name="m"} 7
            sglang:num_queue_reqs{model_name="m"} 2
            sglang:token_usage{model_name="m"} 0.28
            sglang:generation_tokens_total{model_name="m"} 100
            """))
        XCTAssertEqual(sglang.server, .sglang)
        XCTAssertEqual(sglang.series, ["requests_running": 7, "requests_waiting": 2,
                                       "kv_cache_usage": 0.28, "generation_tokens_total": 100])
        let tgi = ServerMetrics(samples: try PrometheusText.parse("""
            # TYPE tgi_request_generated_tokens histogram
            tgi_request_generated_tokens_sum 640
            tgi_request_generated_tokens_count 10
            tgi_queue_size 3
            tgi_batch_current_size 8
            """))
        XCTAssertEqual(tgi.server, .tgi)
        XCTAssertEqual(tgi.requestsRunning, 8)
        XCTAssertEqual(tgi.requestsWaiting, 3)
        XCTAssertNil(tgi.kvCacheUsage)
        XCTAssertEqual(tgi.generationTokensTotal, 640)
    }

    func testUnknownServer() throws {
        let metrics = ServerMetrics(samples: try PrometheusText.parse("process_cpu_seconds_total 1\n"))
        XCTAssertNil(metrics.server)
        XCTAssertTrue(metrics.series.isEmpty)
        XCTAssertEqual(metrics.unmapped, ["process_cpu_seconds_total": 1], "kept under its own name")
    }

    /// llama-server with `--metrics` (names as its server.cpp writes them).
    func testLlamaCpp() throws {
        let m = ServerMetrics(samples: try PrometheusText.parse("""
            # HELP llamacpp:prompt_tokens_total Number of prompt tokens processed.
            # TYPE llamacpp:prompt_tokens_total counter
            llamacpp:prompt_tokens_total 689
            # TYPE llamacpp:tokens_predicted_total counter
            llamacpp:tokens_predicted_total 1280
            # TYPE llamacpp:prompt_seconds_total counter
            llamacpp:prompt_seconds_total 0.4
            # TYPE llamacpp:kv_cache_usage_ratio gauge
            llamacpp:kv_cache_usage_ratio 0.125
            # TYPE llamacpp:requests_processing gauge
            llamacpp:requests_processing 3
            # TYPE llamacpp:requests_deferred gauge
            llamacpp:requests_deferred 1
            """))
        XCTAssertEqual(m.server, .llamacpp)
        XCTAssertEqual(m.series, ["requests_running": 3, "requests_waiting": 1, "kv_cache_usage": 0.125,
                                  "generation_tokens_total": 1280, "prompt_tokens_total": 689])
        XCTAssertEqual(m.unmapped, ["llamacpp:prompt_seconds_total": 0.4], "a series no row names is kept")
    }

    /// NVIDIA's DCGM exporter beside an engine: power summed over GPUs, utilisation averaged as 0–1.
    func testDCGMBesideAnEngine() throws {
        let m = ServerMetrics(samples: try PrometheusText.parse("""
            DCGM_FI_DEV_POWER_USAGE{gpu="0",UUID="a"} 250.5
            DCGM_FI_DEV_POWER_USAGE{gpu="1",UUID="b"} 149.5
            DCGM_FI_DEV_GPU_UTIL{gpu="0",UUID="a"} 90
            DCGM_FI_DEV_GPU_UTIL{gpu="1",UUID="b"} 70
            vllm:num_requests_running{model_name="m"} 4
            """))
        XCTAssertEqual(m.server, .vllm)
        XCTAssertEqual(m.powerW, 400)
        XCTAssertEqual(try XCTUnwrap(m.gpuUtilization), 0.8, accuracy: 1e-12)
        XCTAssertEqual(m.series["requests_running"], 4)
        XCTAssertTrue(m.unmapped.isEmpty)
    }

    /// A user's mapping comes before the table; its names are not also kept as unmapped.
    func testUserMappingAndUnmappedSeries() throws {
        let text = """
            myengine_running 5
            myengine_queue 2
            # TYPE myengine_latency_seconds histogram
            myengine_latency_seconds_bucket{le="0.1"} 3
            myengine_latency_seconds_bucket{le="+Inf"} 4
            myengine_latency_seconds_sum 0.9
            myengine_latency_seconds_count 4
            """
        let m = ServerMetrics(samples: try PrometheusText.parse(text),
                              mapping: ["requests_running": "myengine_running", "requests_waiting": "myengine_queue"])
        XCTAssertNil(m.server)
        XCTAssertEqual(m.series, ["requests_running": 5, "requests_waiting": 2])
        XCTAssertEqual(m.unmapped, ["myengine_latency_seconds_sum": 0.9, "myengine_latency_seconds_count": 4],
                       "histogram buckets are left out")
    }
}
