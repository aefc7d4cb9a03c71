import Foundation

/// What the test server answers when it stands in for a model (``TestServerConfig/accuracy``).
/// Each kind of question is one the server can answer from the prompt alone, so it can
/// be right or wrong on purpose and a scorer measures that from real replies:
///
/// - **code**: a prompt containing one of ``TestServerConfig/solutions``' prompts gets a
///   ```python block with that function and its reference body; a wrong answer's body is
///   `return None`;
/// - **needle**: a prompt with "The secret code is NNNN" gets the code; a wrong answer is
///   another code of as many digits;
/// - **multiple choice**: an arithmetic question followed by lettered choices ("A) 41")
///   gets the letter of the choice equal to the right result; a wrong answer is another
///   letter;
/// - **arithmetic**: ``ArithmeticAnswer``.
///
/// Right or wrong is drawn from a hash of the prompt, so the same prompt gets the same
/// answer every time (n samples of one code prompt agree: pass@k equals pass@1 here).
enum StandInAnswer {
    static func answer(to texts: [String], accuracy: Double, solutions: [String: String]) -> String? {
        let text = texts.joined(separator: "\n")
        let right = draw(text) < accuracy
        if !solutions.isEmpty {
            // The longest matching prompt: one problem's prompt may be a prefix of another's.
            if let (prompt, body) = solutions.filter({ text.contains($0.key) }).max(by: { $0.key.count < $1.key.count }) {
                return "\n```python\n" + prompt + (right ? body : "    return None\n") + "```\n"
            }
        }
        if let code = needle(in: text) {
            if right { return " " + code }
            let n = Int(code) ?? 0
            let offset = Int(ArithmeticAnswer.fnv1a(text + "/wrong") % 9_000) + 1
            var wrong = String((n + offset) % Int(pow10(code.count)))
            while wrong.count < code.count { wrong = "1" + wrong }
            return " " + (wrong == code ? String(wrong.reversed()) : wrong)
        }
        if let (letters, rightLetter) = choice(in: texts.last(where: { $0.contains(")") }) ?? text) {
            if right { return " " + String(rightLetter) }
            let others = letters.filter { $0 != rightLetter }
            guard !others.isEmpty else { return " " + String(rightLetter) }
            return " " + String(others[Int(ArithmeticAnswer.fnv1a(text + "/letter") % UInt64(others.count))])
        }
        return ArithmeticAnswer.answer(to: texts, accuracy: accuracy)
    }

    static func pow10(_ n: Int) -> Double { (0..<n).reduce(1.0) { a, _ in a * 10 } }

    /// A number in [0, 1) from the prompt's hash, the same draw ``ArithmeticAnswer`` makes.
    static func draw(_ text: String) -> Double {
        Double(ArithmeticAnswer.fnv1a(text) >> 11) / Double(1 << 53)
    }

    /// The digits after the last "The secret code is ".
    static func needle(in text: String) -> String? {
        guard let r = text.range(of: "The secret code is ", options: .backwards) else { return nil }
        let digits = text[r.upperBound...].prefix { $0.isASCII && $0.isNumber }.prefix(12)
        return digits.isEmpty ? nil : String(digits)
    }

    /// The choice letters and the right one, when `text` has an arithmetic question before
    /// lines "A) …", "B) …" and one choice is the question's result.
    static func choice(in text: String) -> ([Character], Character)? {
        var question: [Substring] = []
        var choices: [(Character, String)] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let t = line.drop { $0 == " " }
            if t.count >= 2, let l = t.first, "ABCDEFGHIJ".contains(l), t.dropFirst().first == ")" {
                choices.append((l, String(t.dropFirst(2)).trimmingCharacters(in: .whitespaces)))
            } else if choices.isEmpty {
                question.append(line)
            }
        }
        guard choices.count >= 2, let (a, op, b) = ArithmeticAnswer.question(in: question.joined(separator: "\n")) else { return nil }
        let result: Int
        switch op {
        case "+": result = a &+ b
        case "-": result = a &- b
        default: result = a &* b
        }
        guard let right = choices.first(where: { $0.1 == String(result) })?.0 else { return nil }
        return (choices.map(\.0), right)
    }
}
