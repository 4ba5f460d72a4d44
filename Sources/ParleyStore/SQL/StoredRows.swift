import Foundation
import ParleyCore

/// Domain values read from stored rows; SQLite and PostgreSQL store the same columns and share these readers.
enum StoredRows {
    static func apiKey(_ row: SQLRow) throws -> ApiKey {
        guard let role = Role(rawValue: try row.string("role")) else { throw SQLColumnError(column: "role") }
        return ApiKey(
            id: try row.id("id"), tenantID: try row.id("tenant_id"), name: try row.string("name"),
            prefix: try row.string("prefix"), role: role, createdAt: try row.date("created_at"),
            revokedAt: row.optionalDate("revoked_at"), createdBy: row.optionalString("created_by").map { UserID($0) })
    }

    static func chainVersion(_ row: SQLRow) throws -> ChainConfigVersion {
        ChainConfigVersion(
            version: try row.int("version"), config: try row.json("config", as: ChainConfig.self),
            createdBy: row.optionalID("created_by"))
    }

    static func conversation(_ row: SQLRow) throws -> Conversation {
        guard let state = ConversationState(rawValue: try row.string("state")) else {
            throw SQLColumnError(column: "state")
        }
        return Conversation(
            id: try row.id("id"), tenantID: try row.id("tenant_id"), visitorID: try row.id("visitor_id"),
            state: state, tags: Set(try row.jsonStrings("tags")), botFailures: try row.int("bot_failures"),
            createdAt: try row.date("created_at"), updatedAt: try row.date("updated_at"),
            sentimentTrend: row.optionalString("sentiment_trend") == nil
                ? nil : try row.json("sentiment_trend", as: SentimentTrendState.self),
            handoff: row.optionalString("handoff") == nil ? nil : try row.json("handoff", as: Handoff.self),
            assignedAgent: row.optionalID("assigned_agent"),
            recentQuestions: try row.jsonStrings("recent_questions"))
    }

    static func domain(_ row: SQLRow) throws -> WebsiteDomain {
        WebsiteDomain(
            id: try row.id("id"), tenantID: try row.id("tenant_id"), host: try row.string("host"),
            verificationToken: try row.string("verification_token"), verifiedAt: row.optionalDate("verified_at"),
            createdAt: try row.date("created_at"))
    }

    static func ingestionJob(_ row: SQLRow) throws -> IngestionJob {
        guard let status = IngestionJob.Status(rawValue: try row.string("status")) else {
            throw SQLColumnError(column: "status")
        }
        var job = IngestionJob(
            id: try row.id("id"), tenantID: try row.id("tenant_id"),
            kind: row.optionalString("kind").flatMap(IngestionJob.Kind.init(rawValue:)) ?? .file,
            filename: row.column("filename")?.string,
            title: row.column("title")?.string, sourceKey: row.column("source_key")?.string,
            url: row.column("url")?.string, createdAt: try row.date("created_at"))
        job.status = status
        job.progress = row.column("progress")?.double ?? 0
        job.error = row.column("error")?.string
        job.documents = try row.int("documents")
        job.attempts = row.column("attempts")?.integer ?? 0
        if job.status == .queued, job.attempts > 0 { job.nextAttemptAt = row.optionalDate("run_after") }
        job.updatedAt = try row.date("updated_at")
        return job
    }

    static func crawlSource(_ row: SQLRow) throws -> CrawlSource {
        guard let status = CrawlSource.Status(rawValue: try row.string("status")) else {
            throw SQLColumnError(column: "status")
        }
        var source = CrawlSource(
            id: try row.id("id"), tenantID: try row.id("tenant_id"), url: try row.string("url"),
            limits: try row.json("limits", as: CrawlLimits.self), resyncHours: row.column("resync_hours")?.integer,
            createdAt: try row.date("created_at"))
        source.status = status
        source.lastError = row.optionalString("last_error")
        if row.optionalString("last_report") != nil {
            source.lastReport = try row.json("last_report", as: CrawlReport.self)
        }
        source.pages = try row.json("pages", as: [String: CrawledPage].self)
        source.lastCrawledAt = row.optionalDate("last_crawled_at")
        source.nextCrawlAt = row.optionalDate("next_crawl_at")
        source.updatedAt = try row.date("updated_at")
        return source
    }

    static func document(_ row: SQLRow) throws -> KnowledgeDocument {
        KnowledgeDocument(
            id: try row.id("id"), tenantID: try row.id("tenant_id"), kind: try row.string("kind"),
            sourceKey: try row.string("source_key"), title: try row.string("title"), url: row.optionalString("url"),
            contentHash: try row.string("content_hash"), version: try row.int("version"),
            chunkCount: try row.int("chunk_count"), embeddingModel: row.optionalString("embedding_model"),
            language: row.optionalString("language"), createdAt: try row.date("created_at"),
            updatedAt: try row.date("updated_at"))
    }

    static func chunk(_ row: SQLRow) throws -> KnowledgeChunk {
        var embedding: [Float]?
        if case .blob(let bytes) = row.column("embedding") { embedding = SQLValues.floats(bytes) }
        return KnowledgeChunk(
            id: try row.string("id"), tenantID: try row.id("tenant_id"), documentID: try row.id("document_id"),
            position: try row.int("position"), title: try row.string("title"),
            headingPath: try row.jsonStrings("heading_path"), url: row.optionalString("url"),
            text: try row.string("text"), embedding: embedding)
    }

    static func message(_ row: SQLRow) throws -> Message {
        guard let role = MessageRole(rawValue: try row.string("role")) else { throw SQLColumnError(column: "role") }
        return Message(
            id: try row.id("id"), tenantID: try row.id("tenant_id"), conversationID: try row.id("conversation_id"),
            role: role, text: try row.string("text"), clientMessageID: row.optionalString("client_message_id"),
            inReplyTo: row.optionalID("in_reply_to"), metadata: try row.jsonObject("metadata"),
            createdAt: try row.date("created_at"))
    }

    static func ruleVersion(_ row: SQLRow) throws -> RuleVersion {
        RuleVersion(
            tenantID: try row.id("tenant_id"), name: try row.string("name"), version: try row.int("version"),
            source: try row.string("source"), fixtures: row.optionalString("fixtures"),
            createdBy: row.optionalID("created_by"), createdAt: try row.date("created_at"))
    }

    static func tenant(_ row: SQLRow) throws -> Tenant {
        Tenant(
            id: try row.id("id"), name: try row.string("name"), widgetKey: try row.string("widget_key"),
            fallbackText: try row.string("fallback_text"), createdAt: try row.date("created_at"),
            plan: try row.json("plan", as: TenantPlan.self))
    }

    static func turn(_ row: SQLRow) throws -> TurnRecord {
        TurnRecord(
            tenantID: try row.id("tenant_id"), conversationID: try row.id("conversation_id"),
            messageID: try row.id("message_id"), decision: try row.string("decision"),
            decidedBy: row.optionalString("decided_by"), replyID: row.optionalID("reply_id"),
            trace: try row.json("trace", as: [TraceEntry].self), createdAt: try row.date("created_at"),
            ruleInput: try row.optionalString("rule_input").map { try JSONTextReader.value(of: $0) })
    }

    /// A refresh token; a token stored before sessions had an end ends its session 60 days after it expires.
    static func refreshToken(_ row: SQLRow) throws -> RefreshTokenRecord {
        let expires = try row.date("expires_at")
        return RefreshTokenRecord(
            tokenHash: try row.string("token_hash"), userID: try row.id("user_id"), tenantID: try row.id("tenant_id"),
            familyID: try row.string("family_id"), expiresAt: expires,
            sessionEndsAt: row.optionalDate("session_ends_at") ?? expires + 60 * 24 * 3600)
    }

    static func user(_ row: SQLRow) throws -> User {
        guard let role = Role(rawValue: try row.string("role")) else { throw SQLColumnError(column: "role") }
        return User(
            id: try row.id("id"), tenantID: try row.id("tenant_id"), email: try row.string("email"),
            name: try row.string("name"), role: role, passwordHash: try row.string("password_hash"),
            createdAt: try row.date("created_at"))
    }

    static func visitor(_ row: SQLRow) throws -> Visitor {
        Visitor(
            id: try row.id("id"), tenantID: try row.id("tenant_id"),
            attributes: try row.jsonObject("attributes"),
            firstSeenAt: try row.date("first_seen_at"), lastSeenAt: try row.date("last_seen_at"),
            visits: try row.int("visits"))
    }

    static func feedback(_ row: SQLRow) throws -> Feedback {
        Feedback(
            messageID: try row.id("message_id"), tenantID: try row.id("tenant_id"), rating: try row.int("rating"),
            comment: row.optionalString("comment"), createdAt: try row.date("created_at"))
    }

    /// A job a worker claimed, and its file.
    static func claimedJob(_ row: SQLRow) throws -> (job: IngestionJob, data: Data) {
        guard case .blob(let bytes) = row.column("data") else { throw SQLColumnError(column: "data") }
        return (try ingestionJob(row), Data(bytes))
    }
}
