import Foundation
import ParleyCore

/// Ingestion jobs in SQLite, the file a blob in the job's row until the job ends.
///
/// The single writer makes each claim atomic.
struct SQLiteIngestionJobRepository: IngestionJobRepository {
    let database: SQLiteDatabase

    func enqueue(_ job: IngestionJob, data: Data) async throws {
        try await database.query(SQLValues.ingestionJobInsertSQL, SQLValues.ingestionJobInsert(job, data: data))
    }

    func get(_ id: IngestionJobID, tenant: TenantID) async throws -> IngestionJob? {
        try await database.query(
            "SELECT \(JobQueueStatements.columns) FROM ingestion_jobs WHERE id = ? AND tenant_id = ?",
            [.text(id.rawValue), .text(tenant.rawValue)]
        ).first.map(StoredRows.ingestionJob)
    }

    func list(tenant: TenantID, limit: Int) async throws -> [IngestionJob] {
        try await database.query(
            """
            SELECT \(JobQueueStatements.columns) FROM ingestion_jobs WHERE tenant_id = ?
            ORDER BY created_at DESC, id LIMIT ?
            """,
            [.text(tenant.rawValue), .integer(limit)]
        ).map(StoredRows.ingestionJob)
    }

    func claimNext(worker: String, lease: TimeInterval, now: Date) async throws -> (job: IngestionJob, data: Data)? {
        let time = SQLValues.date(now)
        let row = try await database.transaction { transaction -> SQLRow? in
            try transaction.query(JobQueueStatements.buryAbandoned, [.blob([]), time, time])
            guard
                let next = try transaction.query(JobQueueStatements.next(lockingClause: ""), [time, time, time]).first
            else { return nil }
            return try transaction.query(
                JobQueueStatements.claim,
                [.text(worker), SQLValues.date(now + lease), time, next.column("id") ?? .null]
            ).first
        }
        return try row.map(StoredRows.claimedJob)
    }

    func progress(
        _ id: IngestionJobID, tenant: TenantID, worker: String, status: IngestionJob.Status, progress: Double,
        lease: TimeInterval, now: Date
    ) async throws -> Bool {
        !(try await database.query(
            JobQueueStatements.progress,
            [
                .text(status.rawValue), .float(min(max(progress, 0), 1)), SQLValues.date(now + lease),
                SQLValues.date(now), .text(id.rawValue), .text(tenant.rawValue), .text(worker),
            ]
        ).isEmpty)
    }

    func finish(
        _ id: IngestionJobID, tenant: TenantID, worker: String, status: IngestionJob.Status, error: String?,
        documents: Int, now: Date
    ) async throws -> Bool {
        !(try await database.query(
            JobQueueStatements.finish,
            [
                .text(status.rawValue), SQLValues.text(error), .integer(documents), .blob([]), SQLValues.date(now),
                .text(id.rawValue), .text(tenant.rawValue), .text(worker),
            ]
        ).isEmpty)
    }

    func retry(
        _ id: IngestionJobID, tenant: TenantID, worker: String, error: String, runAfter: Date, now: Date
    ) async throws -> IngestionJob.Status? {
        try await database.query(
            JobQueueStatements.retry,
            [
                .text(error), SQLValues.date(runAfter), .blob([]), SQLValues.date(now), .text(id.rawValue),
                .text(tenant.rawValue), .text(worker),
            ]
        ).first.flatMap { $0.column("status")?.string }.flatMap(IngestionJob.Status.init(rawValue:))
    }
}
