/// The test server standing in for a model that answers questions: it solves the last
/// arithmetic question in a prompt (`a + b`, `a - b`, `a * b` or `a × b`, whole numbers)
/// and gets it right with probability `accuracy`, so a scorer has real answers to grade
/// and a quality-vs-cost frontier has configurations that differ in quality.
///
/// Whether an answer is right is drawn from a hash of the prompt text and the accuracy,
/// not from a clock or a counter: the same prompt gets the same answer on every run.
/// A wrong answer is off by 1 to 9.
enum ArithmeticAnswer {
    /// The reply text's last token for `texts` (the prompt's parts in order), or nil when
    /// the prompt asks no arithmetic question.
    static func answer(to texts: [String], accuracy: Double) -> String? {
        guard let (text, (a, op, b)) = texts.reversed().lazy.compactMap({ t in question(in: t).map { (t, $0) } }).first else {
            return nil
        }
        let right: Int
        switch op {
        case "+": right = a &+ b
        case "-": right = a &- b
        default: right = a &* b
        }
        var hash = fnv1a(text)
        let draw = Double(hash >> 11) / Double(1 << 53)
        if draw < accuracy { return " \(right)" }
        hash = fnv1a(text + "/wrong")
        let offset = Int(hash % 9) + 1
        return " \(hash & 0x200 == 0 ? right &+ offset : right &- offset)"
    }

    /// The last `number op number` in `text` (spaces around the operator allowed).
    static func question(in text: String) -> (Int, Character, Int)? {
        let chars = Array(text)
        var found: (Int, Character, Int)?
        var i = 0
        while i < chars.count {
            guard let (a, afterA) = number(chars, at: i) else { i += 1; continue }
            var j = skipSpaces(chars, afterA)
            if j < chars.count, "+-*×".contains(chars[j]) {
                let op: Character = chars[j] == "×" ? "*" : chars[j]
                j = skipSpaces(chars, j + 1)
                if let (b, afterB) = number(chars, at: j) {
                    found = (a, op, b)
                    i = afterB
                    continue
                }
            }
            i = afterA
        }
        return found
    }

    private static func number(_ chars: [Character], at start: Int) -> (Int, Int)? {
        var end = start
        while end < chars.count, chars[end].isASCII, chars[end].isNumber, end - start < 15 { end += 1 }
        guard end > start, start == 0 || !(chars[start - 1].isLetter || chars[start - 1].isNumber) else { return nil }
        return Int(String(chars[start..<end])).map { ($0, end) }
    }

    private static func skipSpaces(_ chars: [Character], _ start: Int) -> Int {
        var i = start
        while i < chars.count, chars[i] == " " { i += 1 }
        return i
    }

    static func fnv1a(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        // splitmix64's finaliser: FNV's high bits alone vary too little between similar prompts.
        hash = (hash ^ (hash >> 30)) &* 0xbf58_476d_1ce4_e5b9
        hash = (hash ^ (hash >> 27)) &* 0x94d0_49bb_1331_11eb
        return hash ^ (hash >> 31)
    }
}
