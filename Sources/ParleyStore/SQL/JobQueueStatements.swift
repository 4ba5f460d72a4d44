/// The ingestion queue's statements, the same on SQLite and PostgreSQL but for row locking: PostgreSQL's claim skips
/// rows another worker's transaction has locked (`FOR UPDATE SKIP LOCKED`); SQLite's single writer needs no lock.
enum JobQueueStatements {
    /// The job columns read back, without the file.
    static let columns = """
        id, tenant_id, kind, filename, title, source_key, url, status, progress, error, documents, attempts,
        run_after, created_at, updated_at
        """

    /// Dead-letters jobs whose lease ran out on their last attempt.
    ///
    /// Binds: empty file, now, now.
    static let buryAbandoned = """
        UPDATE ingestion_jobs SET status = 'dead', data = ?,
            error = COALESCE(error, 'the worker stopped during every attempt'), lease_owner = NULL,
            lease_expires_at = NULL, updated_at = ?
        WHERE status IN ('extracting', 'embedding') AND lease_expires_at < ? AND attempts >= max_attempts
        """

    /// The next job to claim: a job of a tenant with the fewest jobs running first, then the longest due.
    ///
    /// A tenant's five-hour crawl or hundred uploads do not hold back another tenant's upload while a worker slot is
    /// free; a tenant alone gets every slot.
    ///
    /// Binds: now, now, now.
    static func next(lockingClause: String) -> String {
        """
        SELECT id FROM ingestion_jobs AS due
        WHERE (status = 'queued' AND run_after <= ?)
            OR (status IN ('extracting', 'embedding') AND lease_expires_at < ?)
        ORDER BY (
                SELECT COUNT(*) FROM ingestion_jobs AS running
                WHERE running.tenant_id = due.tenant_id AND running.status IN ('extracting', 'embedding')
                    AND running.lease_expires_at >= ?
            ), run_after, created_at, id
        LIMIT 1 \(lockingClause)
        """
    }

    /// Claims one job.
    ///
    /// Binds: worker, lease end, now, id.
    static let claim = """
        UPDATE ingestion_jobs SET status = 'extracting', progress = 0.05, attempts = attempts + 1, lease_owner = ?,
            lease_expires_at = ?, updated_at = ?
        WHERE id = ? RETURNING \(columns), data
        """

    /// Progress and a longer lease.
    ///
    /// Binds: status, progress, lease end, now, id, tenant, worker.
    static let progress = """
        UPDATE ingestion_jobs SET status = ?, progress = ?, lease_expires_at = ?, updated_at = ?
        WHERE id = ? AND tenant_id = ? AND lease_owner = ? AND status IN ('extracting', 'embedding') RETURNING id
        """

    /// The end of a job.
    ///
    /// Binds: status, error, documents, empty file, now, id, tenant, worker.
    static let finish = """
        UPDATE ingestion_jobs SET status = ?, progress = 1, error = ?, documents = ?, data = ?, lease_owner = NULL,
            lease_expires_at = NULL, updated_at = ?
        WHERE id = ? AND tenant_id = ? AND lease_owner = ? AND status IN ('extracting', 'embedding') RETURNING id
        """

    /// Back to the queue, or dead.
    ///
    /// Binds: error, run after, empty file, now, id, tenant, worker.
    static let retry = """
        UPDATE ingestion_jobs SET status = CASE WHEN attempts >= max_attempts THEN 'dead' ELSE 'queued' END,
            progress = 0, error = ?, run_after = ?,
            data = CASE WHEN attempts >= max_attempts THEN ? ELSE data END, lease_owner = NULL,
            lease_expires_at = NULL, updated_at = ?
        WHERE id = ? AND tenant_id = ? AND lease_owner = ? AND status IN ('extracting', 'embedding')
        RETURNING status
        """
}
