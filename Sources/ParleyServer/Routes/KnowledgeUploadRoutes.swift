import Foundation
import Hummingbird
import NIOPosix
import ParleyCore
import ParleyKnowledge

/// Files into the knowledge base: PDF, Word, HTML, Markdown, plain text, and `question,answer` CSV as FAQ entries.
enum KnowledgeUploadRoutes {
    static let path = "/api/knowledge/uploads"
    /// The largest file accepted.
    static let maxBytes = 20 << 20

    struct UploadResponse: Encodable {
        /// The format the file's bytes showed.
        var format: String
        /// One entry per document stored: one for a document, one per row for a CSV.
        var documents: [KnowledgeRoutes.StoreResponse]
        /// CSV rows skipped for an empty question or answer.
        var skipped: Int
    }

    static func register(_ api: APIRouter, services: AppServices) {
        api.on(
            .post, path,
            summary: "Upload a file (multipart/form-data: file, title, source_key, url): PDF, DOCX, HTML, Markdown, "
                + "text, or a question,answer CSV of FAQ entries; the type is read from the bytes",
            tag: "knowledge", access: .staff(.agentManager), body: ["file": "string"], required: ["file"]
        ) { request, context in
            let caller = try await services.authenticator.staff(request, minimum: .agentManager)
            let type = request.headers[.contentType] ?? ""
            guard type.lowercased().hasPrefix("multipart/form-data") else {
                throw APIError(
                    .unsupportedMediaType, "multipart_required", "send the file as multipart/form-data (field 'file')")
            }
            let body: ByteBuffer
            do {
                body = try await request.body.collect(upTo: maxBytes + 64 * 1_024)
            } catch {
                throw APIError(.contentTooLarge, "file_too_large", "files may be at most \(maxBytes >> 20) MiB")
            }
            // The form: the file, and optionally its title, a source key (the file name when omitted) and a URL.
            guard let form = MultipartForm(body, contentType: type), let file = form.part("file") else {
                throw APIError.unprocessable("the form must carry the file in a part named 'file'")
            }
            let filename = file.filename
            let data = Data(buffer: file.body)
            guard !data.isEmpty else { throw APIError.unprocessable("the file is empty") }
            let url = form.text("url")
            try KnowledgeRoutes.validate(url: url)
            // Extraction parses untrusted bytes and may wait for pdftotext: off the cooperative threads.
            let (format, extracted) = try await NIOThreadPool.singleton.runIfActive {
                do {
                    return try DocumentExtractor.extract(data, filename: filename)
                } catch {
                    throw APIError(.unprocessableContent, "unreadable_file", "\(error)")
                }
            }
            let name = filename.map { String($0.prefix(500)) }
            var stored: [KnowledgeRoutes.StoreResponse] = []
            var skipped = 0
            switch extracted {
            case .document(let title, let content):
                let chosen = (form.text("title") ?? title ?? name ?? "Untitled document")
                    .trimmingCharacters(in: .whitespaces)
                let key = form.text("source_key") ?? name ?? chosen
                let result = try await KnowledgeRoutes.ingest(
                    .init(content: content, sourceKey: "file:" + key, title: String(chosen.prefix(500)), url: url),
                    tenant: caller.tenantID, services: services)
                stored.append(.init(result))
            case .faq(let entries, let rowsSkipped):
                skipped = rowsSkipped
                for entry in entries {
                    let result = try await KnowledgeRoutes.ingest(
                        .init(
                            content: .faq(question: entry.question, answer: entry.answer),
                            sourceKey: "faq:" + entry.question, title: String(entry.question.prefix(500)),
                            url: url), tenant: caller.tenantID, services: services)
                    stored.append(.init(result))
                }
            }
            context.logger.info(
                "knowledge file ingested",
                metadata: ["format": "\(format.rawValue)", "documents": "\(stored.count)", "bytes": "\(data.count)"])
            return try .json(
                UploadResponse(format: format.rawValue, documents: stored, skipped: skipped), status: .created)
        }
    }
}
