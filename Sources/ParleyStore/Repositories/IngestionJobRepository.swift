import Foundation
import ParleyCore

/// Durable ingestion jobs: a queue in a table.
///
/// The uploaded bytes wait in the job's row until a worker has read them into the knowledge base.
///
/// A worker claims a job with a lease and renews it while it works; a job whose lease runs out (its worker crashed or
/// lost the database) is claimed again by any worker. Transient failures go back in the queue with exponential
/// backoff; after `IngestionJob.maxAttempts` attempts a job becomes a dead letter. Ingestion is idempotent (a
/// document with the same source key and content is stored once), so running a job twice does no harm.
public protocol IngestionJobRepository: Sendable {
    /// Queues a job with its file.
    func enqueue(_ job: IngestionJob, data: Data) async throws
    /// The tenant's job with this id.
    func get(_ id: IngestionJobID, tenant: TenantID) async throws -> IngestionJob?
    /// The tenant's jobs, newest first.
    func list(tenant: TenantID, limit: Int) async throws -> [IngestionJob]
    /// Takes the next job of any tenant for `worker`, leased until `now + lease`: the oldest queued job whose time
    /// has come, or a job whose last worker's lease ran out. Its attempts go up by one and it becomes `extracting`.
    /// A job whose lease ran out on its last attempt becomes `dead` instead. Two workers never hold one job.
    func claimNext(worker: String, lease: TimeInterval, now: Date) async throws -> (job: IngestionJob, data: Data)?
    /// Records progress of a job `worker` holds and extends its lease to `now + lease`; false when the worker no
    /// longer holds it (its lease ran out and another worker took the job), and must stop.
    func progress(
        _ id: IngestionJobID, tenant: TenantID, worker: String, status: IngestionJob.Status, progress: Double,
        lease: TimeInterval, now: Date
    ) async throws -> Bool
    /// Ends a job `worker` holds as `ready`, `failed` or `dead`, letting its file go; false when it no longer holds
    /// it.
    func finish(
        _ id: IngestionJobID, tenant: TenantID, worker: String, status: IngestionJob.Status, error: String?,
        documents: Int, now: Date
    ) async throws -> Bool
    /// Puts a job `worker` holds back in the queue after a transient failure, to run again at `runAfter`, or makes it
    /// `dead` when it has used its attempts; returns the new status, or nil when the worker no longer holds it.
    func retry(
        _ id: IngestionJobID, tenant: TenantID, worker: String, error: String, runAfter: Date, now: Date
    ) async throws -> IngestionJob.Status?
}
