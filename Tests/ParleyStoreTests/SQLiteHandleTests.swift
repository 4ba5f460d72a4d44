import Testing

@testable import ParleyStore

@Suite("SQLite connection: cached statements")
struct SQLiteHandleTests {
    @Test("a cached SELECT * names the columns a schema change added or renamed since it was first run")
    func columnsFollowTheSchema() throws {
        let handle = try SQLiteHandle(path: ":memory:", readOnly: false)
        defer { handle.close() }
        try handle.execute("CREATE TABLE t (a INTEGER, b TEXT); INSERT INTO t VALUES (1, 'x')")
        var row = try #require(try handle.query("SELECT * FROM t").first)
        #expect(row.columns.names == ["a", "b"])
        #expect(try handle.query("SELECT * FROM t").first?.columns === row.columns, "named once while unchanged")

        try handle.execute("ALTER TABLE t ADD COLUMN c REAL DEFAULT 2.5")
        row = try #require(try handle.query("SELECT * FROM t").first)
        #expect(row.columns.names == ["a", "b", "c"])
        #expect(row.column("c")?.double == 2.5)

        try handle.execute("ALTER TABLE t RENAME COLUMN b TO label")
        row = try #require(try handle.query("SELECT * FROM t").first)
        #expect(row.columns.names == ["a", "label", "c"])
        #expect(row.column("label")?.string == "x")
        #expect(row.column("b") == nil)
    }

    @Test("a failed statement's loggable details give SQLite's code and message, which name no bound value")
    func errorDetails() throws {
        let handle = try SQLiteHandle(path: ":memory:", readOnly: false)
        defer { handle.close() }
        try handle.execute("CREATE TABLE t (email TEXT UNIQUE)")
        try handle.query("INSERT INTO t VALUES (?)", [.text("someone@secret.test")])
        do {
            try handle.query("INSERT INTO t VALUES (?)", [.text("someone@secret.test")])
            Issue.record("the duplicate was accepted")
        } catch {
            let details = StoreErrorDetails.of(error)
            #expect(details["sqlite_code"] == "2067", "\(details)")  // SQLITE_CONSTRAINT_UNIQUE
            #expect(details["sqlite_message"] == "UNIQUE constraint failed: t.email")
        }
        #expect(StoreErrorDetails.of(CancellationError()).isEmpty)
    }
}
