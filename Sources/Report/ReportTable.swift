/// A table of text: column headings and rows of cells, already formatted by the caller.
public struct ReportTable: Sendable, Equatable {
    /// Column headings.
    public var columns: [String]
    /// Rows; each has one cell per column.
    public var rows: [[String]]
    /// Sentences printed under the table: what a blank cell or a missing row means.
    public var notes: [String]

    /// A table.
    public init(columns: [String], rows: [[String]], notes: [String] = []) {
        self.columns = columns
        self.rows = rows
        self.notes = notes
    }

    /// The table as HTML; number-like cells are right-aligned.
    /// - Throws: ``ReportError`` when a row's cell count differs from the columns'.
    func html(caption: String) throws -> String {
        for (i, row) in rows.enumerated() where row.count != columns.count {
            throw ReportError("table '\(caption)': row \(i + 1) has \(row.count) cells for \(columns.count) columns")
        }
        var out = "<table>\n<thead><tr>"
        for c in columns { out += "<th>\(Markup.escape(c))</th>" }
        out += "</tr></thead>\n<tbody>\n"
        for row in rows {
            out += "<tr>"
            for cell in row {
                out += Self.isNumeric(cell) ? "<td class=\"num\">" : "<td>"
                out += Markup.escape(cell) + "</td>"
            }
            out += "</tr>\n"
        }
        out += "</tbody>\n</table>\n"
        for note in notes { out += "<p class=\"note\">\(Markup.escape(note))</p>\n" }
        return out
    }

    /// "1,234.5", "$0.79", "12%", "-3" read as numbers (aligned right so digits line up).
    static func isNumeric(_ cell: String) -> Bool {
        var text = cell.trimmingCharacters(in: .whitespaces)
        if text.hasPrefix("$") { text.removeFirst() }
        if text.hasSuffix("%") { text.removeLast() }
        text.removeAll { $0 == "," }
        return !text.isEmpty && Double(text) != nil
    }
}

/// One run's SLA verdict as the report lists it.
public struct VerdictRow: Sendable, Equatable {
    /// Which run (tag or id).
    public var run: String
    /// Whether it met the SLA.
    public var passed: Bool
    /// Why, e.g. the failing clauses ("ttft_p99 1.4 s > 1 s").
    public var detail: String

    /// A verdict row.
    public init(run: String, passed: Bool, detail: String = "") {
        self.run = run
        self.passed = passed
        self.detail = detail
    }
}
