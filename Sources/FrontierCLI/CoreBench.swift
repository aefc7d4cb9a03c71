import ArgumentParser
import Foundation
import FrontierMath
import Measure
import Runs
import Store

/// `frontier core-bench` (hidden): the Swift cores of the operations
/// `scripts/bench/lua-path.sh` times from Lua, on the same data, so the benchmark
/// prints Lua-path / core ratios measured in one run. Prints `name wall_seconds
/// cpu_seconds` lines, each the best of three (CPU time of the process, which waiting for
/// a core on a shared machine does not inflate). With `--ingest PORT`, instead the
/// SwiftNIO ingest floor of `scripts/bench/ingest-floor.sh` (CoreBench+Ingest.swift).
struct CoreBench: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "core-bench", shouldDisplay: false)

    @Option(help: "Points for the Pareto and knee cores.") var points = 1_000_000
    @Option(help: "A store holding the run below.") var store: String?
    @Option(name: .customLong("run"), help: "The run whose requests are read.") var runID: Int64?
    @Option(help: "The query timed.") var sql: String?

    @Option(help: "Time SwiftNIO readers against the C benchmark server on this loopback port instead.") var ingest: Int?
    @Option(help: "Ingest: concurrent streams (one connection each).") var streams = 64
    @Option(help: "Ingest: requests in all.") var requests = 256
    @Option(help: "Ingest: max_tokens of each request.") var tokens = 2000
    @Option(help: "Ingest: rounds; the best is reported.") var rounds = 3
    @Option(help: "Ingest: levels, comma-separated (raw, decoder, parse).") var levels = "raw,decoder,parse"
    @Option(help: "Ingest: event-loop threads (default: as a measuring run).") var clientThreads: Int?

    /// The same points the Lua script makes: point i has cost i·φ mod 1 + 0.01 and
    /// quality sin(i)·0.5 + 0.5 + cost (deterministic, no random generator to match).
    static func point(_ i: Int) -> (cost: Double, quality: Double) {
        let cost = (Double(i) * 0.618_033_988_749_895).truncatingRemainder(dividingBy: 1) + 0.01
        return (cost, sin(Double(i)) * 0.5 + 0.5 + cost)
    }

    func run() throws {
        if let port = ingest {
            let chosen = try levels.split(separator: ",").map { name in
                guard let l = IngestLevel(rawValue: String(name)) else { throw ValidationError("unknown level \(name)") }
                return l
            }
            guard streams > 0, requests > 0, tokens > 0, rounds > 0, (1...64).contains(clientThreads ?? 1) else {
                throw ValidationError("streams, requests, tokens and rounds must be positive, client threads 1 to 64")
            }
            try IngestBench(port: port, streams: streams, requests: requests, tokens: tokens,
                            threads: clientThreads ?? LoadPlan.defaultClientThreads).run(levels: chosen, rounds: rounds)
            return
        }
        guard let store, let runID, let sql else { throw ValidationError("--store, --run and --sql are required") }
        // Best of three, as the Lua side is timed.
        func time(_ name: String, _ body: () throws -> Void) rethrows {
            var best = Double.infinity, bestCPU = Double.infinity
            for _ in 0..<3 {
                let t0 = DispatchTime.now().uptimeNanoseconds, c0 = clock()
                try body()
                bestCPU = min(bestCPU, Double(clock() - c0) / Double(CLOCKS_PER_SEC))
                best = min(best, Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9)
            }
            print(name, String(format: "%.4f", best), String(format: "%.4f", bestCPU))
        }
        let made = (1...points).map(Self.point)
        let ids = (1...points).map { "p\($0)" }
        let columns = try PointColumns(ids: ids, values: ["cost": made.map(\.cost), "quality": made.map(\.quality)])
        let objectives = [Objective(metric: "cost", direction: .minimize), Objective(metric: "quality", direction: .maximize)]
        try time("pareto") { _ = try Pareto.front(columns, objectives: objectives, dominators: .none) }
        try time("knee") { _ = try Knee.find(on: try EfficientFrontier(points: columns)) }
        let small = try PointColumns(ids: Array(ids.prefix(100_000)),
                                     values: ["cost": Array(made.prefix(100_000).map(\.cost)),
                                              "quality": Array(made.prefix(100_000).map(\.quality))])
        try time("pareto_100k") { _ = try Pareto.front(small, objectives: objectives, dominators: .none) }
        let file = try Database(path: store)
        try time("query") { _ = try file.read(sql, []) }
        try time("requests") { _ = try StoredRequests.load(run: runID, chunks: false, db: file) }
    }
}
