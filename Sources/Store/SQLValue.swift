/// One SQLite value, as bound to a parameter or read from a result column.
///
/// The case is SQLite's storage class of that value (`sqlite3_column_type`), not the
/// column's declared type: an INTEGER column holding NULL reads as `.null`.
public enum SQLValue: Sendable, Equatable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob([UInt8])
}

/// The rows a statement returned, with its column names in order.
public struct QueryResult: Sendable {
    /// Column names as SQLite reports them (`AS` aliases when given).
    public let columns: [String]
    /// One array per row, each as long as `columns`.
    public let rows: [[SQLValue]]

    /// Makes a result from column names and rows (each row as long as `columns`).
    public init(columns: [String], rows: [[SQLValue]]) {
        self.columns = columns
        self.rows = rows
    }
}

extension SQLValue {
    /// The value as a number: a REAL, or an INTEGER widened; nil for anything else.
    public var double: Double? {
        switch self {
        case .real(let d): return d
        case .integer(let n): return Double(n)
        default: return nil
        }
    }

    /// The value as an integer: an INTEGER; nil for anything else (a REAL is not rounded).
    public var int: Int? {
        if case .integer(let n) = self { return Int(n) }
        return nil
    }

    /// The value as text: a TEXT; nil for anything else.
    public var text: String? {
        if case .text(let s) = self { return s }
        return nil
    }
}
