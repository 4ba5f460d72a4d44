import Foundation
import Logging
import ParleyStore
import Testing

/// The store implementations the contract suite runs against: SQLite always, PostgreSQL when
/// `PARLEY_TEST_DATABASE_URL` names a server (`scripts/test.sh` starts PostgreSQL 15 and 16 and runs the suite on
/// each).
enum StoreFactory: String, CaseIterable, CustomTestStringConvertible {
    case sqliteFile
    case postgres

    static var allCases: [StoreFactory] {
        postgresURL == nil ? [.sqliteFile] : [.sqliteFile, .postgres]
    }

    static var postgresURL: String? {
        ProcessInfo.processInfo.environment["PARLEY_TEST_DATABASE_URL"].flatMap { $0.isEmpty ? nil : $0 }
    }

    var testDescription: String { rawValue }

    /// A fresh, migrated store with nothing in it: a new file, or a new schema of the PostgreSQL test database.
    func make() async throws -> any ParleyStore {
        try await make(sharing: nil)
    }

    /// Another replica's store on the database of `store`, which `make()` made; nil for SQLite.
    ///
    /// One process serves a SQLite file, so it has no second replica.
    ///
    /// `named` is the replica's name on the turns it leases; two stores of one name are one replica, restarted.
    func replica(of store: any ParleyStore, named name: String? = nil) async throws -> (any ParleyStore)? {
        guard self == .postgres, let schema = (store as? PostgresStore)?.schema else { return nil }
        return try await make(sharing: schema, replicaName: name)
    }

    private func make(sharing schema: String?, replicaName: String? = nil) async throws -> any ParleyStore {
        let store: any ParleyStore
        switch self {
        case .sqliteFile:
            let path = FileManager.default.temporaryDirectory
                .appendingPathComponent("parley-contract-\(UUID().uuidString).sqlite").path
            store = try await SQLiteStore.open(path: path, logger: Logger(label: "contract"))
        case .postgres:
            guard let base = Self.postgresURL else { throw PostgresNotConfigured() }
            let schema = schema ?? "c_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
            // A minute's wait for a connection: with every suite running at once on a busy two-core host, fifty
            // writers sharing eight connections have waited over ten seconds (the default) for one.
            let url = base + (base.contains("?") ? "&" : "?") + "schema=\(schema)&pool_size=8&pool_timeout=60"
            var configuration = try PostgresConfiguration(url: url)
            configuration.replicaName = replicaName
            store = try await PostgresStore.open(configuration, logger: Logger(label: "contract"))
        }
        try await store.migrate()
        return store
    }
}

/// The PostgreSQL case was asked for without a server to run it on.
struct PostgresNotConfigured: Error {}
