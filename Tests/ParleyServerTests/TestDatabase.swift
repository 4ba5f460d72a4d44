import Foundation

/// The database server tests run on: SQLite by default, PostgreSQL when `PARLEY_TEST_DATABASE_URL` is set.
///
/// On PostgreSQL each test gets a schema of its own in the one test database, so tests run in parallel and none sees
/// another's rows; `scripts/test.sh` runs the whole suite once more this way against each PostgreSQL server it starts.
enum TestDatabase {
    /// A `DATABASE_URL` for one test: empty (SQLite in the test's data directory) or a fresh PostgreSQL schema.
    static func url() -> String {
        guard let base = ProcessInfo.processInfo.environment["PARLEY_TEST_DATABASE_URL"], !base.isEmpty else {
            return ""
        }
        let schema = "t_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        // Hundreds of tests run at once, each with its own server: small pools keep PostgreSQL's connections enough,
        // and a minute's wait for one is an arrival on a busy host, not a speed.
        return base + (base.contains("?") ? "&" : "?") + "schema=\(schema)&pool_size=4&pool_timeout=60"
    }
}
