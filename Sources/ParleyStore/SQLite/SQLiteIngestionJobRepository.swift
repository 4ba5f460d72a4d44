import Foundation
import ParleyCore

/// Ingestion jobs in SQLite; the file is a blob in the job's row until the job ends.
struct SQLiteIngestionJobRepository: IngestionJobRepository {
    let database: SQLiteDatabase

    func enqueue(_ job: IngestionJob, data: Data) async throws {
        try await database.query(
            """
            INSERT INTO ingestion_jobs (id, tenant_id, filename, title, source_key, url, status, progress, error,
                documents, data, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, 0, NULL, 0, ?, ?, ?)
            """,
            [
                .text(job.id.rawValue), .text(job.tenantID.rawValue), SQLiteValues.text(job.filename),
                SQLiteValues.text(job.title), SQLiteValues.text(job.sourceKey), SQLiteValues.text(job.url),
                .text(job.status.rawValue), .blob(Array(data)), SQLiteValues.date(job.createdAt),
                SQLiteValues.date(job.updatedAt),
            ])
    }

    func get(_ id: IngestionJobID, tenant: TenantID) async throws -> IngestionJob? {
        try await database.query(
            "SELECT \(Self.columns) FROM ingestion_jobs WHERE id = ? AND tenant_id = ?",
            [.text(id.rawValue), .text(tenant.rawValue)]
        ).first.map(Self.job)
    }

    func list(tenant: TenantID, limit: Int) async throws -> [IngestionJob] {
        try await database.query(
            "SELECT \(Self.columns) FROM ingestion_jobs WHERE tenant_id = ? ORDER BY created_at DESC, id LIMIT ?",
            [.text(tenant.rawValue), .integer(limit)]
        ).map(Self.job)
    }

    func claimNext() async throws -> (job: IngestionJob, data: Data)? {
        let now = SQLiteValues.date(Date())
        let row = try await database.transaction { transaction -> SQLiteRow? in
            guard
                let next = try transaction.query(
                    "SELECT id FROM ingestion_jobs WHERE status = 'queued' ORDER BY created_at, id LIMIT 1"
                ).first?.column("id")
            else { return nil }
            return try transaction.query(
                """
                UPDATE ingestion_jobs SET status = 'extracting', progress = 0.05, updated_at = ? WHERE id = ?
                RETURNING \(Self.columns), data
                """, [now, next]
            ).first
        }
        guard let row else { return nil }
        guard case .blob(let bytes) = row.column("data") else { throw SQLiteColumnError(column: "data") }
        return (try Self.job(row), Data(bytes))
    }

    func update(
        _ id: IngestionJobID, tenant: TenantID, status: IngestionJob.Status, progress: Double, error: String?,
        documents: Int
    ) async throws {
        let finished = status == .ready || status == .failed
        try await database.query(
            """
            UPDATE ingestion_jobs SET status = ?, progress = ?, error = ?, documents = ?, updated_at = ?
            \(finished ? ", data = X''" : "") WHERE id = ? AND tenant_id = ?
            """,
            [
                .text(status.rawValue), .float(min(max(progress, 0), 1)), SQLiteValues.text(error),
                .integer(documents), SQLiteValues.date(Date()), .text(id.rawValue), .text(tenant.rawValue),
            ])
    }

    func requeueUnfinished() async throws -> Int {
        try await database.query(
            """
            UPDATE ingestion_jobs SET status = 'queued', progress = 0, updated_at = ?
            WHERE status IN ('extracting', 'embedding') RETURNING id
            """, [SQLiteValues.date(Date())]
        ).count
    }

    static let columns =
        "id, tenant_id, filename, title, source_key, url, status, progress, error, documents, created_at, updated_at"

    static func job(_ row: SQLiteRow) throws -> IngestionJob {
        guard let status = IngestionJob.Status(rawValue: try row.string("status")) else {
            throw SQLiteColumnError(column: "status")
        }
        var job = IngestionJob(
            id: try row.id("id"), tenantID: try row.id("tenant_id"), filename: row.column("filename")?.string,
            title: row.column("title")?.string, sourceKey: row.column("source_key")?.string,
            url: row.column("url")?.string, createdAt: try row.date("created_at"))
        job.status = status
        job.progress = row.column("progress")?.double ?? 0
        job.error = row.column("error")?.string
        job.documents = try row.int("documents")
        job.updatedAt = try row.date("updated_at")
        return job
    }
}
