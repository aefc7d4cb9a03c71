/// Escaping for text placed in XML (SVG) and HTML.
public enum Markup {
    /// `text` safe inside element content and quoted attributes of XML and HTML:
    /// `&`, `<`, `>`, `"` and `'` become entities; control characters that XML 1.0
    /// forbids become U+FFFD, so a stray byte cannot make the file unreadable.
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            default:
                let v = scalar.value
                // XML 1.0 allows no C0 controls but tab/newline/return, nor U+FFFE/U+FFFF.
                if v < 0x20 || v == 0xFFFE || v == 0xFFFF {
                    out += "\u{FFFD}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }
}
