import PostgresNIO

/// Translates PostgreSQL failures into the store's errors: a unique violation is a conflict, a lost or refused
/// connection means the database is unavailable; anything else passes through.
enum PostgresFailure {
    /// Runs `body`, translating its failures.
    static func mapping<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as PSQLError {
            throw translate(error)
        } catch let error as PostgresTransactionError {
            let cause = cause(of: error)
            if let failure = cause as? PSQLError { throw translate(failure) }
            throw cause ?? error
        }
    }

    /// The store error for a PostgresNIO error, or the error itself.
    static func translate(_ error: PSQLError) -> any Error {
        switch error.code {
        case .server:
            let state = error.serverInfo?[.sqlState] ?? ""
            if state == "23505" {
                return StoreError.conflict(error.serverInfo?[.detail] ?? "a unique value is already taken")
            }
            // Class 08 is a connection exception, 57P01–57P03 an administrator shutdown, a crash shutdown, or a
            // server that cannot connect now (starting up or in recovery).
            if state.hasPrefix("08") || ["57P01", "57P02", "57P03"].contains(state) {
                return StoreError.unavailable("PostgreSQL \(state)")
            }
            return error
        case .connectionError, .serverClosedConnection, .uncleanShutdown, .clientClosedConnection, .poolClosed:
            return StoreError.unavailable("PostgreSQL connection: \(error.code)")
        default:
            return error
        }
    }

    /// The error that failed a transaction: the body's own is the one that matters; a failed BEGIN or COMMIT is the
    /// database's.
    private static func cause(of error: PostgresTransactionError) -> (any Error)? {
        error.closureError ?? error.beginError ?? error.commitError ?? error.rollbackError
    }

    /// The PostgreSQL error inside `error`, when it is one (a failed transaction wraps it).
    static func serverError(in error: any Error) -> PSQLError? {
        if let error = error as? PostgresTransactionError { return cause(of: error) as? PSQLError }
        return error as? PSQLError
    }

    /// PostgreSQL's own account of `error`: its SQLSTATE, message, detail and hint.
    ///
    /// PostgresNIO's description hides them all, lest they carry a query's values: this is for errors that are the
    /// operator's to mend (a migration), never for a request's.
    static func explain(_ error: PSQLError) -> String {
        guard error.code == .server, let info = error.serverInfo else { return "PostgreSQL: \(error.code)" }
        var parts = ["PostgreSQL \(info[.sqlState] ?? "error"): \(info[.message] ?? "no message")"]
        if let detail = info[.detail] { parts.append(detail) }
        if let hint = info[.hint] { parts.append("hint: \(hint)") }
        return parts.joined(separator: "; ")
    }
}
