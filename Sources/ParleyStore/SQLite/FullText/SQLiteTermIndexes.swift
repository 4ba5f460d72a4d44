import ParleyCore
import Synchronization

/// Each tenant's ``TermIndex``, built from its stored chunks and built again when its knowledge version moves.
///
/// Tenants never share an index. A tenant of up to `waitingSize` chunks (a build of a fraction of a second) waits
/// for its index to match its current version, so a search always sees what was just stored. A larger tenant is not
/// kept waiting by a build of several seconds: until the new index is ready it is searched with the previous one
/// (chunks deleted since are dropped when the hits are read), or, before its first index, with FTS5 directly.
final class SQLiteTermIndexes: Sendable {
    private struct Entry {
        var index: TermIndex?
        /// The build under way: the version it was started for, a token that names it, and its task.
        var building: (version: Int, token: UInt64, task: Task<TermIndex, any Error>)?
        var builds: UInt64 = 0
    }

    private let database: SQLiteDatabase
    private let entries = Mutex<[TenantID: Entry]>([:])

    /// Tenants with up to this many chunks wait for their index to be current.
    let waitingSize: Int

    /// The column weights of the ranking (title, text), as in `bm25(knowledge_fts, 0.5, 1.0)`.
    static let titleWeight: Float = 0.5
    static let textWeight: Float = 1

    /// Indexes over `database`; tenants of up to `waitingSize` chunks wait for their builds.
    init(database: SQLiteDatabase, waitingSize: Int = 5_000) {
        self.database = database
        self.waitingSize = waitingSize
    }

    /// The index to search `tenant`'s knowledge at `version` with, or nil to search with FTS5 meanwhile; `waiting`
    /// waits for a current index whatever the tenant's size.
    func index(tenant: TenantID, version: Int, waiting: Bool = false) async throws -> TermIndex? {
        enum Plan {
            case ready(TermIndex)
            case wait(Task<TermIndex, any Error>, previous: TermIndex?)
        }
        let plan = entries.withLock { entries -> Plan in
            var entry = entries[tenant] ?? Entry()
            if let index = entry.index, index.version >= version { return .ready(index) }
            if let building = entry.building, building.version >= version {
                return .wait(building.task, previous: entry.index)
            }
            entry.builds += 1
            let token = entry.builds
            let task = Task {
                do {
                    let built = try await Self.build(tenant: tenant, database: database)
                    keep(built, tenant: tenant, token: token)
                    return built
                } catch {
                    abandon(tenant: tenant, token: token)
                    throw error
                }
            }
            entry.building = (version, token, task)
            entries[tenant] = entry
            return .wait(task, previous: entry.index)
        }
        switch plan {
        case .ready(let index):
            return index
        case .wait(let build, let previous):
            if waiting {
                return try await build.value
            } else if let previous {
                if previous.count > waitingSize { return previous }
            } else if try await chunkCount(tenant: tenant) > waitingSize {
                return nil
            }
            return try await build.value
        }
    }

    /// Keeps `built` as the tenant's index unless a newer one is kept already, and ends the build it came from.
    private func keep(_ built: TermIndex, tenant: TenantID, token: UInt64) {
        entries.withLock { entries in
            var entry = entries[tenant] ?? Entry()
            if entry.index.map({ $0.version <= built.version }) ?? true { entry.index = built }
            if entry.building?.token == token { entry.building = nil }
            entries[tenant] = entry
        }
    }

    /// Forgets a failed build, so the next search tries again.
    private func abandon(tenant: TenantID, token: UInt64) {
        entries.withLock { entries in
            if entries[tenant]?.building?.token == token { entries[tenant]?.building = nil }
        }
    }

    private func chunkCount(tenant: TenantID) async throws -> Int {
        try await database.query(
            "SELECT count(*) AS chunks FROM knowledge_chunks WHERE tenant_id = ?", [.text(tenant.rawValue)]
        ).first?.int("chunks") ?? 0
    }

    /// Reads the tenant's chunks and their version from one snapshot, and indexes them.
    private static func build(tenant: TenantID, database: SQLiteDatabase) async throws -> TermIndex {
        try await database.read { handle in
            try handle.withSnapshot { try build(tenant: tenant, on: handle) }
        }
    }

    /// Indexes the tenant's chunks as the connection's current snapshot holds them.
    private static func build(tenant: TenantID, on handle: SQLiteHandle) throws -> TermIndex {
        let version =
            try handle.query(
                "SELECT version FROM knowledge_versions WHERE tenant_id = ?", [.text(tenant.rawValue)]
            ).first?.int("version") ?? 0
        let tokenizer = try handle.knowledgeTokenizer()
        var builder = TermIndex.Builder()
        try handle.forEachRow(
            "SELECT seq, title, text FROM knowledge_chunks WHERE tenant_id = ? ORDER BY seq",
            [.text(tenant.rawValue)]
        ) { row in
            builder.add(
                seq: try row.int("seq"),
                fields: [(try row.string("title"), titleWeight), (try row.string("text"), textWeight)],
                tokenizer: tokenizer)
        }
        return builder.build(version: version)
    }
}
