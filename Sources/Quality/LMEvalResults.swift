import Foundation

/// Scores read from an lm-evaluation-harness results file (`results_*.json`):
/// `results` maps each task to metrics named "acc,none", "acc_stderr,none" (or, in
/// older versions, "acc" and "acc_stderr"); `n-samples` gives the items per task,
/// and `model_name` or `config.model_args` names the model.
public struct LMEvalResults: Sendable, Equatable {
    /// The model the file names, if any.
    public let model: String?
    /// One score per task and metric ("hellaswag" / "acc_norm"), sorted by task then metric.
    public let scores: [LMEvalScore]

    /// A Swift type as the JSON it stands for, for messages.
    static func words(_ type: Any.Type) -> String {
        let name = "\(type)"
        if name.hasPrefix("Dictionary") { return "an object" }
        if name.hasPrefix("Array") { return "a list" }
        if name == "String" { return "a string" }
        if name == "Double" || name == "Int" || name == "Float" { return "a number" }
        return "what lm-eval writes"
    }

    /// "… but found an array instead." → "an array": what the decoder met.
    static func found(_ description: String) -> String {
        guard let start = description.range(of: "but found "), let end = description.range(of: " instead", range: start.upperBound..<description.endIndex)
        else { return description.contains("null") ? "null" : "something else" }
        return String(description[start.upperBound..<end.lowerBound])
    }

    /// Parses the file's JSON; throws `QualityError` naming the first field that is wrong.
    public init(json data: Data) throws {
        let file: File
        do { file = try JSONDecoder().decode(File.self, from: data) } catch let DecodingError.typeMismatch(type, context),
                let DecodingError.valueNotFound(type, context) {
            let path = context.codingPath.map(\.stringValue).joined(separator: ".")
            throw QualityError.invalid(name: path.isEmpty ? "the file's top level" : "field '\(path)'",
                                       expected: Self.words(type), got: Self.found(context.debugDescription))
        } catch DecodingError.keyNotFound(let key, _) {
            throw QualityError.invalid(name: "field '\(key.stringValue)'", expected: "present", got: "nothing")
        } catch {
            throw QualityError.invalid(name: "lm-eval results", expected: "a JSON object", got: "unparseable text")
        }
        var scores: [LMEvalScore] = []
        for task in file.results.keys.sorted() {
            let metrics = file.results[task] ?? [:]
            let n = file.samples?[task]?.effective
            for key in metrics.keys.sorted() {
                let (metric, filter) = Self.split(key)
                guard !metric.hasSuffix("_stderr"), case .number(let value)? = metrics[key], value.isFinite else { continue }
                let stderrKey = filter.map { "\(metric)_stderr,\($0)" } ?? "\(metric)_stderr"
                var stderr: Double?
                if case .number(let e)? = metrics[stderrKey], e.isFinite { stderr = e }
                let name = filter.map { $0 == "none" ? metric : "\(metric),\($0)" } ?? metric
                scores.append(LMEvalScore(task: task, metric: name, value: value, stderr: stderr, count: n))
            }
        }
        guard !scores.isEmpty else {
            throw QualityError.invalid(name: "field 'results'", expected: "at least one numeric metric", got: "none")
        }
        self.scores = scores
        self.model = file.modelName
    }

    /// The parts of the file read here.
    struct File: Decodable {
        let results: [String: [String: Cell]]
        let samples: [String: Samples]?
        let modelNameField: String?
        let config: Config?

        enum CodingKeys: String, CodingKey {
            case results, config
            case samples = "n-samples"
            case modelNameField = "model_name"
        }

        struct Samples: Decodable { let effective: Int? }
        struct Config: Decodable {
            let model: String?
            let modelArgs: String?
            enum CodingKeys: String, CodingKey {
                case model
                case modelArgs = "model_args"
            }
            init(from decoder: Decoder) throws {
                let c = try decoder.container(keyedBy: CodingKeys.self)
                model = try? c.decode(String.self, forKey: .model)
                modelArgs = try? c.decode(String.self, forKey: .modelArgs)
            }
        }

        /// A metric cell: numbers are scores; strings ("N/A", aliases) and others are skipped.
        enum Cell: Decodable {
            case number(Double)
            case other
            init(from decoder: Decoder) throws {
                let c = try decoder.singleValueContainer()
                if let b = try? c.decode(Bool.self) { _ = b; self = .other }
                else if let d = try? c.decode(Double.self) { self = .number(d) }
                else { self = .other }
            }
        }

        init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            results = try c.decode([String: [String: Cell]].self, forKey: .results)
            samples = try? c.decode([String: Samples].self, forKey: .samples)
            modelNameField = try? c.decode(String.self, forKey: .modelNameField)
            config = try? c.decode(Config.self, forKey: .config)
        }

        var modelName: String? {
            if let name = modelNameField, !name.isEmpty { return name }
            if let args = config?.modelArgs {
                for part in args.split(separator: ",") {
                    let kv = part.split(separator: "=", maxSplits: 1)
                    if kv.count == 2, ["pretrained", "model", "model_name"].contains(String(kv[0])) { return String(kv[1]) }
                }
            }
            return config?.model
        }
    }

    /// "acc,none" → ("acc", "none"); "acc" → ("acc", nil).
    static func split(_ key: String) -> (String, String?) {
        guard let comma = key.firstIndex(of: ",") else { return (key, nil) }
        return (String(key[..<comma]), String(key[key.index(after: comma)...]))
    }
}

/// One task's metric.
public struct LMEvalScore: Sendable, Equatable {
    public let task: String
    /// The metric name without lm-eval's ",none" filter suffix ("acc", "exact_match,strict-match").
    public let metric: String
    public let value: Double
    public let stderr: Double?
    /// Items evaluated ("n-samples" effective), when the file says.
    public let count: Int?

    public init(task: String, metric: String, value: Double, stderr: Double?, count: Int?) {
        self.task = task
        self.metric = metric
        self.value = value
        self.stderr = stderr
        self.count = count
    }

    /// "task/metric", the name scores are stored under.
    public var name: String { "\(task)/\(metric)" }
}
