import VaporCSQLite

/// An error SQLite reported: its extended result code and message.
struct SQLiteFailure: Error, CustomStringConvertible {
    /// The extended result code (`sqlite3_extended_errcode`).
    var code: Int32
    var message: String

    /// The primary result code, the low byte of the extended one.
    var primaryCode: Int32 { code & 0xFF }

    var description: String { "SQLite error \(code): \(message)" }

    /// Whether the statement broke a UNIQUE or PRIMARY KEY constraint.
    var isUniqueViolation: Bool {
        code == constraintUniqueCode || code == constraintPrimaryKeyCode
    }

    /// Whether the statement named a row that is not there (a FOREIGN KEY constraint).
    var isForeignKeyViolation: Bool { code == constraintForeignKeyCode }

    /// Whether the statement broke any constraint (SQLite then undoes only that statement).
    var isConstraintViolation: Bool { primaryCode == SQLITE_CONSTRAINT }
}

// The extended codes are function-like macros in sqlite3.h, which Swift does not import.
private let constraintUniqueCode = SQLITE_CONSTRAINT | (8 << 8)
private let constraintPrimaryKeyCode = SQLITE_CONSTRAINT | (6 << 8)
private let constraintForeignKeyCode = SQLITE_CONSTRAINT | (3 << 8)
