import Foundation
import ParleyCore
import ParleyStore
import Testing

/// Knowledge storage: versions replace atomically, full-text search is literal and per tenant, deletes cascade.
@Suite("Store contract: knowledge")
struct KnowledgeContractTests {
    typealias Fixtures = StoreContractTests

    static func document(_ tenant: TenantID, key: String, hash: String, chunks texts: [String]) -> (
        KnowledgeDocument, [KnowledgeChunk]
    ) {
        let id = KnowledgeDocumentID.generate()
        let document = KnowledgeDocument(
            id: id, tenantID: tenant, kind: "text", sourceKey: key, title: "Title \(key)", url: nil, contentHash: hash,
            version: 1, chunkCount: texts.count, embeddingModel: "test-model", createdAt: Date(), updatedAt: Date())
        let chunks = texts.enumerated().map { position, text in
            KnowledgeChunk(
                id: "\(id.rawValue)-\(position)", tenantID: tenant, documentID: id, position: position,
                title: document.title, headingPath: ["Section"], url: nil, text: text,
                embedding: [Float(position), 0.5, -1])
        }
        return (document, chunks)
    }

    @Test(
        "a new version replaces the old one in search; the same content changes nothing",
        arguments: StoreFactory.allCases)
    func versions(factory: StoreFactory) async throws {
        let (store, tenant) = try await Fixtures.storeWithTenant(factory)
        let (first, firstChunks) = Self.document(
            tenant.id, key: "returns", hash: "h1", chunks: ["Refunds take five days.", "Keep your receipt."])
        guard case .created(let created) = try await store.knowledge.store(first, chunks: firstChunks) else {
            Issue.record("the first version was not created")
            return
        }
        let versionAfterCreate = try await store.knowledge.version(tenant: tenant.id)
        #expect(try await store.knowledge.searchLexical("refunds", tenant: tenant.id, limit: 5).count == 1)

        let (same, sameChunks) = Self.document(tenant.id, key: "returns", hash: "h1", chunks: ["ignored"])
        guard case .unchanged(let unchanged) = try await store.knowledge.store(same, chunks: sameChunks) else {
            Issue.record("the same content was stored again")
            return
        }
        #expect(unchanged.id == created.id && unchanged.version == 1)
        #expect(try await store.knowledge.version(tenant: tenant.id) == versionAfterCreate)

        let (second, secondChunks) = Self.document(
            tenant.id, key: "returns", hash: "h2", chunks: ["Exchanges are free within thirty days."])
        guard case .replaced(let replaced, let previous) = try await store.knowledge.store(second, chunks: secondChunks)
        else {
            Issue.record("the second version did not replace the first")
            return
        }
        #expect(previous == 1 && replaced.version == 2 && replaced.id == created.id)
        #expect(try await store.knowledge.searchLexical("refunds receipt", tenant: tenant.id, limit: 5).isEmpty)
        let hits = try await store.knowledge.searchLexical("exchanges", tenant: tenant.id, limit: 5)
        #expect(hits.map(\.chunk.text) == ["Exchanges are free within thirty days."])
        #expect(hits.first?.chunk.headingPath == ["Section"])
        #expect(try await store.knowledge.documents(tenant: tenant.id).count == 1)
        #expect(try await store.knowledge.version(tenant: tenant.id) > versionAfterCreate)
        try await store.close()
    }

    @Test("full-text search never crosses tenants and treats visitor text literally", arguments: StoreFactory.allCases)
    func searchIsolationAndSyntax(factory: StoreFactory) async throws {
        let (store, a) = try await Fixtures.storeWithTenant(factory)
        let b = Fixtures.tenant("b")
        try await store.tenants.create(b)
        let (docA, chunksA) = Self.document(
            a.id, key: "k", hash: "a", chunks: ["Shipping to Canada costs ten dollars."])
        let (docB, chunksB) = Self.document(b.id, key: "k", hash: "b", chunks: ["Shipping to Mexico is free."])
        _ = try await store.knowledge.store(docA, chunks: chunksA)
        _ = try await store.knowledge.store(docB, chunks: chunksB)
        let hitsA = try await store.knowledge.searchLexical("shipping", tenant: a.id, limit: 10)
        #expect(hitsA.map(\.chunk.tenantID) == [a.id])
        #expect(try await store.knowledge.chunks(chunksB.map(\.id), tenant: a.id).isEmpty)
        #expect(try await store.knowledge.embeddings(tenant: a.id, model: "test-model").count == 1)
        #expect(try await store.knowledge.document(docB.id, tenant: a.id) == nil)
        #expect(try await store.knowledge.delete(docB.id, tenant: a.id) == false)
        // FTS5 syntax in visitor text is matched as words, never parsed.
        for hostile in ["shipping\" OR tenant_id:*", "NEAR(shipping canada)", "*", "\"", "shipping AND NOT canada", ""]
        {
            let hits = try await store.knowledge.searchLexical(hostile, tenant: a.id, limit: 10)
            #expect(hits.allSatisfy { $0.chunk.tenantID == a.id }, "\(hostile)")
        }
        try await store.close()
    }

    @Test(
        "a tenant whose matches rank below hundreds of another tenant's still gets its own, best first",
        arguments: StoreFactory.allCases)
    func searchUnderAnotherTenantsMatches(factory: StoreFactory) async throws {
        let (store, big) = try await Fixtures.storeWithTenant(factory)
        let small = Fixtures.tenant("small")
        try await store.tenants.create(small)
        // 300 chunks of the big tenant say "parcel" three times; the small tenant's say it once, among other words.
        for part in 0..<3 {
            let (document, chunks) = Self.document(
                big.id, key: "big-\(part)", hash: "big-\(part)",
                chunks: (0..<100).map { "Parcel parcel parcel number \(part * 100 + $0)." })
            _ = try await store.knowledge.store(document, chunks: chunks)
        }
        let (document, chunks) = Self.document(
            small.id, key: "small", hash: "small",
            chunks: [
                "Your parcel leaves our warehouse within two days of the order, tracked all the way.",
                "A parcel to an island takes longer.", "Gift cards never expire.",
            ])
        _ = try await store.knowledge.store(document, chunks: chunks)
        let hits = try await store.knowledge.searchLexical("parcel", tenant: small.id, limit: 20)
        #expect(hits.count == 2 && hits.allSatisfy { $0.chunk.tenantID == small.id }, "\(hits.map(\.chunk.text))")
        #expect(hits.first?.chunk.text == "A parcel to an island takes longer.", "the shorter chunk ranks first")
        let bigHits = try await store.knowledge.searchLexical("parcel", tenant: big.id, limit: 20)
        #expect(bigHits.count == 20 && bigHits.allSatisfy { $0.chunk.tenantID == big.id })
        try await store.close()
    }

    @Test("deleting a document removes its chunks, vectors and search entries", arguments: StoreFactory.allCases)
    func delete(factory: StoreFactory) async throws {
        let (store, tenant) = try await Fixtures.storeWithTenant(factory)
        let (document, chunks) = Self.document(
            tenant.id, key: "k", hash: "h", chunks: ["Alpha bravo.", "Charlie delta."])
        _ = try await store.knowledge.store(document, chunks: chunks)
        let stored = try await store.knowledge.embeddings(tenant: tenant.id, model: "test-model")
        #expect(stored.map(\.vector) == [[0, 0.5, -1], [1, 0.5, -1]])
        #expect(try await store.knowledge.delete(document.id, tenant: tenant.id))
        #expect(try await store.knowledge.searchLexical("alpha charlie", tenant: tenant.id, limit: 10).isEmpty)
        #expect(try await store.knowledge.embeddings(tenant: tenant.id, model: "test-model").isEmpty)
        #expect(try await store.knowledge.chunks(chunks.map(\.id), tenant: tenant.id).isEmpty)
        try await store.close()
    }

    @Test(
        "a database vector index finds the nearest chunks of one tenant, as brute force does",
        arguments: StoreFactory.allCases)
    func databaseVectorSearch(factory: StoreFactory) async throws {
        let store = try await factory.make()
        let (a, b) = (Fixtures.tenant("a"), Fixtures.tenant("b"))
        try await store.tenants.create(a)
        try await store.tenants.create(b)
        if ProcessInfo.processInfo.environment["PARLEY_TEST_PGVECTOR"] != nil, factory == .postgres {
            #expect(store.knowledge.vectorSearch == "pgvector", "the pgvector server must search vectors itself")
        }
        // Random unit-ish vectors for A, and B's copies of the same vectors, which A must never see.
        var generator = SystemRandomNumberGenerator()
        let vectors = (0..<60).map { _ in (0..<8).map { _ in Float.random(in: -1...1, using: &generator) } }
        for (tenant, key) in [(a, "a"), (b, "b")] {
            let id = KnowledgeDocumentID.generate()
            let document = KnowledgeDocument(
                id: id, tenantID: tenant.id, kind: "text", sourceKey: key, title: "T", url: nil, contentHash: key,
                version: 1, chunkCount: vectors.count, embeddingModel: "unit-model", createdAt: Date(),
                updatedAt: Date())
            let chunks = vectors.enumerated().map { position, vector in
                KnowledgeChunk(
                    id: "\(key)-\(position)", tenantID: tenant.id, documentID: id, position: position, title: "T",
                    headingPath: [], url: nil, text: "chunk \(position)", embedding: vector)
            }
            _ = try await store.knowledge.store(document, chunks: chunks)
        }
        let query: [Float] = (0..<8).map { _ in Float.random(in: -1...1, using: &generator) }
        func cosine(_ x: [Float], _ y: [Float]) -> Float {
            let dot = zip(x, y).map(*).reduce(0, +)
            return dot / (sqrt(x.map { $0 * $0 }.reduce(0, +)) * sqrt(y.map { $0 * $0 }.reduce(0, +)))
        }
        let expected = vectors.enumerated().map { ("a-\($0.offset)", cosine($0.element, query)) }
            .sorted { $0.1 > $1.1 }
        let result = try await store.knowledge.nearest(
            to: query, model: "unit-model", tenant: a.id, limit: 5, scoring: ["a-0", "b-0"])
        guard store.knowledge.vectorSearch == "pgvector" else {
            #expect(result == nil, "a store without a vector index leaves semantic search to the process")
            try await store.close()
            return
        }
        let found = try #require(result)
        // HNSW is approximate; on 60 vectors with a wide candidate list it finds the exact top five.
        #expect(found.nearest.map(\.id) == expected.prefix(5).map(\.0))
        for (hit, truth) in zip(found.nearest, expected) { #expect(abs(hit.score - truth.1) < 1e-4) }
        #expect(found.similarities.keys.sorted() == ["a-0"], "B's chunk is not A's to score")
        #expect(abs((found.similarities["a-0"] ?? 0) - cosine(vectors[0], query)) < 1e-4)
        try await store.close()
    }

    @Test(
        "each document keeps its language; PostgreSQL stems a chunk in it and reads the query in the asker's too",
        arguments: StoreFactory.allCases)
    func documentLanguages(factory: StoreFactory) async throws {
        let (store, tenant) = try await Fixtures.storeWithTenant(factory)
        for (key, language, text) in [
            ("fr", "fr", "Les commandes expédiées ne peuvent plus être annulées."),
            ("en", "en", "Shipped orders can no longer be cancelled."),
            ("unknown", nil, "Zorblax firmware flashing steps."),
        ] {
            var (document, chunks) = Self.document(tenant.id, key: key, hash: key, chunks: [text])
            document.language = language
            _ = try await store.knowledge.store(document, chunks: chunks)
        }
        let languages = try await store.knowledge.documents(tenant: tenant.id).map { ($0.sourceKey, $0.language) }
        #expect(Dictionary(uniqueKeysWithValues: languages) == ["fr": "fr", "en": "en", "unknown": nil])

        // Both stores stem English.
        let english = try await store.knowledge.searchLexical("cancelling", language: "en", tenant: tenant.id, limit: 5)
        #expect(english.map(\.chunk.text) == ["Shipped orders can no longer be cancelled."])
        #expect(
            try await store.knowledge.searchLexical("zorblax", language: "ja", tenant: tenant.id, limit: 5).count == 1)
        guard factory == .postgres else { return }
        // French stems: "expédier" and "annuler" meet "expédiées" and "annulées" only through the French
        // configuration (English and simple leave them whole).
        for language in ["fr", nil, "ja"] {
            let hits = try await store.knowledge.searchLexical(
                "expédier annuler", language: language, tenant: tenant.id, limit: 5)
            #expect(hits.map(\.chunk.text) == ["Les commandes expédiées ne peuvent plus être annulées."])
        }
    }

    @Test(
        "chunks without the model's vectors are listed; replacing them records the model and moves the version",
        arguments: StoreFactory.allCases)
    func replaceEmbeddings(factory: StoreFactory) async throws {
        let (store, tenant) = try await Fixtures.storeWithTenant(factory)
        let other = Fixtures.tenant("other")
        try await store.tenants.create(other)
        let (document, chunks) = Self.document(
            tenant.id, key: "k", hash: "h", chunks: ["Alpha bravo.", "Charlie delta.", "Echo foxtrot."])
        _ = try await store.knowledge.store(document, chunks: chunks)
        let (foreign, foreignChunks) = Self.document(other.id, key: "k", hash: "h", chunks: ["Golf hotel."])
        _ = try await store.knowledge.store(foreign, chunks: foreignChunks)
        #expect(try await store.knowledge.chunksToEmbed(model: "test-model", tenant: tenant.id, limit: 10).isEmpty)
        let stale = try await store.knowledge.chunksToEmbed(model: "new-model", tenant: tenant.id, limit: 2)
        #expect(stale.map(\.id) == chunks.prefix(2).map(\.id))

        let version = try await store.knowledge.version(tenant: tenant.id)
        try await store.knowledge.replaceEmbeddings(
            stale.map { StoredEmbedding(chunkID: $0.id, vector: [1, 0, Float($0.position)]) }, model: "new-model",
            tenant: tenant.id)
        #expect(try await store.knowledge.version(tenant: tenant.id) > version)
        // One chunk still has the old model's vector: the document does not claim the new model yet.
        #expect(try await store.knowledge.document(document.id, tenant: tenant.id)?.embeddingModel == "test-model")
        let rest = try await store.knowledge.chunksToEmbed(model: "new-model", tenant: tenant.id, limit: 10)
        #expect(rest.map(\.id) == [chunks[2].id])
        try await store.knowledge.replaceEmbeddings(
            [StoredEmbedding(chunkID: chunks[2].id, vector: [1, 0, 2])], model: "new-model", tenant: tenant.id)
        #expect(try await store.knowledge.document(document.id, tenant: tenant.id)?.embeddingModel == "new-model")
        #expect(
            try await store.knowledge.embeddings(tenant: tenant.id, model: "new-model").map(\.vector)
                == [[1, 0, 0], [1, 0, 1], [1, 0, 2]])
        #expect(try await store.knowledge.embeddings(tenant: tenant.id, model: "test-model").isEmpty)
        // Another tenant's chunks are neither listed nor touched.
        #expect(try await store.knowledge.chunksToEmbed(model: "new-model", tenant: other.id, limit: 10).count == 1)
        try await store.knowledge.replaceEmbeddings(
            [StoredEmbedding(chunkID: foreignChunks[0].id, vector: [9, 9, 9])], model: "new-model", tenant: tenant.id)
        #expect(try await store.knowledge.embeddings(tenant: other.id, model: "test-model").count == 1)
        if let found = try await store.knowledge.nearest(
            to: [1, 0, 2], model: "new-model", tenant: tenant.id, limit: 1, scoring: [])
        {
            #expect(found.nearest.map(\.id) == [chunks[2].id], "the database's vector index has the new vectors")
        }
        try await store.close()
    }
}
