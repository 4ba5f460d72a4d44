import Foundation
import Hummingbird
import ParleyCore
import ParleyKnowledge
import ParleyStore

/// Websites crawled into the knowledge base, through the API.
///
/// Add one (its first crawl is queued at once), list them, re-sync one now, and delete one with the documents it
/// made. Only the tenant's verified domains can be crawled.
enum CrawlRoutes {
    struct CreateRequest: Decodable {
        var url: String
        var maxPages: Int?
        var maxDepth: Int?
        var delaySeconds: Double?
        var resyncHours: Int?

        enum CodingKeys: String, CodingKey {
            case url
            case maxPages = "max_pages"
            case maxDepth = "max_depth"
            case delaySeconds = "delay_seconds"
            case resyncHours = "resync_hours"
        }
    }

    /// A crawl source as the API shows it: its page records are summed up, not listed.
    struct SourceView: Encodable {
        var id: String
        var url: String
        var limits: CrawlLimits
        var resyncHours: Int?
        var status: String
        var lastError: String?
        var lastReport: CrawlReport?
        var pages: Int
        var documents: Int
        var lastCrawledAt: Date?
        var nextCrawlAt: Date?
        var createdAt: Date

        init(_ source: CrawlSource) {
            id = source.id.rawValue
            url = source.url
            limits = source.limits
            resyncHours = source.resyncHours
            status = source.status.rawValue
            lastError = source.lastError
            lastReport = source.lastReport
            pages = source.pages.count
            documents = source.pages.values.filter { $0.documentID != nil }.count
            lastCrawledAt = source.lastCrawledAt
            nextCrawlAt = source.nextCrawlAt
            createdAt = source.createdAt
        }

        enum CodingKeys: String, CodingKey {
            case id, url, limits, status, pages, documents
            case resyncHours = "resync_hours"
            case lastError = "last_error"
            case lastReport = "last_report"
            case lastCrawledAt = "last_crawled_at"
            case nextCrawlAt = "next_crawl_at"
            case createdAt = "created_at"
        }
    }

    struct QueuedResponse: Encodable {
        var crawl: SourceView
        var job: KnowledgeUploadRoutes.JobView
    }

    static func register(_ api: APIRouter, services: AppServices) {
        api.on(
            .post, "/api/knowledge/crawls",
            summary: "Crawl a website on one of the tenant's verified domains into the knowledge base; answers 202 "
                + "with the source and its first crawl job (resync_hours re-syncs it on a schedule)",
            tag: "knowledge", access: .staff(.agentManager),
            body: [
                "url": "string", "max_pages": "integer", "max_depth": "integer", "delay_seconds": "number",
                "resync_hours": "integer",
            ], required: ["url"]
        ) { request, context in
            let caller = try await services.authenticator.staff(request, minimum: .agentManager)
            let body = try await JSONBody.decode(CreateRequest.self, from: request, context: context)
            let limits = try limits(body)
            guard let url = CrawlURL.normalize(body.url), let host = url.host else {
                throw APIError.unprocessable("url must be an http or https URL")
            }
            let verified = try await services.store.domains.list(tenant: caller.tenantID)
                .filter { $0.verifiedAt != nil }.map(\.host)
            guard CrawlURL.host(host, isWithin: Set(verified)) else {
                throw APIError(
                    .unprocessableContent, "domain_not_verified",
                    "\(host) is not one of this tenant's verified domains; add and verify it under /api/domains first")
            }
            let now = Date()
            let source = CrawlSource(
                id: .generate(), tenantID: caller.tenantID, url: url.absoluteString, limits: limits,
                resyncHours: body.resyncHours, createdAt: now)
            let job = IngestionJob.crawl(of: source, at: now)
            try await services.store.crawlSources.create(source, job: job)
            services.ingestion.wake()
            return try .json(
                QueuedResponse(crawl: SourceView(source), job: .init(job)), status: .accepted)
        }
        api.on(
            .get, "/api/knowledge/crawls", summary: "The tenant's crawled websites, newest first", tag: "knowledge",
            access: .staff(.analyst)
        ) { request, _ in
            let caller = try await services.authenticator.staff(request, minimum: .analyst)
            return try .json([
                "crawls": try await services.store.crawlSources.list(tenant: caller.tenantID).map(SourceView.init)
            ])
        }
        api.on(
            .get, "/api/knowledge/crawls/:id", summary: "One crawled website: status, last report, schedule",
            tag: "knowledge", access: .staff(.analyst)
        ) { request, context in
            let caller = try await services.authenticator.staff(request, minimum: .analyst)
            return try .json(SourceView(try await source(context, tenant: caller.tenantID, services: services)))
        }
        api.on(
            .post, "/api/knowledge/crawls/:id/sync",
            summary:
                "Re-sync a crawled website now: unchanged pages are kept, changed ones replaced, gone ones removed",
            tag: "knowledge", access: .staff(.agentManager)
        ) { request, context in
            let caller = try await services.authenticator.staff(request, minimum: .agentManager)
            let source = try await source(context, tenant: caller.tenantID, services: services)
            let now = Date()
            let job = IngestionJob.crawl(of: source, at: now)
            guard try await services.store.crawlSources.enqueue(source.id, tenant: caller.tenantID, job: job, now: now)
            else {
                throw APIError(.conflict, "crawl_in_progress", "a crawl of this website is already queued or running")
            }
            services.ingestion.wake()
            var queued = source
            queued.status = .queued
            queued.nextCrawlAt = nil
            return try .json(QueuedResponse(crawl: SourceView(queued), job: .init(job)), status: .accepted)
        }
        api.on(
            .delete, "/api/knowledge/crawls/:id", summary: "Stop crawling a website and delete the documents it made",
            tag: "knowledge", access: .staff(.agentManager)
        ) { request, context in
            let caller = try await services.authenticator.staff(request, minimum: .agentManager)
            let id = CrawlSourceID(context.parameters.get("id") ?? "")
            switch try await services.store.crawlSources.delete(id, tenant: caller.tenantID) {
            case .notFound:
                throw APIError.notFound("crawl")
            case .busy:
                throw APIError(
                    .conflict, "crawl_in_progress", "a crawl of this website is running; delete it when it ends")
            case .deleted:
                return Response(status: .noContent)
            }
        }
    }

    /// The limits a request asks for, within what the API allows.
    static func limits(_ body: CreateRequest) throws -> CrawlLimits {
        let limits = CrawlLimits(maxPages: body.maxPages, maxDepth: body.maxDepth, delaySeconds: body.delaySeconds)
        guard (1...CrawlLimits.maxAllowedPages).contains(limits.maxPages) else {
            throw APIError.unprocessable("max_pages must be from 1 to \(CrawlLimits.maxAllowedPages)")
        }
        guard (0...CrawlLimits.maxAllowedDepth).contains(limits.maxDepth) else {
            throw APIError.unprocessable("max_depth must be from 0 to \(CrawlLimits.maxAllowedDepth)")
        }
        guard (0...60).contains(limits.delaySeconds) else {
            throw APIError.unprocessable("delay_seconds must be from 0 to 60")
        }
        if let hours = body.resyncHours, !(1...8_760).contains(hours) {
            throw APIError.unprocessable("resync_hours must be from 1 to 8760 (a year)")
        }
        return limits
    }

    private static func source(_ context: AppRequestContext, tenant: TenantID, services: AppServices) async throws
        -> CrawlSource
    {
        guard
            let source = try await services.store.crawlSources.get(
                CrawlSourceID(context.parameters.get("id") ?? ""), tenant: tenant)
        else { throw APIError.notFound("crawl") }
        return source
    }
}
