import Foundation
import Synchronization

/// pgvector support: whether the extension is there, the `vector` form of embeddings, and one HNSW index per
/// embedding model.
///
/// Models differ in dimensions and an HNSW index needs one, so chunks keep a dimensionless `embedding_vector`
/// column and each model gets a partial expression index, `(embedding_vector::vector(D)) vector_cosine_ops WHERE
/// embedding_model = 'model'`, created the first time the model is used. Queries repeat the same expression and
/// predicate so the planner can use it.
final class PostgresVectors: Sendable {
    /// Whether the database has pgvector.
    let enabled: Bool
    /// The candidate list size of HNSW searches, pgvector's `hnsw.ef_search` (its default is 40).
    ///
    /// Tenants share an index and the tenant filter applies after the index scan, so a larger list keeps small
    /// tenants' results full.
    let efSearch = 100
    private let indexed = Mutex<Set<String>>([])

    init(enabled: Bool) {
        self.enabled = enabled
    }

    /// Makes pgvector available if the role may (a superuser must otherwise run `CREATE EXTENSION vector` once), and
    /// says whether it is.
    static func detect(_ database: PostgresDatabase) async -> PostgresVectors {
        let installed: () async -> Bool = {
            let rows = try? await database.query(
                "SELECT 1 FROM pg_extension WHERE extname = 'vector'", scope: .unscoped)
            return rows?.isEmpty == false
        }
        if await installed() { return PostgresVectors(enabled: true) }
        _ = try? await database.query("CREATE EXTENSION IF NOT EXISTS vector", scope: .unscoped)
        let now = await installed()
        if !now {
            database.logger.notice(
                "pgvector is not installed: semantic search runs in process (a superuser can run CREATE EXTENSION vector)"
            )
        }
        return PostgresVectors(enabled: now)
    }

    /// Adds the vector column and fills it for chunks stored before pgvector was there.
    func prepare(_ database: PostgresDatabase) async throws {
        guard enabled else { return }
        try await database.query(
            "ALTER TABLE knowledge_chunks ADD COLUMN IF NOT EXISTS embedding_vector vector", scope: .unscoped)
        for tenant in try await database.query("SELECT id FROM tenants", scope: .unscoped) {
            let id = try tenant.string("id")
            while true {
                let filled = try await database.transaction(scope: .tenant(.init(id))) { transaction in
                    let rows = try await transaction.query(
                        """
                        SELECT id, embedding FROM knowledge_chunks
                        WHERE embedding IS NOT NULL AND embedding_vector IS NULL LIMIT 500
                        """)
                    for row in rows {
                        guard case .blob(let bytes) = row.column("embedding") else { continue }
                        try await transaction.query(
                            "UPDATE knowledge_chunks SET embedding_vector = ?::vector WHERE id = ?",
                            [.text(Self.literal(SQLValues.floats(bytes))), row.column("id") ?? .null])
                    }
                    return rows.count
                }
                if filled < 500 { break }
            }
        }
    }

    /// Creates the model's HNSW index if this process has not seen it yet.
    func ensureIndex(model: String, dimensions: Int, _ database: PostgresDatabase) async throws {
        let key = "\(model)/\(dimensions)"
        guard enabled, !indexed.withLock({ $0.contains(key) }) else { return }
        do {
            try await database.query(
                """
                CREATE INDEX IF NOT EXISTS \(Self.indexName(key)) ON knowledge_chunks
                USING hnsw ((embedding_vector::vector(\(dimensions))) vector_cosine_ops)
                WHERE embedding_model = \(Self.quoted(model))
                """, scope: .unscoped)
        } catch StoreError.conflict {
            // Another replica created the same index at the same moment.
        }
        indexed.withLock { _ = $0.insert(key) }
    }

    /// pgvector's text form of a vector: `[0.1,0.2,...]`.
    static func literal(_ vector: [Float]) -> String {
        "[" + vector.map { $0.isFinite ? "\($0)" : "0" }.joined(separator: ",") + "]"
    }

    /// A SQL string literal.
    static func quoted(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "''") + "'"
    }

    /// A stable index name for a model and dimension count (FNV-1a; Swift's own hash differs between processes).
    static func indexName(_ key: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in key.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return "knowledge_chunks_hnsw_" + String(hash, radix: 16)
    }
}
