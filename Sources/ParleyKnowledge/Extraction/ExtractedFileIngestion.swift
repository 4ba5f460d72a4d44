import Foundation
import ParleyCore
import ParleyStore

extension KnowledgeIngestor {
    /// What storing an extracted file did: one result per document stored, and CSV rows skipped.
    public struct FileOutcome: Sendable {
        public var results: [KnowledgeStoreResult]
        public var skipped: Int
    }

    /// Stores what `DocumentExtractor` read from a file: one document (titled by `title`, else the file's own
    /// title, else its name; keyed by `sourceKey`, else the name) or one FAQ entry per CSV row.
    ///
    /// `progress` hears the share of the work done after each document.
    public func ingest(
        _ extracted: DocumentExtractor.Extracted, filename: String?, title: String?, sourceKey: String?, url: String?,
        tenant: TenantID, progress: (@Sendable (Double) async -> Void)? = nil
    ) async throws -> FileOutcome {
        let name = filename.map { String($0.prefix(500)) }
        try Self.check(extracted, sourceKey: sourceKey)
        switch extracted {
        case .document(let ownTitle, let content):
            let chosen = (title ?? ownTitle ?? name ?? "Untitled document").trimmingCharacters(in: .whitespaces)
            let key = sourceKey ?? name ?? chosen
            let result = try await ingest(
                .init(content: content, sourceKey: "file:" + key, title: String(chosen.prefix(500)), url: url),
                tenant: tenant)
            await progress?(1)
            return FileOutcome(results: [result], skipped: 0)
        case .faq(let entries, let skipped):
            var results: [KnowledgeStoreResult] = []
            for (index, entry) in entries.enumerated() {
                results.append(
                    try await ingest(
                        .init(
                            content: .faq(question: entry.question, answer: entry.answer),
                            sourceKey: "faq:" + entry.question, title: String(entry.question.prefix(500)), url: url),
                        tenant: tenant))
                await progress?(Double(index + 1) / Double(entries.count))
            }
            return FileOutcome(results: results, skipped: skipped)
        }
    }

    /// Most characters of a document's text, of an FAQ question or answer, and of a source key.
    public static let maxTextCharacters = 512 * 1_024
    public static let maxQuestionCharacters = 1_000
    public static let maxSourceKeyCharacters = 1_000

    /// Refuses a file whose parts are longer than the knowledge base takes, before anything is stored.
    static func check(_ extracted: DocumentExtractor.Extracted, sourceKey: String?) throws(IngestionError) {
        if (sourceKey?.count ?? 0) > maxSourceKeyCharacters { throw .tooLong("source_key") }
        switch extracted {
        case .document(_, let content):
            switch content {
            case .markdown(let text), .text(let text):
                if text.count > maxTextCharacters { throw .tooLong("the document's text (over 512 KiB)") }
            case .faq(let question, let answer):
                if question.count > maxQuestionCharacters || answer.count > maxTextCharacters {
                    throw .tooLong("an FAQ entry")
                }
            }
        case .faq(let entries, _):
            if entries.contains(where: {
                $0.question.count > maxQuestionCharacters || $0.answer.count > maxTextCharacters
            }) {
                throw .tooLong("an FAQ row's question (over 1000 characters) or answer")
            }
        }
    }
}
