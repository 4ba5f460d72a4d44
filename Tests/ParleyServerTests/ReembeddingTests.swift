import Foundation
import HummingbirdTesting
import Logging
import ParleyAI
import ParleyCore
import ParleyKnowledge
import Synchronization
import Testing

@testable import ParleyServer

/// Changing the embedding model: chunks stored without vectors, or with another model's, are embedded again.
@Suite("Re-embedding")
struct ReembeddingTests {
    /// A deterministic embedder: a text's words hashed into eight buckets, named as asked.
    struct HashingEmbedder: EmbeddingProvider {
        let model: String
        let dimensions = 8

        func embed(_ texts: [String]) async throws -> [[Float]] {
            texts.map { text in
                var vector = [Float](repeating: 0, count: dimensions)
                for word in text.lowercased().split(whereSeparator: { !$0.isLetter }) {
                    vector[Int(word.unicodeScalars.reduce(0) { ($0 &* 31 &+ Int($1.value)) & 0xFFFF }) % 8] += 1
                }
                return vector
            }
        }
    }

    /// A tenant's embedder that changes to `next` while `first` embeds (an admin switching models mid-ingestion).
    final class SwitchingEmbedders: EmbedderSource {
        let current: Mutex<any EmbeddingProvider>
        let switches: Bool
        let next = HashingEmbedder(model: "hash-new")

        init(switches: Bool) {
            self.switches = switches
            current = Mutex(HashingEmbedder(model: "hash-old"))
        }

        func embedder(for tenant: TenantID) async throws -> (any EmbeddingProvider)? {
            let embedder = current.withLock { $0 }
            guard switches else { return embedder }
            return Switching(base: embedder) { [self] in current.withLock { $0 = next } }
        }

        struct Switching: EmbeddingProvider {
            let base: any EmbeddingProvider
            let onEmbed: @Sendable () -> Void
            var model: String { base.model }
            var dimensions: Int { base.dimensions }

            func embed(_ texts: [String]) async throws -> [[Float]] {
                defer { onEmbed() }
                return try await base.embed(texts)
            }
        }
    }

    @Test("a document embedded while the tenant switched models is queued for re-embedding; otherwise it is not")
    func switchDuringIngestion() async throws {
        try await Harness.run { harness in
            let tenant = harness.seed.demoTenantID
            for switches in [true, false] {
                let stale = Mutex<[TenantID]>([])
                let ingestor = KnowledgeIngestor(
                    store: harness.store.knowledge, embedders: SwitchingEmbedders(switches: switches),
                    staleVectors: { tenant in stale.withLock { $0.append(tenant) } })
                let stored = try await ingestor.ingest(
                    .init(
                        content: .faq(question: "Do you gift wrap? \(switches)", answer: "Yes, for two euros."),
                        sourceKey: "wrap-\(switches)", title: "Gift wrap"),
                    tenant: tenant)
                #expect(stored.document.embeddingModel == "hash-old")
                #expect(stale.withLock { $0 } == (switches ? [tenant] : []), "switches: \(switches)")
            }
        }
    }

    @Test("a lexical-only knowledge base gets vectors, then the next model's; search is semantic with each")
    func modelChanges() async throws {
        try await Harness.run { harness in
            let tenant = harness.seed.demoTenantID
            let knowledge = harness.store.knowledge
            let plain = KnowledgeIngestor(store: knowledge, embedder: nil)
            for (question, answer) in [
                ("How long does shipping take?", "Parcels arrive within three working days."),
                ("Can I return a mug?", "Returns are free for thirty days."),
            ] {
                _ = try await plain.ingest(
                    .init(content: .faq(question: question, answer: answer), sourceKey: question, title: question),
                    tenant: tenant)
            }
            let chunks = try await knowledge.chunksToEmbed(model: "hash-1", tenant: tenant, limit: 100).count
            #expect(chunks >= 2)

            for model in ["hash-1", "hash-2"] {
                let embedder = HashingEmbedder(model: model)
                let count = try await Reembedder(store: knowledge, embedder: embedder).run(tenant: tenant)
                #expect(count == chunks, "\(model)")
                #expect(try await knowledge.embeddings(tenant: tenant, model: model).count == chunks)
                #expect(try await knowledge.documents(tenant: tenant).allSatisfy { $0.embeddingModel == model })
                #expect(try await Reembedder(store: knowledge, embedder: embedder).run(tenant: tenant) == 0)
                let search = HybridSearch(store: knowledge, embedder: embedder, mode: .semantic)
                let found = try await search.search("how long does shipping take", tenant: tenant, limit: 1)
                #expect(found.passages.first?.title == "How long does shipping take?", "\(model)")
            }
        }
    }

    @Test("a server started with a model embeds, in the background, what was stored before it had one")
    func atStartup() async throws {
        let configuration = Harness.configuration()
        defer { try? FileManager.default.removeItem(atPath: configuration.dataDirectory) }
        let logger = {
            var logger = Logger(label: "parley-reembed")
            logger.logLevel = .warning
            return logger
        }()
        // First without a model: the knowledge base is lexical only.
        let first = try await ParleyApp.build(configuration: configuration, logger: logger)
        let tenant = try #require(first.seed?.demoTenantID)
        let plain = KnowledgeIngestor(store: first.store.knowledge, embedder: nil)
        for (question, answer) in [
            ("Do you ship abroad?", "We ship to every country in the European Union."),
            ("Can I pay by invoice?", "Businesses can pay by invoice within thirty days."),
        ] {
            let stored = try await plain.ingest(
                .init(content: .faq(question: question, answer: answer), sourceKey: question, title: question),
                tenant: tenant)
            #expect(stored.document.embeddingModel == nil)
        }
        let chunks = try await first.store.knowledge.chunksToEmbed(model: "fake-embed", tenant: tenant, limit: 100)
            .count
        #expect(chunks == 2)
        try await first.store.close()

        // Then started with one: what was stored is embedded in the background.
        try await RemoteEmbeddingsTests.withFakeEmbeddings { port, _ in
            var withModel = configuration
            withModel.remoteEmbeddings = .init(
                baseURL: "http://127.0.0.1:\(port)/v1", model: "fake-embed", dimensions: 8, apiKey: "k")
            let built = try await ParleyApp.build(configuration: withModel, logger: logger)
            try await built.application.test(.live) { _ in
                let deadline = ContinuousClock.now + .seconds(10)
                var embedded = 0
                while ContinuousClock.now < deadline {
                    embedded = try await built.store.knowledge.embeddings(tenant: tenant, model: "fake-embed").count
                    if embedded == chunks { break }
                    try await Task.sleep(for: .milliseconds(50))
                }
                #expect(embedded == chunks, "the chunks stored before the model were not embedded")
                #expect(
                    try await built.store.knowledge.documents(tenant: tenant).allSatisfy {
                        $0.embeddingModel == "fake-embed"
                    })
            }
            try? await built.store.close()
        }
    }
}
