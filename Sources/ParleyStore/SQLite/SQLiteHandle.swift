import ParleyCore
import VaporCSQLite

/// One SQLite connection, used by one thread at a time, that keeps its prepared statements by SQL text.
///
/// The store's statements are a fixed set of SQL strings with their values bound as parameters, so each is compiled
/// once per connection and then only reset, rebound and stepped: no parse, no plan, no allocation of a statement per
/// query. Everything here is synchronous; `SQLiteDatabase` decides on which thread a handle runs.
final class SQLiteHandle {
    private(set) var connection: OpaquePointer?
    private var statements: [String: OpaquePointer] = [:]
    /// The result columns of each cached statement, with the count of its preparations they were read at.
    private var columnNames: [OpaquePointer: (preparations: Int32, columns: SQLColumns)] = [:]
    /// FTS5's tokenizer of the knowledge index on this connection, set up on first use.
    var fullTextTokenizer: FTS5Tokenizer?

    /// Statements kept per connection; beyond it the cache starts over (dynamic SQL must not grow it forever).
    private static let statementCacheLimit = 512

    /// Opens the database at `path` (`:memory:` for a private in-memory database).
    init(path: String, readOnly: Bool) throws {
        let flags =
            (readOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) | SQLITE_OPEN_NOMUTEX
            | SQLITE_OPEN_EXRESCODE
        var opened: OpaquePointer?
        let status = sqlite_nio_sqlite3_open_v2(path, &opened, flags, nil)
        guard status == SQLITE_OK, let opened else {
            let message = opened.map { String(cString: sqlite_nio_sqlite3_errmsg($0)) } ?? "out of memory"
            sqlite_nio_sqlite3_close(opened)
            throw SQLiteFailure(code: status, message: "cannot open \(path): \(message)")
        }
        connection = opened
        sqlite_nio_sqlite3_extended_result_codes(opened, 1)
    }

    deinit { close() }

    /// Finalizes every cached statement and closes the connection.
    func close() {
        fullTextTokenizer = nil
        for statement in statements.values { sqlite_nio_sqlite3_finalize(statement) }
        statements.removeAll()
        columnNames.removeAll()
        sqlite_nio_sqlite3_close_v2(connection)
        connection = nil
    }

    /// Rows the last finished `INSERT`, `UPDATE` or `DELETE` on this connection changed (0 when it changed none).
    var changes: Int { Int(sqlite_nio_sqlite3_changes64(connection)) }

    /// Whether the connection is outside any transaction (SQLite's autocommit mode).
    var isAutocommit: Bool { sqlite_nio_sqlite3_get_autocommit(connection) != 0 }

    /// Runs one statement with `binds` as its parameters and returns every row it yields.
    @discardableResult
    func query(_ sql: String, _ binds: [SQLValue] = []) throws -> [SQLRow] {
        var rows: [SQLRow] = []
        try forEachRow(sql, binds) { rows.append($0) }
        return rows
    }

    /// Runs one statement with `binds` as its parameters and hands each row to `body` as it is read, so that a large
    /// result is never held whole.
    func forEachRow(_ sql: String, _ binds: [SQLValue] = [], _ body: (SQLRow) throws -> Void) throws {
        let statement = try prepared(sql)
        defer {
            sqlite_nio_sqlite3_reset(statement)
            sqlite_nio_sqlite3_clear_bindings(statement)
        }
        try bind(binds, to: statement)
        var columns: SQLColumns?
        while true {
            let status = sqlite_nio_sqlite3_step(statement)
            if status == SQLITE_DONE { return }
            guard status == SQLITE_ROW else { throw failure(status) }
            let names = columns ?? self.columns(of: statement)
            columns = names
            let count = Int32(names.names.count)
            var values: [SQLValue] = []
            values.reserveCapacity(Int(count))
            for position in 0..<count { values.append(Self.value(of: statement, at: position)) }
            try body(SQLRow(columns: names, values: values))
        }
    }

    /// Runs `body` inside a savepoint, so that all its reads see one snapshot, and releases it after: the connection is
    /// left as it was found, outside any transaction the savepoint began, even when `body` or the release fails.
    func withSnapshot<T>(_ body: () throws -> T) throws -> T {
        let wasAutocommit = isAutocommit
        try execute("SAVEPOINT snapshot")
        defer {
            if (try? execute("RELEASE snapshot")) == nil || (wasAutocommit && !isAutocommit) {
                _ = try? execute(wasAutocommit ? "ROLLBACK" : "ROLLBACK TO snapshot; RELEASE snapshot")
            }
        }
        return try body()
    }

    /// Runs `sql`, which may hold several statements and no parameters (schema changes, pragmas).
    func execute(_ sql: String) throws {
        let status = sqlite_nio_sqlite3_exec(connection, sql, nil, nil, nil)
        guard status == SQLITE_OK else { throw failure(status) }
    }

    private func prepared(_ sql: String) throws -> OpaquePointer {
        if let statement = statements[sql] { return statement }
        if statements.count >= Self.statementCacheLimit {
            for statement in statements.values { sqlite_nio_sqlite3_finalize(statement) }
            statements.removeAll()
            columnNames.removeAll()
        }
        var statement: OpaquePointer?
        let status = sqlite_nio_sqlite3_prepare_v3(
            connection, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil)
        guard status == SQLITE_OK, let statement else { throw failure(status) }
        statements[sql] = statement
        return statement
    }

    private func bind(_ binds: [SQLValue], to statement: OpaquePointer) throws {
        for (offset, value) in binds.enumerated() {
            let position = Int32(offset + 1)
            let status: Int32
            switch value {
            case .integer(let integer):
                status = sqlite_nio_sqlite3_bind_int64(statement, position, Int64(integer))
            case .float(let double):
                status = sqlite_nio_sqlite3_bind_double(statement, position, double)
            case .text(let text):
                var text = NULCharacter.replaced(in: text)  // stored as PostgreSQL stores it
                status = text.withUTF8 { bytes in
                    bytes.withMemoryRebound(to: CChar.self) { chars in
                        guard let start = chars.baseAddress else {
                            return sqlite_nio_sqlite3_bind_text64(
                                statement, position, "", 0, Self.transient, UInt8(SQLITE_UTF8))
                        }
                        return sqlite_nio_sqlite3_bind_text64(
                            statement, position, start, UInt64(chars.count), Self.transient, UInt8(SQLITE_UTF8))
                    }
                }
            case .blob(let bytes) where bytes.isEmpty:
                // An empty array has no base address, and a blob bound from a null pointer is NULL, not empty.
                status = sqlite_nio_sqlite3_bind_zeroblob64(statement, position, 0)
            case .blob(let bytes):
                status = bytes.withUnsafeBytes { raw in
                    sqlite_nio_sqlite3_bind_blob64(
                        statement, position, raw.baseAddress, UInt64(raw.count), Self.transient)
                }
            case .null:
                status = sqlite_nio_sqlite3_bind_null(statement, position)
            }
            guard status == SQLITE_OK else { throw failure(status) }
        }
    }

    /// The result columns of a cached statement, named once per preparation rather than once per query.
    ///
    /// SQLite prepares a statement again when the schema changes (a `SELECT *` may gain a column); its count of
    /// re-preparations keys the entry.
    private func columns(of statement: OpaquePointer) -> SQLColumns {
        let preparations = sqlite_nio_sqlite3_stmt_status(statement, SQLITE_STMTSTATUS_REPREPARE, 0)
        if let cached = columnNames[statement], cached.preparations == preparations { return cached.columns }
        let count = sqlite_nio_sqlite3_column_count(statement)
        let columns = SQLColumns(
            names: (0..<count).map { position in
                sqlite_nio_sqlite3_column_name(statement, position).map { String(cString: $0) } ?? ""
            })
        columnNames[statement] = (preparations, columns)
        return columns
    }

    private static func value(of statement: OpaquePointer, at position: Int32) -> SQLValue {
        switch sqlite_nio_sqlite3_column_type(statement, position) {
        case SQLITE_INTEGER:
            return .integer(Int(sqlite_nio_sqlite3_column_int64(statement, position)))
        case SQLITE_FLOAT:
            return .float(sqlite_nio_sqlite3_column_double(statement, position))
        case SQLITE_TEXT:
            let count = Int(sqlite_nio_sqlite3_column_bytes(statement, position))
            guard let text = sqlite_nio_sqlite3_column_text(statement, position) else { return .text("") }
            return .text(String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self))
        case SQLITE_BLOB:
            let count = Int(sqlite_nio_sqlite3_column_bytes(statement, position))
            guard let blob = sqlite_nio_sqlite3_column_blob(statement, position) else { return .blob([]) }
            return .blob(Array(UnsafeRawBufferPointer(start: blob, count: count)))
        default:
            return .null
        }
    }

    private func failure(_ status: Int32) -> SQLiteFailure {
        let message = connection.flatMap { sqlite_nio_sqlite3_errmsg($0) }.map { String(cString: $0) } ?? "unknown"
        let code = connection.map { sqlite_nio_sqlite3_extended_errcode($0) } ?? status
        return SQLiteFailure(code: code, message: message)
    }

    /// SQLite copies a parameter bound with this destructor (`SQLITE_TRANSIENT`, a macro Swift does not import).
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
}
