import Foundation

/// One multiple-choice item (MMLU style): a question, its choices (2 to 10, lettered
/// A, B, …) and the right letter.
public struct ChoiceItem: Sendable, Equatable {
    public let question: String
    public let choices: [String]
    /// The right choice's letter, upper-case.
    public let answer: Character
    /// A subject or other label carried along (MMLU's `subject`), if given.
    public let subject: String?

    public static let letters = Array("ABCDEFGHIJ")

    public init(question: String, choices: [String], answer: Character, subject: String? = nil) throws {
        guard !question.isEmpty else { throw QualityError.invalid(name: "question", expected: "a non-empty string", got: "\"\"") }
        guard (2...10).contains(choices.count) else { throw QualityError.invalid(name: "choices", expected: "2 to 10 choices", got: "\(choices.count)") }
        let index = ChoiceAnswer.upper(answer).flatMap { Self.letters.firstIndex(of: $0) }
        guard let index, index < choices.count else {
            throw QualityError.invalid(name: "answer", expected: "a letter A to \(Self.letters[choices.count - 1])", got: "'\(answer)'")
        }
        self.question = question
        self.choices = choices
        self.answer = Self.letters[index]
        self.subject = subject
    }

    /// The question, its lettered choices one a line ("A) …") and the instruction.
    public var prompt: String {
        var lines = [question]
        for (i, c) in choices.enumerated() { lines.append("\(Self.letters[i])) \(c)") }
        lines.append("Answer with the letter of the correct choice.")
        return lines.joined(separator: "\n")
    }

    /// One item from a decoded JSON object; `at` names it in messages ("items[3]").
    public static func item(from o: [String: Any], at: String) throws -> ChoiceItem {
        guard let q = o["question"] as? String else {
            throw QualityError.invalid(name: "\(at) field 'question'", expected: "a string", got: o["question"] == nil ? "nothing" : "something else")
        }
        let cs = o["choices"] as? [Any] ?? []
        let choices = cs.compactMap { $0 as? String }
        guard !cs.isEmpty, choices.count == cs.count else {
            throw QualityError.invalid(name: "\(at) field 'choices'", expected: "a list of strings", got: o["choices"] == nil ? "nothing" : "something else")
        }
        let answer: Character
        switch o["answer"] {
        case let s as String where s.count == 1: answer = Character(s)
        case let i as Int where i >= 0 && i < letters.count: answer = letters[i]
        default:
            throw QualityError.invalid(name: "\(at) field 'answer'", expected: "a letter or a 0-based index", got: o["answer"].map { "\($0)" } ?? "nothing")
        }
        do { return try ChoiceItem(question: q, choices: choices, answer: answer, subject: o["subject"] as? String) } catch let QualityError.invalid(name, expected, got) {
            throw QualityError.invalid(name: "\(at) field '\(name)'", expected: expected, got: got)
        }
    }

    /// Items from JSON objects one a line: `question` (a string), `choices` (a list of
    /// strings), `answer` (a letter, or a 0-based index as in the MMLU datasets), optional
    /// `subject`. Errors name `source`, the line and the field.
    public static func parse(_ data: Data, source: String) throws -> [ChoiceItem] {
        var out: [ChoiceItem] = []
        for (n, line) in String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let text = line.trimmingCharacters(in: .whitespacesAndNewlines)
            if text.isEmpty { continue }
            let at = "\(source) line \(n + 1)"
            guard let o = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] else {
                throw QualityError.invalid(name: at, expected: "a JSON object", got: "something else")
            }
            out.append(try item(from: o, at: at))
        }
        guard !out.isEmpty else { throw QualityError.invalid(name: source, expected: "at least one item", got: "none") }
        return out
    }
}
