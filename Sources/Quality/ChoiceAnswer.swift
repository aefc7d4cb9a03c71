/// The letter a multiple-choice response chose. Models say it in many ways ("B",
/// "(B) 42", "Answer: B", "The answer is **B**.", "\boxed{B}"), and an answer's text
/// often contains other capital letters ("A" as an article, "I think"), so the rules
/// are tried from the most explicit to the least:
///
/// 1. the last `\boxed{X}` (a final boxed letter);
/// 2. the last "answer: X", "answer is X" or "answer X" (any case; `*`, `(`, `[`, quotes
///    and spaces between are skipped);
/// 3. the first standalone letter among the choices: not part of a word, so "A" in
///    "Apple" is not one, and an "A" or "I" followed by a space and a lower-case word
///    (an English article or pronoun: "A dog", "I think") is skipped.
///
/// Only letters in `letters` count; the result is upper-case.
public enum ChoiceAnswer {
    /// The letters A–J, the choices of MMLU (A–D) and MMLU-Pro (A–J).
    public static let defaultLetters: Set<Character> = Set("ABCDEFGHIJ")

    /// The chosen letter, or nil when the response names none.
    public static func letter(in response: String, letters: Set<Character> = defaultLetters) -> Character? {
        let chars = Array(response)
        if let l = boxed(chars, letters) { return l }
        if let l = afterAnswer(chars, letters) { return l }
        return standalone(chars, letters)
    }

    static func isWordChar(_ c: Character) -> Bool { c.isLetter || c.isNumber || c == "_" }

    /// `c` upper-cased when that is one character ("ß" becomes "SS": not a choice letter).
    static func upper(_ c: Character) -> Character? {
        let u = c.uppercased()
        return u.count == 1 ? u.first : nil
    }

    /// The letter at `i` if it is one of `letters` and stands alone.
    static func letterAt(_ chars: [Character], _ i: Int, _ letters: Set<Character>) -> Character? {
        guard i < chars.count else { return nil }
        guard let c = upper(chars[i]), letters.contains(c) else { return nil }
        if i > 0, isWordChar(chars[i - 1]) { return nil }
        if i + 1 < chars.count, isWordChar(chars[i + 1]) { return nil }
        return c
    }

    static func boxed(_ chars: [Character], _ letters: Set<Character>) -> Character? {
        let text = String(chars)
        var found: Character?
        var search = text.startIndex..<text.endIndex
        while let r = text.range(of: "\\boxed{", range: search) {
            var j = r.upperBound
            var inner = ""
            while j < text.endIndex, text[j] != "}" { inner.append(text[j]); j = text.index(after: j) }
            let stripped = inner.filter { !" ()*\\{}".contains($0) }
                .replacingOccurrences(of: "textbf", with: "").replacingOccurrences(of: "text", with: "")
            if stripped.count == 1, let c = stripped.first.flatMap(upper), letters.contains(c) { found = c }
            search = r.upperBound..<text.endIndex
        }
        return found
    }

    static func afterAnswer(_ chars: [Character], _ letters: Set<Character>) -> Character? {
        // Lower-cased per character (a String each: some letters lower-case to two).
        let lower = chars.map { $0.lowercased() }
        let word = "answer".map(String.init)
        var found: Character?
        var i = 0
        while i + word.count <= lower.count {
            guard Array(lower[i..<(i + word.count)]) == word, i == 0 || !isWordChar(chars[i - 1]) else { i += 1; continue }
            var j = i + word.count
            // "answer:", "answer is", "answer would be", markdown and brackets between.
            let skippable: Set<Character> = [" ", ":", "*", "(", "[", "\"", "'", "`", "\t", "\n", "=", "-"]
            func skip() { while j < chars.count, skippable.contains(chars[j]) { j += 1 } }
            skip()
            for filler in ["is", "would be", "should be", "be", "letter", "option", "choice"] {
                let f = filler.map(String.init)
                if j + f.count <= lower.count, Array(lower[j..<(j + f.count)]) == f,
                   j + f.count == chars.count || !isWordChar(chars[j + f.count]) {
                    j += f.count
                    skip()
                }
            }
            // Upper-case only here: "answer is a number" names no choice.
            if j < chars.count, chars[j].isUppercase, let c = letterAt(chars, j, letters) { found = c }
            i += word.count
        }
        return found
    }

    static func standalone(_ chars: [Character], _ letters: Set<Character>) -> Character? {
        for i in chars.indices where chars[i].isUppercase {
            guard let c = letterAt(chars, i, letters) else { continue }
            // "A dog", "I think": an article or pronoun before a lower-case word.
            if c == "A" || c == "I", i + 2 < chars.count, chars[i + 1] == " ", chars[i + 2].isLowercase { continue }
            return c
        }
        return nil
    }
}
