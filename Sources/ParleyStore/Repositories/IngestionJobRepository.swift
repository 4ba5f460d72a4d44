import Foundation
import ParleyCore

/// Durable ingestion jobs: the uploaded bytes wait here until a worker has read them into the knowledge base.
public protocol IngestionJobRepository: Sendable {
    /// Queues a job with its file.
    func enqueue(_ job: IngestionJob, data: Data) async throws
    /// The tenant's job with this id.
    func get(_ id: IngestionJobID, tenant: TenantID) async throws -> IngestionJob?
    /// The tenant's jobs, newest first.
    func list(tenant: TenantID, limit: Int) async throws -> [IngestionJob]
    /// Takes the oldest queued job of any tenant for a worker (it becomes `extracting`), with its file.
    func claimNext() async throws -> (job: IngestionJob, data: Data)?
    /// Records a job's progress; a job that is `ready` or `failed` lets its file go.
    func update(
        _ id: IngestionJobID, tenant: TenantID, status: IngestionJob.Status, progress: Double, error: String?,
        documents: Int
    ) async throws
    /// Puts jobs a stopped worker left half done back in the queue; returns how many.
    @discardableResult
    func requeueUnfinished() async throws -> Int
}
