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
}
