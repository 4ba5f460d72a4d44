import Crypto
import Foundation
import ParleyAI
import ParleyCore
import ParleyStore
import ParleyUnderstanding

/// Takes content into a tenant's knowledge base: chunk, embed, store, as one atomic replacement per source key.
public struct KnowledgeIngestor: Sendable {
    private let store: any KnowledgeRepository
    private let embedders: any EmbedderSource
    private let options: ChunkingOptions
    private let staleVectors: (@Sendable (TenantID) -> Void)?
    private let languages = LanguageDetector(languages: LanguageDetector.availableLanguages)

    /// How sure the language detector must be before a document's language is recorded.
    public static let languageConfidence = 0.5

    /// Makes an ingestor embedding with each tenant's own embedder; a tenant without one gets chunks searchable
    /// lexically only.
    ///
    /// `staleVectors` hears of a tenant whose embedder changed while a document was being embedded: the document was
    /// stored with the former model's vectors, which the tenant's re-embedding should replace.
    public init(
        store: any KnowledgeRepository, embedders: any EmbedderSource, options: ChunkingOptions = ChunkingOptions(),
        staleVectors: (@Sendable (TenantID) -> Void)? = nil
    ) {
        self.store = store
        self.embedders = embedders
        self.options = options
        self.staleVectors = staleVectors
    }

    /// Makes an ingestor with one embedder for every tenant; without one the chunks are searchable lexically only.
    public init(
        store: any KnowledgeRepository, embedder: (any EmbeddingProvider)?, options: ChunkingOptions = ChunkingOptions()
    ) {
        self.init(store: store, embedders: SingleEmbedder(embedder), options: options)
    }

    /// What to ingest.
    public struct Source: Sendable {
        public enum Content: Sendable {
            /// A question and its answer.
            case faq(question: String, answer: String)
            /// Markdown, headings building each chunk's heading path.
            case markdown(String)
            /// Plain text.
            case text(String)
        }

        public var content: Content
        /// What identifies the source across versions (a file name, a URL); FAQ entries use the question.
        public var sourceKey: String
        public var title: String
        public var url: String?

        /// Makes a source.
        public init(content: Content, sourceKey: String, title: String, url: String? = nil) {
            self.content = content
            self.sourceKey = sourceKey
            self.title = title
            self.url = url
        }

        var kind: String {
            switch content {
            case .faq: "faq"
            case .markdown: "markdown"
            case .text: "text"
            }
        }

        var hashedText: String {
            switch content {
            case .faq(let question, let answer): "faq\u{0}\(question)\u{0}\(answer)"
            case .markdown(let text): "markdown\u{0}\(text)"
            case .text(let text): "text\u{0}\(text)"
            }
        }
    }

    /// Chunks, embeds and stores `source` for `tenant`.
    public func ingest(_ source: Source, tenant: TenantID, now: Date = Date()) async throws -> KnowledgeStoreResult {
        let textChunks: [TextChunk] =
            switch source.content {
            case .faq(let question, let answer): Chunker.chunk(faqQuestion: question, answer: answer, options: options)
            case .markdown(let text): Chunker.chunk(markdown: text, options: options)
            case .text(let text): Chunker.chunk(plainText: text, options: options)
            }
        guard !textChunks.isEmpty else { throw IngestionError.empty }
        let hash = SHA256.hash(data: Data((source.hashedText + "\u{0}\(source.title)\u{0}\(source.url ?? "")").utf8))
            .hexString
        // Headings are part of what a chunk is about: they are embedded with it, while the stored text stays verbatim.
        let embedder = try await embedders.embedder(for: tenant)
        let vectors = try await embedder?.embed(
            textChunks.map { Self.embeddingText(title: source.title, headingPath: $0.headingPath, text: $0.text) })
        let id = KnowledgeDocumentID.generate()
        let document = KnowledgeDocument(
            id: id, tenantID: tenant, kind: source.kind, sourceKey: StoredSourceKey.of(source.sourceKey),
            title: source.title, url: source.url, contentHash: hash, version: 1, chunkCount: textChunks.count,
            embeddingModel: embedder?.model, language: language(of: source, chunks: textChunks), createdAt: now,
            updatedAt: now)
        let chunks = textChunks.enumerated().map { offset, chunk in
            KnowledgeChunk(
                id: "\(id.rawValue)-\(chunk.position)", tenantID: tenant, documentID: id, position: chunk.position,
                title: source.title, headingPath: chunk.headingPath, url: source.url, text: chunk.text,
                embedding: vectors?[offset])
        }
        let result = try await store.store(document, chunks: chunks)
        // The tenant may have switched embedders during the embedding (seconds, for a long document): a re-embedding
        // that ran meanwhile did not see these chunks. A tenant that now has no embedder has nothing to re-embed.
        if let staleVectors, let current = try? await embedders.embedder(for: tenant), current.model != embedder?.model
        {
            staleVectors(tenant)
        }
        return result
    }

    /// What is embedded for a chunk: its title and headings with its text, while the stored text stays verbatim.
    public static func embeddingText(title: String, headingPath: [String], text: String) -> String {
        ([title] + headingPath + [text]).joined(separator: "\n")
    }

    /// The language of the source's text (its first few thousand characters), when the detector is sure enough.
    func language(of source: Source, chunks: [TextChunk]) -> String? {
        var sample = source.title
        for chunk in chunks where sample.count < 4_000 { sample += "\n" + chunk.text }
        let guess = languages.detect(String(sample.prefix(4_000)))
        guard guess.language != LanguageGuess.undetermined, guess.confidence >= Self.languageConfidence else {
            return nil
        }
        return guess.language
    }
}

/// Why content could not be ingested.
public enum IngestionError: Error, Equatable, CustomStringConvertible {
    /// Nothing searchable was left after cleaning.
    case empty
    /// A part of the source is longer than the knowledge base takes.
    case tooLong(String)

    public var description: String {
        switch self {
        case .empty: "the content has no text to search"
        case .tooLong(let what): "\(what) is too long"
        }
    }
}
