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

    public init(url: String? = nil, interval: Double = 1) {
        self.url = url
        self.interval = interval
    }

    /// The URL to read for a target.
    public func resolvedURL(for endpoint: Endpoint) -> String {
        if let url { return url }
        let base = endpoint.baseURL.hasSuffix("/v1") ? String(endpoint.baseURL.dropLast(3)) : endpoint.baseURL
        return base + "/metrics"
    }
}

/// Reads the target's `/metrics` every `interval` seconds while a run goes, on the
/// run's own HTTP client, off the requests' path. The first failure (no endpoint,
/// an error status, text that is not the Prometheus format, no series we know) ends
/// the sampling with a warning: it never fails the run.
final class ServerMetricsSampler: Sendable {
    private let client: HTTPClient
    private let url: String
    private let interval: Double
    private let origin: UInt64
    private let headers: HTTPHeaders
    /// What the sampling loop and the run's thread share.
    private struct State {
        var samples: [ServerMetricSample] = []
        var warning: String?
        var task: RepeatedTask?
        var stopped = false
    }

    private let state = NIOLockedValueBox(State())

    init(client: HTTPClient, url: String, interval: Double, headers: HTTPHeaders, origin: UInt64) {
        self.client = client
        self.url = url
        self.interval = interval
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
                let series = ServerMetrics(samples: try PrometheusText.parse(text)).series
                guard !series.isEmpty else {
                    return self.fail("\(self.url) has none of the series frontier reads (vLLM, SGLang or TGI names)", task)
                }
                self.state.withLockedValue { s in
                    for name in series.keys.sorted() { s.samples.append(ServerMetricSample(t: t, name: name, value: series[name] ?? 0)) }
                }
            } catch {
                self.fail("\(self.url): \(error)", task)
            }
        }.recover { error in
            self.fail("GET \(self.url) failed: \(error)", task)
        }
    }

    private func fail(_ message: String, _ task: RepeatedTask) {
        state.withLockedValue { s in
            if s.warning == nil, !s.stopped { s.warning = "server metrics: \(message); sampling stopped (the run goes on)" }
        }
        task.cancel()
    }

    /// Stops sampling; returns what was read and the warning, if sampling failed.
    func stop() -> (samples: [ServerMetricSample], warning: String?) {
        state.withLockedValue { s in
            s.stopped = true
            s.task?.cancel()
            return (s.samples, s.warning)
        }
    }
}
