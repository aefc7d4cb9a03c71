/// A grid of character cells, each 2 × 4 braille dots, plus marker glyphs that
/// replace a cell's dots. Braille gives 8 dots per character, the finest lines a
/// plain terminal can draw, and every braille character is one column wide.
struct BrailleCanvas {
    let columns: Int
    let rows: Int
    private var dots: [UInt8]
    private var glyphs: [Character?]

    init(columns: Int, rows: Int) {
        self.columns = columns
        self.rows = rows
        dots = Array(repeating: 0, count: columns * rows)
        glyphs = Array(repeating: nil, count: columns * rows)
    }

    /// Dot resolution.
    var dotColumns: Int { columns * 2 }
    var dotRows: Int { rows * 4 }

    /// Bit of dot (dx, dy) inside a cell, per the Unicode braille pattern numbering.
    private static let bits: [[UInt8]] = [[0x01, 0x02, 0x04, 0x40], [0x08, 0x10, 0x20, 0x80]]

    mutating func set(dotX x: Int, dotY y: Int) {
        guard x >= 0, y >= 0, x < dotColumns, y < dotRows else { return }
        dots[(y / 4) * columns + x / 2] |= Self.bits[x % 2][y % 4]
    }

    /// A straight line of dots (Bresenham), both ends included.
    mutating func line(from a: (x: Int, y: Int), to b: (x: Int, y: Int)) {
        var x = a.x, y = a.y
        let dx = abs(b.x - a.x), dy = -abs(b.y - a.y)
        let sx = a.x < b.x ? 1 : -1, sy = a.y < b.y ? 1 : -1
        var error = dx + dy
        while true {
            set(dotX: x, dotY: y)
            if x == b.x && y == b.y { break }
            let e2 = 2 * error
            if e2 >= dy { error += dy; x += sx }
            if e2 <= dx { error += dx; y += sy }
        }
    }

    /// Puts `glyph` in the cell holding dot (x, y); a later glyph wins.
    mutating func mark(dotX x: Int, dotY y: Int, glyph: Character) {
        guard x >= 0, y >= 0, x < dotColumns, y < dotRows else { return }
        glyphs[(y / 4) * columns + x / 2] = glyph
    }

    /// Row `row` as text: glyph, braille, or a space for an empty cell.
    func text(row: Int) -> String {
        var out = ""
        for c in 0..<columns {
            let i = row * columns + c
            if let glyph = glyphs[i] {
                out.append(glyph)
            } else if dots[i] == 0 {
                out.append(" ")
            } else {
                out.unicodeScalars.append(Unicode.Scalar(0x2800 + UInt32(dots[i])) ?? " ")
            }
        }
        return out
    }
}
