import PostgresNIO

/// What may be logged of a database error: the codes and names that locate it, never its message.
///
/// PostgreSQL's messages and details can quote a request's values (`invalid input syntax for type uuid: "…"`,
/// `Key (email)=(…) already exists`), so only its SQLSTATE and the schema object it names are given; SQLite's
/// result code and message name columns and never bound values.
public enum StoreErrorDetails {
    /// The loggable details of `error` when a database raised it; empty otherwise.
    public static func of(_ error: any Error) -> [String: String] {
        if let failure = error as? SQLiteFailure {
            return ["sqlite_code": "\(failure.code)", "sqlite_message": failure.message]
        }
        guard let failure = PostgresFailure.serverError(in: error) else { return [:] }
        guard failure.code == .server, let info = failure.serverInfo else {
            return ["postgres": "\(failure.code)"]
        }
        var details: [String: String] = [:]
        let fields: [(String, PSQLError.ServerInfo.Field)] = [
            ("sqlstate", .sqlState), ("table", .tableName), ("column", .columnName), ("constraint", .constraintName),
        ]
        for (name, field) in fields { details[name] = info[field] }
        return details
    }
}
