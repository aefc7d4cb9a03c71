import ArgumentParser
import Foundation
import Scripting
import SimServing
import TestServer

/// `frontier serve`: the built-in test server in the foreground, until Ctrl-C; with
/// `--sim`, its tokens paced in real time by the simulator.
struct Serve: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve the built-in OpenAI-compatible streaming test server on 127.0.0.1.",
        discussion: """
            Replies stream exactly max_tokens tokens: the first TTFT seconds after the request \
            arrives, then one every ITL seconds. --faults injects failures into a share of \
            requests, e.g. --faults 429:0.1,reset:0.05,stall:0.01 (kinds: \
            \(Fault.Kind.allCases.map(\.rawValue).joined(separator: ", "))).

            With --sim the replies are paced by the simulator instead of --ttft/--itl: \
            requests share a continuous-batching engine that serves --model on --gpus × --gpu, \
            so latency grows with load as on a real server, and /metrics reports its queue and \
            KV cache. Example: frontier serve --sim --gpu A800-80G --gpus 2 --model Qwen2.5-32B
            """)

    @Option(help: "Port (0 picks a free one).") var port = 8000
    @Option(help: ArgumentHelp("Seconds to the first token.", valueName: "seconds")) var ttft = 0.05
    @Option(help: ArgumentHelp("Seconds between tokens.", valueName: "seconds")) var itl = 0.01
    @Option(help: ArgumentHelp("Faults to inject: KIND[:FRACTION],...", valueName: "spec")) var faults: String?
    @Option(help: ArgumentHelp("Where usage goes in streams: final, separate or none.", valueName: "mode")) var usage = "final"
    @Option(help: "The model name it answers to (default frontier-test); with --sim, the model preset simulated, also the name it answers to.")
    var model: String?
    @Option(help: "Event-loop threads.") var threads = 1
    @Option(help: ArgumentHelp("After a reply: keep_alive, close_after_stream (as llama-server) or close.", valueName: "mode"))
    var connection = "keep_alive"
    @Option(help: ArgumentHelp("Answer arithmetic questions in prompts, right with this probability (0 to 1).", valueName: "p"))
    var accuracy: Double?
    @Option(help: ArgumentHelp("Serve https with this PEM certificate (chain); needs --tls-key.", valueName: "path")) var tlsCert: String?
    @Option(help: ArgumentHelp("The PEM private key of --tls-cert.", valueName: "path")) var tlsKey: String?
    @Option(help: ArgumentHelp("With --tls-cert: require client certificates issued by these PEM CAs (mutual TLS).", valueName: "path"))
    var tlsClientCa: String?
    @Option(help: ArgumentHelp("With --accuracy: answer code prompts of these HumanEval-format problems with their reference solutions, right with that probability.", valueName: "path"))
    var solutions: String?
    @Flag(help: "End every reply with what the request carried: [received N messages, M tokens].") var echo = false
    @Flag(help: "Pace tokens with the simulator (needs --gpu and --model; --ttft and --itl are ignored).") var sim = false
    @Option(help: ArgumentHelp("With --sim: the GPU preset, e.g. A800-80G.", valueName: "name")) var gpu: String?
    @Option(help: "With --sim: GPUs in tensor parallel.") var gpus = 1
    @Option(help: .hidden) var count: Int?

    func validate() throws {
        guard ttft >= 0, itl >= 0 else { throw ValidationError("--ttft and --itl must be 0 or more seconds") }
        guard UsageMode(rawValue: usage) != nil else { throw ValidationError("--usage must be final, separate or none, got '\(usage)'") }
        guard ConnectionBehaviour(rawValue: connection) != nil else {
            throw ValidationError("--connection must be keep_alive, close_after_stream or close, got '\(connection)'")
        }
        if let f = faults { do { _ = try Fault.parse(f) } catch { throw ValidationError("--faults: \(error)") } }
        guard (0...65535).contains(port) else { throw ValidationError("--port must be 0 to 65535") }
        guard threads >= 1 else { throw ValidationError("--threads must be at least 1") }
        if let accuracy, !(0...1).contains(accuracy) { throw ValidationError("--accuracy must be a probability from 0 to 1, got \(accuracy)") }
        if solutions != nil, accuracy == nil { throw ValidationError("--solutions needs --accuracy (how often the stand-in answers right)") }
        if sim {
            guard gpu != nil else { throw ValidationError("--sim needs --gpu (a preset such as A800-80G)") }
            guard model != nil else { throw ValidationError("--sim needs --model (a preset such as Qwen2.5-32B)") }
        } else if gpu != nil {
            throw ValidationError("--gpu needs --sim")
        }
        if (tlsCert == nil) != (tlsKey == nil) { throw ValidationError("--tls-cert and --tls-key go together") }
        if tlsClientCa != nil && tlsCert == nil { throw ValidationError("--tls-client-ca needs --tls-cert and --tls-key") }
    }

    func run() throws {
        var c = TestServerConfig()
        c.port = port
        c.ttft = ttft
        c.itl = itl
        c.faults = try faults.map(Fault.parse) ?? []
        c.usage = UsageMode(rawValue: usage) ?? .finalChunk
        c.connection = ConnectionBehaviour(rawValue: connection) ?? .keepAlive
        c.echo = echo
        c.model = model ?? "frontier-test"
        c.threads = threads
        c.accuracy = accuracy
        if let tlsCert, let tlsKey { c.tls = TestServerTLS(certFile: tlsCert, keyFile: tlsKey, clientCAFile: tlsClientCa) }
        if let solutions {
            do { c.solutions = try StandInSolutions.load(path: solutions) } catch { throw ValidationError("--solutions: \(error)") }
        }
        // Block the signals before the server's threads start (they inherit the
        // mask), so Ctrl-C reaches sigwait below and the server stops cleanly.
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGINT)
        sigaddset(&set, SIGTERM)
        pthread_sigmask(SIG_BLOCK, &set, nil)
        let server: TestServer
        var simulated: SimulatedServer?
        do {
            if sim, let gpu, let model {
                let s = try SimulatedServer.start(gpu: gpu, count: Session.gpus(gpus, deprecatedCount: count), model: model, config: c)
                simulated = s
                server = s.server
            } else {
                server = try TestServer.start(c)
            }
        } catch let error as SimServerError {
            // A deployment that cannot exist is a usage error (status 2), like a bad option.
            throw ValidationError(error.message)
        } catch {
            Session.printError("frontier serve: \(error)")
            throw ExitCode(1)
        }
        if let simulated {
            print("serving \(server.baseURL) (simulated \(simulated.summary)\(faults.map { ", faults \($0)" } ?? "")); Ctrl-C stops")
        } else {
            print("serving \(server.baseURL) (model \(c.model), ttft \(ttft) s, itl \(itl) s\(faults.map { ", faults \($0)" } ?? "")); Ctrl-C stops")
        }
        fflush(nil)
        var sig: Int32 = 0
        sigwait(&set, &sig)
        if let simulated { simulated.stop() } else { server.stop() }
        let s = server.stats()
        print("stopped: \(s.requests) requests, \(s.tokensSent) tokens sent")
    }
}
