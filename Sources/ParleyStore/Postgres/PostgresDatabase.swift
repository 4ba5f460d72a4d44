import Logging
import PostgresNIO
import Synchronization

/// The PostgreSQL database every repository shares: a pooled `PostgresClient`, and transactions opened in a scope
/// that row-level security enforces.
///
/// Statements are written with `?` placeholders, as in the SQLite store, and numbered here. Every statement that
/// touches tenant rows runs in a transaction whose first statement sets the scope (`set_config(..., true)` is `SET
/// LOCAL`), so the setting ends with the transaction and never leaks to the next user of the pooled connection.
///
/// Round trips are what a statement costs here, so a transaction's opening statements are pipelined: `BEGIN` and the
/// scope's `set_config` go out together (and, for a single scoped statement, the statement and `COMMIT` with them),
/// written in order on the one connection and answered in order, so a scoped read is one round trip, not four.
///
/// Waiting for a connection has a deadline: while the database is down, the pool cannot open one and would keep
/// callers waiting until its own circuit breaker trips (about a minute); instead they get `StoreError.unavailable`
/// after `acquireTimeout`, which the API answers with 503 and `Retry-After`.
final class PostgresDatabase: Sendable {
    let client: PostgresClient
    let logger: Logger
    private let runner: Task<Void, Never>
    /// How long a caller waits for a pooled connection before the database counts as unavailable.
    let acquireTimeout: Duration

    private init(client: PostgresClient, acquireTimeout: Duration, logger: Logger) {
        self.client = client
        self.acquireTimeout = acquireTimeout
        self.logger = logger
        runner = Task { await client.run() }
    }

    /// Starts the connection pool for `configuration`; connections open on first use.
    static func open(_ configuration: PostgresConfiguration, logger: Logger) -> PostgresDatabase {
        PostgresDatabase(
            client: PostgresClient(configuration: configuration.client), acquireTimeout: configuration.poolTimeout,
            logger: logger)
    }

    /// Runs one statement in `scope`.
    @discardableResult
    func query(_ sql: String, _ binds: [SQLValue] = [], scope: PostgresScope) async throws -> [SQLRow] {
        if scope.settings.isEmpty {
            let logger = logger
            return try await withConnection { connection in
                try await PostgresRows.collect(connection.query(Self.statement(sql, binds), logger: logger))
            }
        }
        let logger = logger
        let statements = [
            PostgresQuery(unsafeSQL: "BEGIN"), PostgresTransaction.scopeStatement(scope), Self.statement(sql, binds),
            PostgresQuery(unsafeSQL: "COMMIT"),
        ]
        return try await withConnection { connection in
            let results = try await Self.pipelined(statements, on: connection, logger: logger)
            return try PostgresRows.collect(results[2].rows)
        }
    }

    /// Sends `statements` on `connection` without waiting between them, then waits for every answer.
    ///
    /// Throws the first failure. A failed statement inside a pipelined transaction makes its `COMMIT` a rollback.
    static func pipelined(_ statements: [PostgresQuery], on connection: PostgresConnection, logger: Logger)
        async throws -> [PostgresQueryResult]
    {
        let futures = statements.map { connection.query($0, logger: logger) }
        var results: [PostgresQueryResult] = []
        var failure: (any Error)?
        // Every answer is awaited, failed or not, so the connection goes back to the pool with nothing in flight.
        for future in futures {
            do {
                results.append(try await future.get())
            } catch {
                failure = failure ?? error
            }
        }
        if let failure { throw failure }
        return results
    }

    /// Runs `body` in one transaction opened in `scope`: its statements all commit or none do.
    func transaction<T: Sendable>(
        scope: PostgresScope, _ body: @escaping @Sendable (PostgresTransaction) async throws -> T
    ) async throws -> T {
        let logger = logger
        return try await withConnection { connection in
            let opening = [PostgresQuery(unsafeSQL: "BEGIN"), PostgresTransaction.scopeStatement(scope)]
            do {
                _ = try await Self.pipelined(opening, on: connection, logger: logger)
                let value = try await body(PostgresTransaction(connection: connection, logger: logger))
                try await connection.query(PostgresQuery(unsafeSQL: "COMMIT"), logger: logger).get()
                return value
            } catch {
                _ = try? await connection.query(PostgresQuery(unsafeSQL: "ROLLBACK"), logger: logger).get()
                throw error
            }
        }
    }

    /// Runs `body` on one leased connection, outside any transaction (migrations, advisory locks), once a connection
    /// is free; throws `StoreError.unavailable` when none is to be had within `acquireTimeout`.
    func withConnection<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection) async throws -> T) async throws
        -> T
    {
        let acquired = AcquiredFlag()
        let client = client
        let timeout = acquireTimeout
        return try await PostgresFailure.mapping {
            try await withThrowingTaskGroup(of: T?.self) { group in
                group.addTask {
                    try await client.withConnection { connection in
                        acquired.set()
                        return try await body(connection)
                    }
                }
                group.addTask {
                    try await Task.sleep(for: timeout)
                    if acquired.isSet { return nil }
                    throw StoreError.unavailable("no database connection within \(timeout)")
                }
                while let result = try await group.next() {
                    if let value = result {
                        group.cancelAll()
                        return value
                    }
                }
                throw StoreError.unavailable("the database connection ended")
            }
        }
    }

    /// Opens and closes one connection; `StoreError.unavailable` saying why when it cannot be made.
    static func checkConnection(_ configuration: PostgresConfiguration, logger: Logger) async throws {
        do {
            let connection = try await PostgresConnection.connect(
                configuration: try configuration.connection(), id: 0, logger: logger)
            try await connection.close()
        } catch {
            // PostgresNIO keeps details out of its errors' descriptions; its reflection has the cause (the TLS
            // handshake's, the server's message). Never the password, which is scrubbed all the same.
            var reason = String(reflecting: error)
            if let password = configuration.client.password, !password.isEmpty {
                reason = reason.replacingOccurrences(of: password, with: "***")
            }
            throw StoreError.unavailable("cannot connect to \(configuration.redacted): \(reason)")
        }
    }

    /// Closes the pool.
    func close() async {
        runner.cancel()
        _ = await runner.value
    }

    /// A PostgresNIO query from a `?`-placeholder statement and its values.
    static func statement(_ sql: String, _ binds: [SQLValue]) -> PostgresQuery {
        PostgresQuery(unsafeSQL: PostgresStatement.numbered(sql).sql, binds: PostgresRows.bindings(binds))
    }
}

/// Statements run inside an open transaction on one connection.
struct PostgresTransaction: Sendable {
    let connection: PostgresConnection
    let logger: Logger

    /// Runs one statement inside the transaction.
    @discardableResult
    func query(_ sql: String, _ binds: [SQLValue] = []) async throws -> [SQLRow] {
        try await PostgresRows.collect(
            connection.query(PostgresDatabase.statement(sql, binds), logger: logger))
    }

    /// Switches the transaction to `scope`: the settings of the scope before it no longer apply.
    func enter(_ scope: PostgresScope) async throws {
        try await connection.query(Self.scopeStatement(scope), logger: logger).get()
    }

    /// The statement that opens `scope`: every scope setting in one `SELECT`, the ones this scope uses set to its
    /// values and the others to empty, all transaction-local.
    static func scopeStatement(_ scope: PostgresScope) -> PostgresQuery {
        let names = ["app.tenant_id", "app.job_worker"] + PostgresLookup.allCases.map(\.setting)
        var values = Array(repeating: "", count: names.count)
        for (name, value) in scope.settings {
            if let index = names.firstIndex(of: name) { values[index] = value }
        }
        let calls = names.indices.map { _ in "set_config(?, ?, true)" }.joined(separator: ", ")
        var binds: [SQLValue] = []
        for (name, value) in zip(names, values) { binds += [.text(name), .text(value)] }
        return PostgresDatabase.statement("SELECT \(calls)", binds)
    }
}

extension PostgresTransaction {
    /// Holds a transaction-scoped advisory lock on `key` until the transaction ends, serialising the read-then-write
    /// steps (next version numbers, activation stacks) that SQLite's single writer serialises by itself.
    func lock(_ key: String) async throws {
        try await query("SELECT pg_advisory_xact_lock(hashtext(?))", [.text(key)])
    }
}

/// Whether a caller has got its connection, shared by the caller and its deadline.
private final class AcquiredFlag: Sendable {
    private let value = Atomic<Bool>(false)

    func set() { value.store(true, ordering: .releasing) }

    var isSet: Bool { value.load(ordering: .acquiring) }
}
