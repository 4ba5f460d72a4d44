import Foundation
import Hummingbird
import ParleyCore
import ParleyKnowledge
import ParleyStore

/// The tenant's knowledge base: FAQ entries and documents in, ranked passages out.
enum KnowledgeRoutes {
    struct FAQRequest: Decodable {
        var question: String
        var answer: String
        var url: String?
    }

    struct DocumentRequest: Decodable {
        var title: String
        var text: String
        /// `text` or `markdown`.
        var format: String?
        /// What identifies the document across versions; the title when omitted.
        var sourceKey: String?
        var url: String?

        enum CodingKeys: String, CodingKey {
            case title, text, format, url
            case sourceKey = "source_key"
        }
    }

    struct SearchRequest: Decodable {
        var query: String
        var limit: Int?
        /// The asker's language (ISO 639-1), as the language stage would find it.
        var language: String?
    }

    struct DocumentView: Encodable {
        var id: String
        var kind: String
        var sourceKey: String
        var title: String
        var url: String?
        var version: Int
        var chunks: Int
        var embeddingModel: String?
        var language: String?
        var updatedAt: Date

        init(_ document: KnowledgeDocument) {
            id = document.id.rawValue
            kind = document.kind
            sourceKey = document.sourceKey
            title = document.title
            url = document.url
            version = document.version
            chunks = document.chunkCount
            embeddingModel = document.embeddingModel
            language = document.language
            updatedAt = document.updatedAt
        }

        enum CodingKeys: String, CodingKey {
            case id, kind, title, url, version, chunks, language
            case sourceKey = "source_key"
            case embeddingModel = "embedding_model"
            case updatedAt = "updated_at"
        }
    }

    struct StoreResponse: Encodable {
        /// `created`, `replaced` or `unchanged`.
        var result: String
        var document: DocumentView

        init(_ result: KnowledgeStoreResult) {
            switch result {
            case .created(let document): (self.result, self.document) = ("created", DocumentView(document))
            case .replaced(let document, _): (self.result, self.document) = ("replaced", DocumentView(document))
            case .unchanged(let document): (self.result, self.document) = ("unchanged", DocumentView(document))
            }
        }
    }

    struct SearchResponse: Encodable {
        var confidence: Double
        var mode: String
        var passages: [Passage]
    }

    struct DocumentList: Encodable {
        var documents: [DocumentView]
    }

    /// Longest FAQ question, and longest document text, in characters.
    static let maxQuestion = 1_000
    static let maxText = 512 * 1_024
    /// The longest document title and source key, in code points: for a document added as text or as a file.
    static let maxTitle = 500
    static let maxSourceKey = 1_000
    /// The source keys Parley gives FAQ entries, uploaded files and crawled pages; a document's own key must not
    /// start with one.
    static let reservedSourceKeyPrefixes = ["faq:", "file:", "url:", "crawl:"]

    static func register(_ api: APIRouter, services: AppServices) {
        api.on(
            .post, "/api/knowledge/faq", summary: "Add or update an FAQ entry (keyed by its question)",
            tag: "knowledge",
            access: .staff(.agentManager), body: ["question": "string", "answer": "string", "url": "string"],
            required: ["question", "answer"]
        ) { request, context in
            let caller = try await services.authenticator.staff(request, minimum: .agentManager)
            let body = try await JSONBody.decode(FAQRequest.self, from: request, context: context)
            let question = body.question.trimmingCharacters(in: .whitespacesAndNewlines)
            let answer = body.answer.trimmingCharacters(in: .whitespacesAndNewlines)
            guard (1...maxQuestion).contains(question.unicodeScalars.count),
                (1...maxText).contains(answer.unicodeScalars.count)
            else {
                throw APIError.unprocessable(
                    "question must be 1 to \(maxQuestion) characters and answer 1 to \(maxText)")
            }
            try validate(url: body.url)
            let result = try await ingest(
                .init(
                    content: .faq(question: question, answer: answer), sourceKey: "faq:" + question, title: question,
                    url: body.url), tenant: caller.tenantID, services: services)
            return try .json(StoreResponse(result), status: status(of: result))
        }
        api.on(
            .post, "/api/knowledge/documents",
            summary: "Add a text or Markdown document; the same source key with new content replaces it",
            tag: "knowledge", access: .staff(.agentManager),
            body: ["title": "string", "text": "string", "format": "string", "source_key": "string", "url": "string"],
            required: ["title", "text"]
        ) { request, context in
            let caller = try await services.authenticator.staff(request, minimum: .agentManager)
            let body = try await JSONBody.decode(DocumentRequest.self, from: request, context: context)
            let title = body.title.trimmingCharacters(in: .whitespacesAndNewlines)
            guard (1...maxTitle).contains(title.unicodeScalars.count) else {
                throw APIError.unprocessable("title must be 1 to \(maxTitle) characters")
            }
            guard body.text.unicodeScalars.count <= maxText else {
                throw APIError(.contentTooLarge, "document_too_large", "text is longer than \(maxText) characters")
            }
            let content: KnowledgeIngestor.Source.Content
            switch body.format ?? "text" {
            case "text": content = .text(body.text)
            case "markdown": content = .markdown(body.text)
            default: throw APIError.unprocessable("format must be 'text' or 'markdown'")
            }
            try validate(url: body.url)
            let key = body.sourceKey?.trimmingCharacters(in: .whitespacesAndNewlines) ?? title
            guard (1...maxSourceKey).contains(key.unicodeScalars.count) else {
                throw APIError.unprocessable("source_key must be 1 to \(maxSourceKey) characters")
            }
            // Those keys are the FAQ's, uploaded files' and crawled pages': a document under one would replace
            // them, and the next import or crawl would silently undo it.
            if let prefix = reservedSourceKeyPrefixes.first(where: { key.lowercased().hasPrefix($0) }) {
                throw APIError.unprocessable(
                    "source_key must not start with '\(prefix)': that prefix belongs to the FAQ, uploads and crawls")
            }
            let result = try await ingest(
                .init(content: content, sourceKey: key, title: title, url: body.url), tenant: caller.tenantID,
                services: services)
            return try .json(StoreResponse(result), status: status(of: result))
        }
        api.on(
            .get, "/api/knowledge/documents", summary: "The tenant's knowledge documents, newest first",
            tag: "knowledge", access: .staff(.analyst)
        ) { request, _ in
            let caller = try await services.authenticator.staff(request, minimum: .analyst)
            let documents = try await services.store.knowledge.documents(tenant: caller.tenantID)
            return try .json(DocumentList(documents: documents.map(DocumentView.init)))
        }
        api.on(
            .get, "/api/knowledge/documents/:id", summary: "One knowledge document", tag: "knowledge",
            access: .staff(.analyst)
        ) { request, context in
            let caller = try await services.authenticator.staff(request, minimum: .analyst)
            let id = KnowledgeDocumentID(context.parameters.get("id") ?? "")
            guard let document = try await services.store.knowledge.document(id, tenant: caller.tenantID) else {
                throw APIError.notFound("document")
            }
            return try .json(DocumentView(document))
        }
        api.on(
            .delete, "/api/knowledge/documents/:id", summary: "Delete a document with its chunks and vectors",
            tag: "knowledge", access: .staff(.agentManager)
        ) { request, context in
            let caller = try await services.authenticator.staff(request, minimum: .agentManager)
            let id = KnowledgeDocumentID(context.parameters.get("id") ?? "")
            guard try await services.store.knowledge.delete(id, tenant: caller.tenantID) else {
                throw APIError.notFound("document")
            }
            return Response(status: .noContent)
        }
        api.on(
            .post, "/api/knowledge/search",
            summary: "Ranked passages for a query, with scores and the retrievers that found them", tag: "knowledge",
            access: .staff(.analyst), body: ["query": "string", "limit": "integer", "language": "string"],
            required: ["query"]
        ) { request, context in
            let caller = try await services.authenticator.staff(request, minimum: .analyst)
            let body = try await JSONBody.decode(SearchRequest.self, from: request, context: context)
            guard body.query.utf8.count <= services.configuration.maxMessageBytes else {
                throw APIError(.contentTooLarge, "message_too_large", "query is too long")
            }
            let limit = min(max(body.limit ?? 5, 1), 50)
            if let language = body.language, !(2...35).contains(language.unicodeScalars.count) {
                throw APIError.unprocessable("language must be a language tag such as 'en' or 'pt-BR'")
            }
            let result = try await services.knowledge.search.search(
                body.query, language: body.language, tenant: caller.tenantID, limit: limit)
            return try .json(
                SearchResponse(
                    confidence: result.confidence, mode: result.mode ?? services.knowledge.serverSearchMode,
                    passages: result.passages))
        }
    }

    static func ingest(
        _ source: KnowledgeIngestor.Source, tenant: TenantID, services: AppServices
    ) async throws -> KnowledgeStoreResult {
        do {
            return try await services.knowledge.ingestor.ingest(source, tenant: tenant)
        } catch let error as IngestionError {
            throw APIError.unprocessable(error.description)
        }
    }

    static func validate(url: String?) throws {
        guard let url else { return }
        guard url.unicodeScalars.count <= 2_048, let parsed = URL(string: url),
            ["http", "https"].contains(parsed.scheme ?? "")
        else {
            throw APIError.unprocessable("url must be an http or https URL")
        }
    }

    static func status(of result: KnowledgeStoreResult) -> HTTPResponse.Status {
        if case .created = result { return .created }
        return .ok
    }
}
