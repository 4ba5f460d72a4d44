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
                .text(job.id.rawValue), .text(job.tenantID.rawValue), SQLValues.text(job.filename),
                SQLValues.text(job.title), SQLValues.text(job.sourceKey), SQLValues.text(job.url),
                .text(job.status.rawValue), .blob(Array(data)), SQLValues.date(job.createdAt),
                SQLValues.date(job.updatedAt),
            ])
    }

    func get(_ id: IngestionJobID, tenant: TenantID) async throws -> IngestionJob? {
        try await database.query(
            "SELECT \(Self.columns) FROM ingestion_jobs WHERE id = ? AND tenant_id = ?",
            [.text(id.rawValue), .text(tenant.rawValue)]
        ).first.map(StoredRows.ingestionJob)
    }

    func list(tenant: TenantID, limit: Int) async throws -> [IngestionJob] {
        try await database.query(
            "SELECT \(Self.columns) FROM ingestion_jobs WHERE tenant_id = ? ORDER BY created_at DESC, id LIMIT ?",
            [.text(tenant.rawValue), .integer(limit)]
        ).map(StoredRows.ingestionJob)
    }

    func claimNext() async throws -> (job: IngestionJob, data: Data)? {
        let now = SQLValues.date(Date())
        let row = try await database.transaction { transaction -> SQLRow? in
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
        guard case .blob(let bytes) = row.column("data") else { throw SQLColumnError(column: "data") }
        return (try StoredRows.ingestionJob(row), Data(bytes))
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
                .text(status.rawValue), .float(min(max(progress, 0), 1)), SQLValues.text(error),
                .integer(documents), SQLValues.date(Date()), .text(id.rawValue), .text(tenant.rawValue),
            ])
    }

    func requeueUnfinished() async throws -> Int {
        try await database.query(
            """
            UPDATE ingestion_jobs SET status = 'queued', progress = 0, updated_at = ?
            WHERE status IN ('extracting', 'embedding') RETURNING id
            """, [SQLValues.date(Date())]
        ).count
    }

    static let columns =
        "id, tenant_id, filename, title, source_key, url, status, progress, error, documents, created_at, updated_at"
}
