// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "frontier",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "frontier", targets: ["FrontierCLI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    ],
    targets: [
        // System libraries, linked through pkg-config.
        .systemLibrary(name: "CLua", pkgConfig: "lua5.4",
                       providers: [.apt(["liblua5.4-dev"])]),
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3",
                       providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "CEditline", pkgConfig: "libedit",
                       providers: [.apt(["libedit-dev"])]),

        // C: Lua's macros as functions, the error trampoline, __gc, allocator, SIGINT hook.
        .target(name: "CLuaShim", dependencies: ["CLua"]),
        // Swift <-> Lua: the only Swift target that touches the Lua C API.
        .target(name: "LuaBridge", dependencies: ["CLuaShim", "CLua"]),
        // The results store: SQLite file, schema, migrations.
        .target(name: "Store", dependencies: ["CSQLite"]),
        // A mutex and condition on the monotonic clock, and a one-shot latch (Sim's engine, Measure's runs).
        .target(name: "MonotonicSync"),
        // The project's one seeded random generator (SplitMix64).
        .target(name: "SeededRandom"),
        // Request records, per-run metrics (TTFT, TPOT, ITL, E2E, makespan...) and the validity verdict.
        .target(name: "Metrics"),
        // An OpenAI-compatible streaming server with exact timing and injectable faults.
        .target(name: "TestServer", dependencies: [
            .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
            .product(name: "NIOSSL", package: "swift-nio-ssl"),
        ]),
        // Stored runs: every SQL statement about runs, requests, quality scores and server metrics.
        .target(name: "Runs", dependencies: ["Metrics", "Store", "Interop",
                                            .product(name: "NIOConcurrencyHelpers", package: "swift-nio")]),
        // The load generator: workloads, the streaming OpenAI client, closed and open loop.
        .target(name: "Measure", dependencies: [
            "Metrics", "Store", "SeededRandom", "Interop", "Runs", "MonotonicSync",
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
            .product(name: "NIOSSL", package: "swift-nio-ssl"),
        ]),
        // Cost models: hourly GPU cost (the paper's formula), cloud and API prices, cost of a run, CapEx, break-even, sensitivity.
        .target(name: "Cost", dependencies: ["SeededRandom", "Metrics"]),
        // Frontier math: Pareto sets, efficient frontier, knee and optimal zone, saturation, bootstrap intervals.
        .target(name: "FrontierMath", dependencies: ["SeededRandom"]),
        // Quality scores: built-in scorers over responses, lm-evaluation-harness results.
        .target(name: "Quality"),
        // The continuous-batching simulator: roofline iterations, vLLM-like scheduling.
        .target(name: "Sim", dependencies: ["Metrics", "SeededRandom", "MonotonicSync"]),
        // Glue between two domains: a simulated run stored like a measured one.
        .target(name: "SimRuns", dependencies: ["Sim", "Runs"]),
        // Glue between two domains: the test server's replies paced by the simulator's engine.
        .target(name: "SimServing", dependencies: ["Sim", "TestServer"]),
        // Charts (SVG), the self-contained HTML report, terminal plots.
        .target(name: "Report"),
        // Other tools' results in (vLLM, guidellm, aiperf), Prometheus text, CSV / JSON Lines out.
        .target(name: "Interop", dependencies: ["Metrics"]),
        // The team store: runs pushed to and pulled from PostgreSQL, its schema, sharded sweeps' ledger.
        .target(name: "TeamStore", dependencies: ["Runs", "Store", "Metrics",
                                                 // swift-metrics (under PostgresNIO) also has a module named Metrics: alias it.
                                                 .product(name: "PostgresNIO", package: "postgres-nio", moduleAliases: ["Metrics": "SwiftMetrics"]),
                                                 .product(name: "Logging", package: "swift-log"),
                                                 .product(name: "NIOSSL", package: "swift-nio-ssl")]),
        // Lua bindings of the domain targets, stdlib lookup, help registry.
        .target(name: "Scripting", dependencies: ["LuaBridge", "Store", "Metrics", "Measure", "TestServer", "Runs", "SimServing", "SimRuns",
                                                 "Cost", "FrontierMath", "Quality", "Sim", "Report", "Interop", "TeamStore"]),
        // The `frontier` executable: CLI and REPL.
        .executableTarget(name: "FrontierCLI", dependencies: [
            "Scripting", "LuaBridge", "CEditline", "TestServer", "Runs", "Interop", "Store", "SimServing", "FrontierMath", "TeamStore",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            // `core-bench --ingest`: SwiftNIO readers timed beside frontier's client (Measure).
            "Measure",
            .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
        ]),

        .testTarget(name: "LuaBridgeTests", dependencies: ["LuaBridge"]),
        .testTarget(name: "StoreTests", dependencies: ["Store"]),
        .testTarget(name: "MetricsTests", dependencies: ["Metrics"]),
        .testTarget(name: "CostTests", dependencies: ["Cost", "SeededRandom"]),
        .testTarget(name: "QualityTests", dependencies: ["Quality"]),
        .testTarget(name: "SimTests", dependencies: ["Sim", "Metrics"]),
        .testTarget(name: "ReportTests", dependencies: ["Report"]),
        .testTarget(name: "InteropTests", dependencies: ["Interop", "Metrics"], resources: [.copy("Fixtures")]),
        .testTarget(name: "FrontierMathTests", dependencies: ["FrontierMath", "SeededRandom"]),
        .testTarget(name: "TestServerTests", dependencies: ["TestServer",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio")]),
        .testTarget(name: "MeasureTests", dependencies: ["Measure", "TestServer", "Metrics", "Store", "Runs", "MonotonicSync",
                                                   .product(name: "AsyncHTTPClient", package: "async-http-client"),
                                                   .product(name: "NIOCore", package: "swift-nio")]),
        .testTarget(name: "RunsTests", dependencies: ["Runs", "Store", "Metrics", "Sim", "SimRuns"]),
        .testTarget(name: "ScriptingTests", dependencies: ["Scripting", "Measure", "Metrics", "Runs"]),
        .testTarget(name: "CLITests", dependencies: ["FrontierCLI"]),
        .testTarget(name: "TeamStoreTests", dependencies: ["TeamStore", "Runs", "Store", "Metrics",
                                                    .product(name: "NIOCore", package: "swift-nio")]),
    ],
    swiftLanguageModes: [.v6]
)
