import Foundation
import Logging
import Testing

@testable import ParleyStore

/// Which database errors are conflicts with a concurrent write (answered 409) and which are not.
@Suite("Store conflicts")
struct StoreConflictTests {
    /// The error `sql` raises, or nil.
    static func sqliteError(_ setup: String, _ sql: String) throws -> (any Error)? {
        let handle = try SQLiteHandle(path: ":memory:", readOnly: false)
        defer { handle.close() }
        try handle.execute(setup)
        do {
            try handle.execute(sql)
            return nil
        } catch {
            return error
        }
    }

    @Test("SQLite: a taken key and a missing parent row are conflicts; a NOT NULL or a syntax error is not")
    func sqlite() throws {
        let schema = """
            PRAGMA foreign_keys = ON;
            CREATE TABLE parent (id INTEGER PRIMARY KEY, name TEXT UNIQUE NOT NULL);
            CREATE TABLE child (parent_id INTEGER NOT NULL REFERENCES parent (id));
            INSERT INTO parent VALUES (1, 'a');
            """
        let unique = try #require(try Self.sqliteError(schema, "INSERT INTO parent VALUES (2, 'a')"))
        let primaryKey = try #require(try Self.sqliteError(schema, "INSERT INTO parent VALUES (1, 'b')"))
        let foreignKey = try #require(try Self.sqliteError(schema, "INSERT INTO child VALUES (9)"))
        let notNull = try #require(try Self.sqliteError(schema, "INSERT INTO parent VALUES (3, NULL)"))
        let syntax = try #require(try Self.sqliteError(schema, "INSERT INTO nowhere VALUES (1)"))
        #expect(StoreError.isConflict(unique) && StoreError.isConflict(primaryKey) && StoreError.isConflict(foreignKey))
        #expect(!StoreError.isConflict(notNull) && !StoreError.isConflict(syntax))
        #expect(StoreError.isConflict(StoreError.conflict("taken")))
        #expect(!StoreError.isConflict(StoreError.unavailable("down")))
    }

    @Test(
        "PostgreSQL: a taken key and a missing parent row are conflicts; a NOT NULL violation is not",
        .enabled(if: StoreFactory.postgresURL != nil))
    func postgres() async throws {
        let store = try #require(try await StoreFactory.postgres.make() as? PostgresStore)
        func error(_ sql: String) async -> (any Error)? {
            do {
                _ = try await store.database.query(sql, scope: .unscoped)
                return nil
            } catch {
                return error
            }
        }
        _ = try await store.database.query(
            "CREATE TABLE IF NOT EXISTS conflict_parent (id INT PRIMARY KEY, name TEXT NOT NULL)", scope: .unscoped)
        _ = try await store.database.query(
            "CREATE TABLE IF NOT EXISTS conflict_child (parent_id INT REFERENCES conflict_parent (id))",
            scope: .unscoped)
        _ = try await store.database.query("INSERT INTO conflict_parent VALUES (1, 'a')", scope: .unscoped)
        let unique = try #require(await error("INSERT INTO conflict_parent VALUES (1, 'b')"))
        let foreignKey = try #require(await error("INSERT INTO conflict_child VALUES (9)"))
        let notNull = try #require(await error("INSERT INTO conflict_parent VALUES (2, NULL)"))
        #expect(StoreError.isConflict(unique) && StoreError.isConflict(foreignKey))
        #expect(!StoreError.isConflict(notNull))
        try await store.close()
    }
}
