import Foundation

/// Which OpenAI endpoint a generation request came in on; it decides the reply's shape.
enum APIFlavor {
    case completions, chat
}

/// The parts of a completions or chat request body that the server acts on.
struct GenerationRequest {
    var flavor: APIFlavor
    var model: String?
    var promptTokens: Int
    var maxTokens: Int?
    var stream: Bool
    var includeUsage: Bool
    /// The prompt's texts (completions prompt, or every message's text), kept only when
    /// the server answers questions (``TestServerConfig/accuracy``).
    var texts: [String] = []

    /// The largest `max_tokens` accepted: a non-streamed reply holds its whole text in memory
    /// (4 bytes a token), so this keeps one request below about 40 MB.
    static let maxTokensLimit = 10_000_000

    /// A 400 reply's message: what is wrong with the body.
    struct Invalid: Error {
        var message: String
    }

    /// Parses a JSON request body; throws ``Invalid`` naming the problem.
    static func parse(_ body: [UInt8], flavor: APIFlavor, tokenizer: TestTokenizer = .words,
                      keepText: Bool = false) throws -> GenerationRequest {
        guard !body.isEmpty else { throw Invalid(message: "request body is empty; expected a JSON object") }
        let json: Any
        do {
            json = try JSONSerialization.jsonObject(with: Data(body))
        } catch {
            throw Invalid(message: "request body is not valid JSON: \(Self.describe(error))")
        }
        guard let object = json as? [String: Any] else {
            throw Invalid(message: "request body must be a JSON object")
        }
        var request = GenerationRequest(flavor: flavor, model: nil, promptTokens: 0, maxTokens: nil,
                                        stream: false, includeUsage: false)
        request.model = try optionalString(object, "model")
        switch flavor {
        case .completions: request.promptTokens = try promptWords(object["prompt"])
        case .chat: request.promptTokens = try messageWords(object["messages"])
        }
        if tokenizer != .words {
            // Counted again with the configured tokenizer (the word count above also checks the shape).
            request.promptTokens = tokenizer.special + promptText(object, flavor: flavor).reduce(0) { $0 + tokenizer.count($1) }
        }
        if keepText { request.texts = promptText(object, flavor: flavor) }
        // `max_completion_tokens` is the newer OpenAI name; either one sets the length.
        request.maxTokens = try optionalCount(object, "max_tokens") ?? optionalCount(object, "max_completion_tokens")
        request.stream = try optionalBool(object, "stream") ?? false
        if let options = object["stream_options"], !(options is NSNull) {
            guard let options = options as? [String: Any] else {
                throw Invalid(message: "'stream_options' must be an object")
            }
            request.includeUsage = try optionalBool(options, "include_usage", path: "stream_options.include_usage") ?? false
        }
        return request
    }

    // MARK: - Fields

    private static func optionalString(_ object: [String: Any], _ key: String) throws -> String? {
        guard let value = object[key], !(value is NSNull) else { return nil }
        guard let string = value as? String else { throw Invalid(message: "'\(key)' must be a string") }
        return string
    }

    private static func optionalBool(_ object: [String: Any], _ key: String, path: String? = nil) throws -> Bool? {
        guard let value = object[key], !(value is NSNull) else { return nil }
        guard let number = value as? NSNumber, isBoolean(number) else {
            throw Invalid(message: "'\(path ?? key)' must be true or false")
        }
        return number.boolValue
    }

    private static func optionalCount(_ object: [String: Any], _ key: String) throws -> Int? {
        guard let value = object[key], !(value is NSNull) else { return nil }
        guard let number = value as? NSNumber, !isBoolean(number) else {
            throw Invalid(message: "'\(key)' must be an integer")
        }
        let double = number.doubleValue
        guard double.isFinite, double.rounded() == double, double >= 1, double <= Double(maxTokensLimit) else {
            throw Invalid(message: "'\(key)' must be an integer from 1 to \(maxTokensLimit), got \(number)")
        }
        return Int(double)
    }

    /// Whether JSONSerialization produced this number from `true`/`false`.
    private static func isBoolean(_ number: NSNumber) -> Bool {
        // Booleans come back as the shared kCFBoolean-style instances, whose type is distinct
        // from any integer's; comparing the dynamic type is the portable test.
        type(of: number) == type(of: NSNumber(value: true))
    }

    // MARK: - Prompt size

    private static func promptWords(_ prompt: Any?) throws -> Int {
        switch prompt {
        case let text as String:
            return wordCount(text)
        case let array as [Any]:
            // A list of strings, or pre-tokenized prompts (lists of token ids): each id is a token.
            return try array.reduce(0) { total, element in
                switch element {
                case let text as String: return total + wordCount(text)
                case let ids as [Any]: return total + ids.count
                case is NSNumber: return total + 1
                default: throw Invalid(message: "'prompt' must be a string or an array of strings")
                }
            }
        case nil, is NSNull:
            throw Invalid(message: "'prompt' is required")
        default:
            throw Invalid(message: "'prompt' must be a string or an array of strings")
        }
    }

    private static func messageWords(_ messages: Any?) throws -> Int {
        guard let messages else { throw Invalid(message: "'messages' is required") }
        guard let list = messages as? [Any] else { throw Invalid(message: "'messages' must be an array") }
        var total = 0
        for (index, element) in list.enumerated() {
            guard let message = element as? [String: Any] else {
                throw Invalid(message: "'messages[\(index)]' must be an object")
            }
            guard message["role"] is String else {
                throw Invalid(message: "'messages[\(index)].role' must be a string")
            }
            total += try contentWords(message["content"], path: "messages[\(index)].content")
        }
        return total
    }

    /// Words in a message's content: a string, or an array of parts whose `text` fields count.
    private static func contentWords(_ content: Any?, path: String) throws -> Int {
        switch content {
        case nil, is NSNull:
            return 0  // assistant messages with tool calls carry no content
        case let text as String:
            return wordCount(text)
        case let parts as [Any]:
            return parts.reduce(0) { total, part in
                guard let part = part as? [String: Any], let text = part["text"] as? String else { return total }
                return total + wordCount(text)
            }
        default:
            throw Invalid(message: "'\(path)' must be a string or an array of content parts")
        }
    }

    /// The prompt's texts (completions prompt, or every message's text), already checked by `parse`.
    private static func promptText(_ object: [String: Any], flavor: APIFlavor) -> [String] {
        func texts(_ content: Any?) -> [String] {
            if let s = content as? String { return [s] }
            if let parts = content as? [Any] { return parts.compactMap { ($0 as? [String: Any])?["text"] as? String } }
            return []
        }
        switch flavor {
        case .completions:
            if let list = object["prompt"] as? [Any] { return list.compactMap { $0 as? String } }
            return texts(object["prompt"])
        case .chat:
            return (object["messages"] as? [Any] ?? []).flatMap { texts(($0 as? [String: Any])?["content"]) }
        }
    }

    /// Whitespace-separated words: the server's stand-in for a tokenizer.
    static func wordCount(_ text: String) -> Int {
        var count = 0
        var inWord = false
        for byte in text.utf8 {
            let blank = byte == 0x20 || byte == 0x0A || byte == 0x09 || byte == 0x0D
            if !blank && !inWord { count += 1 }
            inWord = !blank
        }
        return count
    }

    private static func describe(_ error: Error) -> String {
        let nsError = error as NSError
        if let detail = nsError.userInfo[NSDebugDescriptionErrorKey] as? String { return detail }
        return nsError.localizedDescription
    }
}
