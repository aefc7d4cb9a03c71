import CSQLite

/// SQLite's SQLITE_TRANSIENT ("copy the bytes now"): Swift's buffers live only for the
/// duration of a closure. The C macro is a pointer cast, which Swift cannot import.
private let sqliteTransient = unsafeBitCast(-1 as Int, to: sqlite3_destructor_type.self)

/// One prepared statement; finalized when released. Only `Database` creates these and
/// never lets one outlive the call that made it, so the connection is always open here.
final class Statement {
    private let pointer: OpaquePointer
    private let connection: OpaquePointer

    init(pointer: OpaquePointer, connection: OpaquePointer) {
        self.pointer = pointer
        self.connection = connection
    }

    deinit { sqlite3_finalize(pointer) }

    /// This statement's own SQL text (one statement even when it came from a script), for errors.
    var sqlExcerpt: String {
        guard let text = sqlite3_sql(pointer) else { return "" }
        return StoreError.excerpt(String(cString: text))
    }

    /// Whether running it leaves the database unchanged (SQLite's own judgement).
    var isReadOnly: Bool { sqlite3_stmt_readonly(pointer) != 0 }

    private var parameterCount: Int { Int(sqlite3_bind_parameter_count(pointer)) }

    // MARK: Binding

    /// Binds values to parameters 1...n in order; the count must match exactly.
    func bind(_ values: [SQLValue]) throws {
        guard values.count == parameterCount else {
            throw StoreError.parameterCount(sql: sqlExcerpt, expected: parameterCount, given: values.count)
        }
        for (offset, value) in values.enumerated() {
            try bind(value, at: Int32(offset + 1))
        }
    }

    /// Binds values by parameter name (`:a`, `@a` and `$a` all take key "a"). Every
    /// parameter needs a value and every value a parameter, so typos do not pass silently.
    func bind(named values: [String: SQLValue]) throws {
        var missing: [String] = []
        var used = Set<String>()
        for index in stride(from: 1, through: parameterCount, by: 1) {
            let position = Int32(index)
            // Anonymous "?" has no name; "?NNN" is positional, so neither can be bound by name.
            guard let cName = sqlite3_bind_parameter_name(pointer, position),
                  case let name = String(cString: cName), !name.hasPrefix("?") else {
                missing.append(Self.positionalName(pointer, index: position))
                continue
            }
            let key = String(name.dropFirst())
            if let value = values[key] {
                try bind(value, at: position)
                used.insert(key)
            } else {
                missing.append(name)
            }
        }
        let unknown = values.keys.filter { !used.contains($0) }.sorted()
        guard missing.isEmpty, unknown.isEmpty else {
            throw StoreError.parameterNames(sql: sqlExcerpt, missing: missing, unknown: unknown)
        }
    }

    private static func positionalName(_ pointer: OpaquePointer, index: Int32) -> String {
        sqlite3_bind_parameter_name(pointer, index).map { String(cString: $0) } ?? "?\(index)"
    }

    private func bind(_ value: SQLValue, at index: Int32) throws {
        let code: Int32
        switch value {
        case .null:
            code = sqlite3_bind_null(pointer, index)
        case .integer(let number):
            code = sqlite3_bind_int64(pointer, index, number)
        case .real(let number):
            code = sqlite3_bind_double(pointer, index, number)
        case .text(let text):
            // Explicit byte length, so text with embedded NUL bytes is kept whole.
            let length = UInt64(text.utf8.count)
            code = text.withCString {
                sqlite3_bind_text64(pointer, index, $0, length, sqliteTransient, UInt8(SQLITE_UTF8))
            }
        case .blob(let bytes) where bytes.isEmpty:
            // A NULL data pointer would bind SQL NULL; an empty blob must stay a blob.
            code = sqlite3_bind_zeroblob(pointer, index, 0)
        case .blob(let bytes):
            code = bytes.withUnsafeBytes {
                sqlite3_bind_blob64(pointer, index, $0.baseAddress, UInt64($0.count), sqliteTransient)
            }
        }
        guard code == SQLITE_OK else { throw failure() }
    }

    // MARK: Running

    /// Steps once: true when a row is ready, false when done.
    private func step() throws -> Bool {
        let code = sqlite3_step(pointer)
        switch code {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default: throw failure()
        }
    }

    /// Makes the statement ready to run again with new values (the old ones are replaced
    /// by the next `bind`).
    func reset() {
        sqlite3_reset(pointer)
    }

    /// Runs to completion, discarding any rows, and returns the rows it changed directly
    /// (not counting triggers or cascades).
    func run() throws -> Int {
        // sqlite3_changes keeps the count of the last INSERT/UPDATE/DELETE, so a DDL
        // statement would report its predecessor's; the total moves only when this one wrote.
        let before = sqlite3_total_changes64(connection)
        while try step() {}
        return sqlite3_total_changes64(connection) == before ? 0 : Int(sqlite3_changes64(connection))
    }

    /// Runs to completion and collects every row.
    func readAll() throws -> QueryResult {
        let count = sqlite3_column_count(pointer)
        let columns = (0..<count).map { column in
            sqlite3_column_name(pointer, column).map { String(cString: $0) } ?? ""
        }
        var rows: [[SQLValue]] = []
        while try step() {
            rows.append((0..<count).map(value(at:)))
        }
        return QueryResult(columns: columns, rows: rows)
    }

    /// Runs to completion, handing each row to `body` as it is stepped (nothing collected).
    func forEachRow(_ body: (Row) throws -> Void) throws {
        while try step() { try body(Row(statement: pointer)) }
    }

    /// The current row's value in `column`, by its storage class.
    private func value(at column: Int32) -> SQLValue {
        switch sqlite3_column_type(pointer, column) {
        case SQLITE_INTEGER:
            return .integer(sqlite3_column_int64(pointer, column))
        case SQLITE_FLOAT:
            return .real(sqlite3_column_double(pointer, column))
        case SQLITE_TEXT:
            // Fetch the pointer before the length: that order is what SQLite documents as safe.
            guard let text = sqlite3_column_text(pointer, column) else { return .text("") }
            let length = Int(sqlite3_column_bytes(pointer, column))
            return .text(String(decoding: UnsafeBufferPointer(start: text, count: length), as: UTF8.self))
        case SQLITE_BLOB:
            let data = sqlite3_column_blob(pointer, column)
            let length = Int(sqlite3_column_bytes(pointer, column))
            guard let data, length > 0 else { return .blob([]) }
            return .blob(Array(UnsafeRawBufferPointer(start: data, count: length)))
        default:
            return .null
        }
    }

    private func failure() -> StoreError {
        .sqlite(sql: sqlExcerpt, code: sqlite3_extended_errcode(connection),
                message: String(cString: sqlite3_errmsg(connection)))
    }
}

/// The row a statement is on, read column by column with the type the caller expects:
/// no `SQLValue` per column and no array per row. Valid only inside the body it is given to.
public struct Row {
    fileprivate let statement: OpaquePointer

    private func type(_ column: Int) -> Int32 { sqlite3_column_type(statement, Int32(column)) }

    /// A REAL, or an INTEGER widened; nil for NULL and anything else.
    public func double(_ column: Int) -> Double? {
        switch type(column) {
        case SQLITE_FLOAT, SQLITE_INTEGER: return sqlite3_column_double(statement, Int32(column))
        default: return nil
        }
    }

    /// An INTEGER; nil for anything else (a REAL is not rounded), as ``SQLValue/int``.
    public func int(_ column: Int) -> Int? {
        type(column) == SQLITE_INTEGER ? Int(sqlite3_column_int64(statement, Int32(column))) : nil
    }

    /// A TEXT; nil for anything else.
    public func text(_ column: Int) -> String? {
        guard type(column) == SQLITE_TEXT, let text = sqlite3_column_text(statement, Int32(column)) else { return nil }
        let length = Int(sqlite3_column_bytes(statement, Int32(column)))
        return String(decoding: UnsafeBufferPointer(start: text, count: length), as: UTF8.self)
    }

    /// A BLOB's bytes, handed to `body` without copying; nil when the column is not a BLOB.
    public func withBlob<T>(_ column: Int, _ body: (UnsafeRawBufferPointer) throws -> T) rethrows -> T? {
        guard type(column) == SQLITE_BLOB else { return nil }
        let data = sqlite3_column_blob(statement, Int32(column))
        let length = Int(sqlite3_column_bytes(statement, Int32(column)))
        return try body(UnsafeRawBufferPointer(start: length > 0 ? data : nil, count: length))
    }
}
