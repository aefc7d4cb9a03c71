// Benchmark driver for the Sim target, compiled in one module with
// Sources/Sim, Sources/Metrics and Sources/SeededRandom by scripts/bench/sim.sh
// (so no import and no Package.swift product are needed). Prints a table;
// asserts nothing. Rows run smallest first, so each row's peak RSS is the
// process's peak up to and including that run.
import Foundation

@main
struct SimBench {
    static func main() throws {
        let deployment = try Deployment(gpu: GPUProfile.named("A100-80G-SXM"), model: ModelProfile.named("Llama-3.1-8B"))
        print("Llama-3.1-8B on 1 × A100-80G-SXM (KV cache \(deployment.kvCapacityTokens) tokens), closed loop at 128,")
        print("input uniform 250–750 tokens (mean 500), output uniform 125–375 (mean 250); wall = best of the repeats")
        print("")
        print("requests    repeats  wall s   CPU s   µs/request  peak RSS MB  iterations  output tokens  simulated makespan s")
        for (count, repeats) in [(10_000, 3), (100_000, 3), (1_000_000, 1)] {
            let requests = workload(count)
            var result: SimResult?
            var best = (wall: Double.infinity, cpu: Double.infinity)
            for _ in 0..<repeats {
                result = nil  // free the previous run's records before the next one
                let start = DispatchTime.now().uptimeNanoseconds, cpuStart = threadCPU()
                result = try Simulator.run(requests: requests, load: .closed(concurrency: 128), deployment: deployment)
                best.wall = min(best.wall, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
                best.cpu = min(best.cpu, threadCPU() - cpuStart)
            }
            guard let result else { continue }
            let tokens = result.records.reduce(0) { $0 + $1.chunkTimes.count }
            print(String(format: "%-10d  %7d  %6.3f  %6.3f  %10.2f  %11.0f  %10d  %13d  %20.1f",
                         count, repeats, best.wall, best.cpu, best.wall / Double(count) * 1e6, peakRSSMB(),
                         result.iterations, tokens, result.makespan))
        }
    }

    /// A seeded workload: uniform lengths around 500 input and 250 output tokens.
    static func workload(_ count: Int) -> [SimRequest] {
        var rng = SplitMix64(seed: 42)
        return (0..<count).map { _ in
            SimRequest(inputTokens: 250 + rng.index(below: 501), outputTokens: 125 + rng.index(below: 251))
        }
    }

    static func threadCPU() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }

    /// The process's peak resident set so far (ru_maxrss is in KiB on Linux).
    static func peakRSSMB() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_maxrss) / 1024
    }
}
