import PostgresNIO

extension StoreError {
    /// Whether `error` says the write lost to another one made at the same time, so that the client may retry or
    /// read again: a unique or foreign-key constraint either database raised (a key taken, a row deleted meanwhile),
    /// PostgreSQL's serialization failure or deadlock, or ``StoreError/conflict(_:)`` itself.
    public static func isConflict(_ error: any Error) -> Bool {
        if case .conflict = error as? StoreError { return true }
        if let failure = error as? SQLiteFailure { return failure.isUniqueViolation || failure.isForeignKeyViolation }
        guard let failure = PostgresFailure.serverError(in: error), failure.code == .server,
            let state = failure.serverInfo?[.sqlState]
        else { return false }
        return ["23505", "23503", "40001", "40P01"].contains(state)
    }
}
