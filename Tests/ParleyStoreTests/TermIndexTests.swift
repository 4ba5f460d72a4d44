import Foundation
import Logging
import ParleyCore
import ParleyUnderstanding
import Testing

@testable import ParleyStore

/// SQLite's in-memory full-text ranking (`TermIndex`): FTS5's `bm25()` to the bit on one tenant's data, tenants'
/// statistics kept apart, and stored changes seen by the next search.
@Suite("SQLite term index")
struct TermIndexTests {
    /// Where the suite's databases go: one folder, removed when the process ends.
    static let folder: URL = {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("parley-terms-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        atexit { try? FileManager.default.removeItem(at: TermIndexTests.folder) }
        return folder
    }()

    /// A fresh SQLite store with tenants named `names`.
    static func store(_ names: [String]) async throws -> (SQLiteStore, [TenantID]) {
        let path = Self.folder.appendingPathComponent("\(UUID().uuidString).sqlite").path
        let store = try await SQLiteStore.open(path: path, logger: Logger(label: "terms"))
        try await store.migrate()
        var tenants: [TenantID] = []
        for name in names {
            let tenant = StoreContractTests.tenant(name)
            try await store.tenants.create(tenant)
            tenants.append(tenant.id)
        }
        return (store, tenants)
    }

    /// Stores `documents` documents of 40 chunks for `tenant` and returns the chunks' words.
    ///
    /// The words are Zipf-distributed, so a few are in most chunks and most are rare, with a plural and its singular
    /// among them.
    @discardableResult
    static func fill(_ store: SQLiteStore, tenant: TenantID, documents: Int, seed: UInt64) async throws -> [[String]] {
        let vocabulary = (0..<600).map { "w\($0)x" } + ["cards", "card", "refund", "refunding"]
        var total = 0.0
        let cumulative = vocabulary.indices.map { rank in
            total += 1 / Double(rank + 1)
            return total
        }
        var generator = SplitMix64(seed: seed)
        func word() -> String {
            let target = Double.random(in: 0..<total, using: &generator)
            var low = 0
            var high = cumulative.count - 1
            while low < high {
                let middle = (low + high) / 2
                if cumulative[middle] <= target { low = middle + 1 } else { high = middle }
            }
            return vocabulary[low]
        }
        var texts: [[String]] = []
        for document in 0..<documents {
            let chunks = (0..<40).map { _ in (0..<Int.random(in: 3...60, using: &generator)).map { _ in word() } }
            texts += chunks
            let (stored, storedChunks) = KnowledgeContractTests.document(
                tenant, key: "doc-\(seed)-\(document)", hash: "h\(document)",
                chunks: chunks.map { $0.joined(separator: " ") })
            _ = try await store.knowledge.store(stored, chunks: storedChunks)
        }
        return texts
    }

    /// A ranked chunk.
    struct Ranked: Equatable {
        var id: String
        var score: Double
    }

    /// FTS5's own ranking of every match of `words` (each index term once).
    static func fts5Ranking(_ words: [String], tenant: TenantID, limit: Int, store: SQLiteStore) async throws
        -> [Ranked]
    {
        try await store.database.read { handle in
            let tokenizer = try handle.knowledgeTokenizer()
            var seen: Set<String> = []
            let unique = words.filter { seen.insert(tokenizer.terms(of: $0).joined(separator: " ")).inserted }
            return try handle.query(
                """
                SELECT c.id, -bm25(knowledge_fts, 0.5, 1.0) AS relevance
                FROM knowledge_fts JOIN knowledge_chunks c ON c.seq = knowledge_fts.rowid
                WHERE knowledge_fts MATCH ? AND c.tenant_id = ?
                ORDER BY bm25(knowledge_fts, 0.5, 1.0), c.seq LIMIT ?
                """, [.text(SQLiteKnowledgeRepository.anyOf(unique)), .text(tenant.rawValue), .integer(limit)]
            ).map { Ranked(id: try $0.string("id"), score: $0.column("relevance")?.double ?? .nan) }
        }
    }

    /// The repository's ranking of `words`.
    static func ranking(_ words: [String], tenant: TenantID, limit: Int, store: SQLiteStore) async throws -> [Ranked] {
        try await store.knowledge.searchLexical(words.joined(separator: " "), tenant: tenant, limit: limit).map {
            Ranked(id: $0.chunk.id, score: $0.score)
        }
    }

    static func queries(from texts: [[String]], count: Int, seed: UInt64) -> [[String]] {
        var generator = SplitMix64(seed: seed)
        return (0..<count).map { query in
            let source = texts.randomElement(using: &generator)!
            var words = (0..<Int.random(in: 1...5, using: &generator)).map { _ in
                source.randomElement(using: &generator)!
            }
            if query % 10 == 0 { words.append("absentword") }
            if query % 7 == 0 { words += ["cards", "card"] }  // two words, one index term
            return words
        }
    }

    @Test("with one tenant, the ranking and scores are FTS5's bm25() over every match, to the bit")
    func sameAsFTS5() async throws {
        let (store, tenants) = try await Self.store(["Acme"])
        let texts = try await Self.fill(store, tenant: tenants[0], documents: 30, seed: 7)
        for (number, words) in Self.queries(from: texts, count: 150, seed: 11).enumerated() {
            let limit = [1, 5, 20, 100][number % 4]
            let expected = try await Self.fts5Ranking(words, tenant: tenants[0], limit: limit, store: store)
            let found = try await Self.ranking(words, tenant: tenants[0], limit: limit, store: store)
            #expect(found == expected, "query \(words), limit \(limit)")
        }
        try await store.close()
    }

    @Test("another tenant's documents change FTS5's scores of a tenant, never the term index's")
    func tenantsKeepTheirStatistics() async throws {
        let (store, tenants) = try await Self.store(["Acme", "Globex"])
        let texts = try await Self.fill(store, tenant: tenants[0], documents: 10, seed: 3)
        let queries = Self.queries(from: texts, count: 40, seed: 5)
        var before: [[Ranked]] = []
        for words in queries {
            before.append(try await Self.ranking(words, tenant: tenants[0], limit: 10, store: store))
        }
        let fts5Before = try await Self.fts5Ranking(queries[1], tenant: tenants[0], limit: 10, store: store)
        try await Self.fill(store, tenant: tenants[1], documents: 20, seed: 9)
        for (words, earlier) in zip(queries, before) {
            #expect(try await Self.ranking(words, tenant: tenants[0], limit: 10, store: store) == earlier)
        }
        // FTS5's statistics span every tenant's rows: the same query now scores Acme's chunks differently.
        let fts5After = try await Self.fts5Ranking(queries[1], tenant: tenants[0], limit: 10, store: store)
        #expect(fts5After.map(\.score) != fts5Before.map(\.score))
        try await store.close()
    }

    @Test("the next search sees a stored, replaced or deleted document")
    func followsChanges() async throws {
        let (store, tenants) = try await Self.store(["Acme"])
        try await Self.fill(store, tenant: tenants[0], documents: 2, seed: 1)
        let tenant = tenants[0]
        #expect(try await store.knowledge.searchLexical("zebra", tenant: tenant, limit: 5).isEmpty)
        let (first, firstChunks) = KnowledgeContractTests.document(
            tenant, key: "zoo", hash: "z1", chunks: ["A zebra eats grass.", "The keeper feeds the zebras."])
        guard case .created(let created) = try await store.knowledge.store(first, chunks: firstChunks) else {
            Issue.record("not created")
            return
        }
        let found = try await store.knowledge.searchLexical("zebra", tenant: tenant, limit: 5)
        #expect(found.map(\.chunk.text).sorted() == ["A zebra eats grass.", "The keeper feeds the zebras."])
        let (second, secondChunks) = KnowledgeContractTests.document(
            tenant, key: "zoo", hash: "z2", chunks: ["Giraffes only."])
        _ = try await store.knowledge.store(second, chunks: secondChunks)
        #expect(try await store.knowledge.searchLexical("zebra", tenant: tenant, limit: 5).isEmpty)
        #expect(try await store.knowledge.searchLexical("giraffe", tenant: tenant, limit: 5).count == 1)
        _ = try await store.knowledge.delete(created.id, tenant: tenant)
        #expect(try await store.knowledge.searchLexical("giraffe", tenant: tenant, limit: 5).isEmpty)
        try await store.close()
    }

    @Test("a large tenant is searched with FTS5 until its first index is built, then with the index, alike")
    func largeTenantMeanwhile() async throws {
        let (store, tenants) = try await Self.store(["Acme"])
        let texts = try await Self.fill(store, tenant: tenants[0], documents: 5, seed: 2)
        let indexes = SQLiteTermIndexes(database: store.database, waitingSize: 10)
        let version = try await store.knowledge.version(tenant: tenants[0])
        // 200 chunks, over the waiting size: the first call does not wait, the build goes on.
        #expect(try await indexes.index(tenant: tenants[0], version: version) == nil)
        var built: TermIndex?
        for _ in 0..<500 where built == nil {
            built = try await indexes.index(tenant: tenants[0], version: version)
            if built == nil { try await Task.sleep(for: .milliseconds(20)) }
        }
        let index = try #require(built)
        #expect(index.count == texts.count && index.version == version)
        // FTS5's ranking and the index's agree on a one-tenant database, so the switch changes no answer.
        let repository = SQLiteKnowledgeRepository(database: store.database, termIndexes: indexes)
        for words in Self.queries(from: texts, count: 20, seed: 4) {
            let viaIndex = try await repository.searchLexical(
                words.joined(separator: " "), tenant: tenants[0], limit: 8)
            let expected = try await Self.fts5Ranking(words, tenant: tenants[0], limit: 8, store: store)
            #expect(viaIndex.map(\.chunk.id) == expected.map(\.id))
        }
        try await store.close()
    }

    @Test("punctuation finds nothing, a quote is not syntax, a word FTS5 splits is read as its parts")
    func oddQueries() async throws {
        let (store, tenants) = try await Self.store(["Acme"])
        try await Self.fill(store, tenant: tenants[0], documents: 2, seed: 8)
        #expect(try await store.knowledge.searchLexical("?!", tenant: tenants[0], limit: 5).isEmpty)
        #expect(try await store.knowledge.searchLexical("\"w1x", tenant: tenants[0], limit: 5).count == 5)
        // An enclosing mark is part of a Swift word but splits FTS5 terms: "w1x⃝w2x" searches w1x and w2x.
        let joined = try await Self.ranking(["w1x\u{20DD}w2x"], tenant: tenants[0], limit: 5, store: store)
        #expect(joined == (try await Self.ranking(["w1x", "w2x"], tenant: tenants[0], limit: 5, store: store)))
        try await store.close()
    }
}
