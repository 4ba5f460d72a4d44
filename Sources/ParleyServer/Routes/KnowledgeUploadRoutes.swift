import Foundation
import Hummingbird
import ParleyCore
import ParleyKnowledge

/// Files into the knowledge base: PDF, Word, HTML, Markdown, plain text, and `question,answer` CSV as FAQ entries.
enum KnowledgeUploadRoutes {
    static let path = "/api/knowledge/uploads"
    /// Where files are queued as background jobs; the same limit applies.
    static let jobsPath = "/api/knowledge/jobs"
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
            let upload = try await UploadedFile(request)
            let (data, filename, url) = (upload.data, upload.filename, upload.url)
            // Extraction parses untrusted bytes and may wait for pdftotext: on its own threads.
            let (format, extracted) = try await ExtractionThreads.run {
                do {
                    return try DocumentExtractor.extract(data, filename: filename)
                } catch {
                    throw APIError(.unprocessableContent, "unreadable_file", "\(error)")
                }
            }
            let outcome: KnowledgeIngestor.FileOutcome
            do {
                outcome = try await services.knowledge.ingestor.ingest(
                    extracted, filename: filename, title: upload.title, sourceKey: upload.sourceKey, url: url,
                    tenant: caller.tenantID)
            } catch let error as IngestionError {
                throw APIError.unprocessable(error.description)
            }
            let stored = outcome.results.map(KnowledgeRoutes.StoreResponse.init)
            let skipped = outcome.skipped
            context.logger.info(
                "knowledge file ingested",
                metadata: ["format": "\(format.rawValue)", "documents": "\(stored.count)", "bytes": "\(data.count)"])
            return try .json(
                UploadResponse(format: format.rawValue, documents: stored, skipped: skipped), status: .created)
        }

        api.on(
            .post, jobsPath,
            summary: "Queue a file (multipart/form-data, as for uploads) to be read in the background; answers 202 "
                + "with the job, whose status and progress GET /api/knowledge/jobs/:id reports",
            tag: "knowledge", access: .staff(.agentManager), body: ["file": "string"], required: ["file"]
        ) { request, _ in
            let caller = try await services.authenticator.staff(request, minimum: .agentManager)
            let upload = try await UploadedFile(request)
            let job = IngestionJob(
                id: .generate(), tenantID: caller.tenantID, filename: upload.filename.map { String($0.prefix(500)) },
                title: upload.title, sourceKey: upload.sourceKey, url: upload.url, createdAt: Date())
            try await services.store.ingestionJobs.enqueue(job, data: upload.data)
            services.ingestion.wake()
            return try .json(JobView(job), status: .accepted)
        }
        api.on(
            .get, "/api/knowledge/jobs", summary: "The tenant's ingestion jobs, newest first", tag: "knowledge",
            access: .staff(.analyst)
        ) { request, _ in
            let caller = try await services.authenticator.staff(request, minimum: .analyst)
            let jobs = try await services.store.ingestionJobs.list(tenant: caller.tenantID, limit: 200)
            return try .json(["jobs": jobs.map(JobView.init)])
        }
        api.on(
            .get, "/api/knowledge/jobs/:id", summary: "One ingestion job: status, progress, documents, error",
            tag: "knowledge", access: .staff(.analyst)
        ) { request, context in
            let caller = try await services.authenticator.staff(request, minimum: .analyst)
            guard
                let job = try await services.store.ingestionJobs.get(
                    IngestionJobID(context.parameters.get("id") ?? ""), tenant: caller.tenantID)
            else { throw APIError.notFound("job") }
            return try .json(JobView(job))
        }
    }

    /// A job as the API shows it.
    struct JobView: Encodable {
        var id: String
        var kind: String
        /// The crawl source a `crawl` job crawls.
        var crawlID: String?
        var filename: String?
        var status: String
        var progress: Double
        var documents: Int
        var error: String?
        var attempts: Int
        var nextAttemptAt: Date?
        var createdAt: Date
        var updatedAt: Date

        init(_ job: IngestionJob) {
            id = job.id.rawValue
            kind = job.kind.rawValue
            crawlID = job.kind == .crawl ? job.sourceKey : nil
            filename = job.filename
            status = job.status.rawValue
            progress = (job.progress * 100).rounded() / 100
            documents = job.documents
            error = job.error
            attempts = job.attempts
            nextAttemptAt = job.nextAttemptAt
            createdAt = job.createdAt
            updatedAt = job.updatedAt
        }

        enum CodingKeys: String, CodingKey {
            case id, kind, filename, status, progress, documents, error, attempts
            case crawlID = "crawl_id"
            case nextAttemptAt = "next_attempt_at"
            case createdAt = "created_at"
            case updatedAt = "updated_at"
        }
    }
}

/// A file uploaded as `multipart/form-data` (field `file`), with the optional `title`, `source_key` and `url`
/// fields, checked.
struct UploadedFile {
    var data: Data
    var filename: String?
    var title: String?
    var sourceKey: String?
    var url: String?

    init(_ request: Request) async throws {
        let type = request.headers[.contentType] ?? ""
        guard type.lowercased().hasPrefix("multipart/form-data") else {
            throw APIError(
                .unsupportedMediaType, "multipart_required", "send the file as multipart/form-data (field 'file')")
        }
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: KnowledgeUploadRoutes.maxBytes + 64 * 1_024)
        } catch {
            throw APIError(
                .contentTooLarge, "file_too_large", "files may be at most \(KnowledgeUploadRoutes.maxBytes >> 20) MiB")
        }
        guard let form = MultipartForm(body, contentType: type), let file = form.part("file") else {
            throw APIError.unprocessable("the form must carry the file in a part named 'file'")
        }
        data = Data(buffer: file.body)
        guard !data.isEmpty else { throw APIError.unprocessable("the file is empty") }
        filename = file.filename
        // A field left empty (a form's blank input) is one not given: the title and key then come from the file.
        func given(_ name: String) throws -> String? {
            guard let text = try form.text(name)?.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty
            else { return nil }
            return text
        }
        title = try given("title")
        sourceKey = try given("source_key")
        url = try form.text("url")
        try KnowledgeRoutes.validate(url: url)
        // The limits of a document added as text (POST /api/knowledge/documents); a file's key is its name after
        // "file:", so the name has a limit of its own.
        if let title, title.unicodeScalars.count > KnowledgeRoutes.maxTitle {
            throw APIError.unprocessable("title must be at most \(KnowledgeRoutes.maxTitle) characters")
        }
        if let sourceKey, sourceKey.unicodeScalars.count > KnowledgeRoutes.maxSourceKey {
            throw APIError.unprocessable("source_key must be at most \(KnowledgeRoutes.maxSourceKey) characters")
        }
        if let filename, filename.unicodeScalars.count > KnowledgeRoutes.maxTitle {
            throw APIError.unprocessable("the file name must be at most \(KnowledgeRoutes.maxTitle) characters")
        }
    }
}
