import AsyncHTTPClient
import Foundation
import Runs
import Interop
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1

/// Where and how often to read the target's Prometheus metrics during a run.
public struct ServerMetricsOptions: Sendable, Equatable {
    /// The metrics URL; nil means the target's base URL without `/v1`, plus `/metrics`
    /// (where vLLM, SGLang and TGI serve them).
    public var url: String?
    /// Seconds between samples.
    public var interval: Double
    /// The user's names for the stable series (`requests_running` → `myengine_running`),
    /// tried before the engine table (``ServerMetrics/table``).
    public var mapping: [String: String]
    /// At most this many series no mapping names are stored, under their own names.
    public var maxUnmapped: Int

    public init(url: String? = nil, interval: Double = 1, mapping: [String: String] = [:], maxUnmapped: Int = 64) {
        self.url = url
        self.interval = interval
        self.mapping = mapping
        self.maxUnmapped = maxUnmapped
    }

    /// Checks the mapping's keys against the stable names.
    public func validate() throws {
        for (series, name) in mapping {
            guard ServerMetrics.seriesNames.contains(series) else {
                throw MeasureError.invalidArgument("server metrics series '\(series)' is not one of "
                    + ServerMetrics.seriesNames.joined(separator: ", "))
            }
            guard !name.isEmpty else { throw MeasureError.invalidArgument("server metrics series '\(series)' maps to an empty name") }
        }
        guard maxUnmapped >= 0 else { throw MeasureError.invalidArgument("max_unmapped must be 0 or more, got \(maxUnmapped)") }
    }

    /// The URL to read for a target.
    public func resolvedURL(for endpoint: Endpoint) -> String {
        if let url { return url }
        let base = endpoint.apiBase.hasSuffix("/v1") ? String(endpoint.apiBase.dropLast(3)) : endpoint.apiBase
        return base + "/metrics"
    }
}

/// Reads the target's `/metrics` every `interval` seconds while a run goes, on the
/// run's own HTTP client, off the requests' path. The first failure (no endpoint,
/// an error status, text that is not the Prometheus format) ends the sampling with a
/// warning: it never fails the run. Series no mapping names are stored under their own
/// names (the first `maxUnmapped` met), with a warning when none are mapped.
final class ServerMetricsSampler: Sendable {
    private let client: HTTPClient
    private let url: String
    private let interval: Double
    private let mapping: [String: String]
    private let maxUnmapped: Int
    private let origin: UInt64
    private let headers: HTTPHeaders
    /// What the sampling loop and the run's thread share.
    private struct State {
        var samples: [ServerMetricSample] = []
        var warning: String?
        var task: RepeatedTask?
        var stopped = false
        /// Unmapped series admitted so far (the first `maxUnmapped` met); the set stays stable.
        var admitted: Set<String> = []
        var notes: [String] = []
    }

    private let state = NIOLockedValueBox(State())

    init(client: HTTPClient, url: String, interval: Double, mapping: [String: String] = [:], maxUnmapped: Int = 64,
         headers: HTTPHeaders, origin: UInt64) {
        self.client = client
        self.url = url
        self.interval = interval
        self.mapping = mapping
        self.maxUnmapped = maxUnmapped
        self.headers = headers
        self.origin = origin
    }

    func start(on loop: any EventLoop) {
        let delay = TimeAmount.nanoseconds(Int64(max(0.05, interval) * 1e9))
        let task = loop.scheduleRepeatedAsyncTask(initialDelay: .zero, delay: delay) { [weak self] task in
            guard let self else {
                task.cancel()
                return loop.makeSucceededVoidFuture()
            }
            return self.sample(on: loop, task: task)
        }
        state.withLockedValue { $0.task = task }
    }

    private func sample(on loop: any EventLoop, task: RepeatedTask) -> EventLoopFuture<Void> {
        let request: HTTPClient.Request
        do { request = try HTTPClient.Request(url: url, method: .GET, headers: headers) } catch {
            fail("\(url) is not a valid URL", task)
            return loop.makeSucceededVoidFuture()
        }
        let deadline = NIODeadline.now() + .nanoseconds(Int64(max(1, interval * 2) * 1e9))
        return client.execute(request: request, eventLoop: .delegate(on: loop), deadline: deadline).map { response in
            let t = Double(NIODeadline.now().uptimeNanoseconds &- self.origin) / 1e9
            guard response.status == .ok else {
                return self.fail("GET \(self.url) answered \(response.status.code)", task)
            }
            let text = response.body.map { String(buffer: $0) } ?? ""
            do {
                let metrics = ServerMetrics(samples: try PrometheusText.parse(text), mapping: self.mapping)
                self.record(metrics, at: t)
            } catch {
                self.fail("\(self.url): \(error)", task)
            }
        }.recover { error in
            self.fail("GET \(self.url) failed: \(error)", task)
        }
    }

    /// Keeps one scrape: the mapped series, and the unmapped ones admitted under the bound.
    private func record(_ metrics: ServerMetrics, at t: Double) {
        let series = metrics.series
        state.withLockedValue { s in
            for name in series.keys.sorted() { s.samples.append(ServerMetricSample(t: t, name: name, value: series[name] ?? 0)) }
            var dropped = 0
            for name in metrics.unmapped.keys.sorted() {
                if !s.admitted.contains(name) {
                    guard s.admitted.count < maxUnmapped else { dropped += 1; continue }
                    s.admitted.insert(name)
                }
                s.samples.append(ServerMetricSample(t: t, name: name, value: metrics.unmapped[name] ?? 0))
            }
            if series.isEmpty, s.notes.isEmpty {
                s.notes.append("server metrics: \(url) has none of the series frontier maps (vLLM, SGLang, TGI, "
                    + "llama.cpp or DCGM names, or server_metrics.series); its series are stored under their own names")
            }
            if dropped > 0, s.notes.count < 2 {
                s.notes.append("server metrics: \(url) has more than \(maxUnmapped) unmapped series; the first \(maxUnmapped) are stored")
            }
        }
    }

    private func fail(_ message: String, _ task: RepeatedTask) {
        state.withLockedValue { s in
            if s.warning == nil, !s.stopped { s.warning = "server metrics: \(message); sampling stopped (the run goes on)" }
        }
        task.cancel()
    }

    /// Stops sampling; returns what was read and the warnings (sampling failed, nothing mapped).
    func stop() -> (samples: [ServerMetricSample], warnings: [String]) {
        state.withLockedValue { s in
            s.stopped = true
            s.task?.cancel()
            return (s.samples, s.notes + (s.warning.map { [$0] } ?? []))
        }
    }
}
