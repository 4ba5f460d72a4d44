import Foundation
import Logging
import ParleyCore
import ParleyKnowledge
import ParleyStore
import ServiceLifecycle
import Synchronization

/// Reads queued files into the knowledge base and crawls queued websites, `slots` jobs at a time, recording each
/// job's status and progress; queues the crawls whose re-sync is due.
///
/// Each free slot takes the job of a tenant with the fewest jobs running (`IngestionJobRepository.claimNext`), so a
/// tenant's hours-long crawl holds one slot, not the whole queue.
///
/// Jobs live in the store with their file, so they survive a crash: a worker holds each job on a lease that it renews
/// while it works, and a job whose lease runs out (its worker died mid-job, on this replica or another) is claimed
/// again. A file that cannot be read fails at once; other failures (the database, a remote embedder) are retried
/// with exponential backoff, and a job that fails every attempt becomes a dead letter. The worker wakes when a job is
/// queued here, and looks once a second besides (another replica may have queued one).
final class IngestionWorker: Service, Sendable {
    private let store: any ParleyStore
    private let ingestor: KnowledgeIngestor
    private let logger: Logger
    /// Whether crawls may reach loopback and private addresses.
    private let allowPrivateNetworks: Bool
    /// Set when a job is queued here; the idle loop looks at it between naps.
    private let woken = Atomic<Bool>(false)
    /// This worker's name on the leases it holds.
    let name = "worker-" + UUID().uuidString.lowercased()
    /// How long a lease lasts without renewal; the worker renews it every third of that.
    let lease: TimeInterval
    /// The delay before the first retry; each further retry waits twice as long, up to `maximumBackoff`.
    let backoff: TimeInterval
    private static let maximumBackoff: TimeInterval = 600
    /// How often the worker looks for crawl sources whose re-sync is due.
    static let scheduleInterval: Duration = .seconds(30)
    /// Jobs run at once, so that one tenant's long crawl leaves a slot for everyone else's uploads.
    ///
    /// Extraction has its own two threads (`ExtractionThreads`), so more slots would mostly wait on them.
    static let slots = 2

    init(
        store: any ParleyStore, ingestor: KnowledgeIngestor, logger: Logger, lease: TimeInterval = 30,
        backoff: TimeInterval = 5, allowPrivateNetworks: Bool = false
    ) {
        self.allowPrivateNetworks = allowPrivateNetworks
        self.store = store
        self.ingestor = ingestor
        self.logger = logger
        self.lease = lease
        self.backoff = backoff
    }

    /// Says a job was queued.
    func wake() {
        woken.store(true, ordering: .releasing)
    }

    func run() async throws {
        await cancelWhenGracefulShutdown {
            await withDiscardingTaskGroup { group in
                for slot in 0..<Self.slots {
                    group.addTask { await self.runSlot(schedulesCrawls: slot == 0) }
                }
            }
        }
    }

    /// One slot: claims and runs jobs until the queue is empty, then waits for a wake-up or a second; the first
    /// slot also queues the crawls that are due.
    private func runSlot(schedulesCrawls: Bool) async {
        var scheduled = ContinuousClock.now - Self.scheduleInterval
        while !Task.isCancelled {
            do {
                if schedulesCrawls, ContinuousClock.now - scheduled >= Self.scheduleInterval {
                    scheduled = ContinuousClock.now
                    _ = try await queueDueCrawls(now: Date())
                }
                while let (job, data) = try await store.ingestionJobs.claimNext(
                    worker: name, lease: lease, now: Date())
                {
                    if job.attempts > 1 {
                        logger.notice(
                            "ingestion job taken up again",
                            metadata: ["job": "\(job.id)", "attempt": "\(job.attempts)"])
                    }
                    await process(job, data)
                    if Task.isCancelled { return }
                }
            } catch {
                // The database is away: keep the worker alive and look again shortly.
                logger.warning("ingestion queue unavailable", metadata: ["error": "\(error)"])
            }
            await nextSignal(within: .seconds(1))
        }
    }

    /// Waits for a wake-up or the timeout, whichever comes first, napping 50 ms at a time.
    ///
    /// (An earlier version raced a sleep against iterating an `AsyncStream`; cancelling that iteration finishes the
    /// stream for good, after which every wait returned at once and the idle worker spun on the database.)
    private func nextSignal(within timeout: Duration) async {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline, !Task.isCancelled {
            if woken.exchange(false, ordering: .acquiringAndReleasing) { return }
            try? await Task.sleep(for: .milliseconds(50))
        }
    }

    /// Runs one job while a child task renews its lease; the work stops if the lease is lost.
    private func process(_ job: IngestionJob, _ data: Data) async {
        let progress = JobProgress(status: .extracting, share: 0.05)
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.renewLease(of: job, progress: progress) }
            group.addTask { await self.work(job, data, progress: progress) }
            await group.next()
            group.cancelAll()
        }
    }

    /// Renews the lease every third of its length with the latest progress, until cancelled or the lease is lost.
    private func renewLease(of job: IngestionJob, progress: JobProgress) async {
        while true {
            do {
                try await Task.sleep(for: .seconds(lease / 3))
            } catch { return }
            let (status, share) = progress.current
            let held = try? await store.ingestionJobs.progress(
                job.id, tenant: job.tenantID, worker: name, status: status, progress: share, lease: lease, now: Date())
            if held == false {
                logger.warning("ingestion job lease lost; another worker has it", metadata: ["job": "\(job.id)"])
                return
            }
        }
    }

    private func work(_ job: IngestionJob, _ data: Data, progress: JobProgress) async {
        if job.kind == .crawl {
            await CrawlRunner(
                store: store, ingestor: ingestor, worker: name, lease: lease,
                allowPrivateNetworks: allowPrivateNetworks, logger: logger
            )
            .run(job, progress: { progress.set(.extracting, $0) }, retry: { await self.fail(job, $0) })
            return
        }
        let jobs = store.ingestionJobs
        let worker = name
        let lease = lease
        do {
            let filename = job.filename
            let (_, extracted) = try await ExtractionThreads.run {
                try DocumentExtractor.extract(data, filename: filename)
            }
            progress.set(.embedding, 0.2)
            _ = try await jobs.progress(
                job.id, tenant: job.tenantID, worker: worker, status: .embedding, progress: 0.2, lease: lease,
                now: Date())
            let outcome = try await ingestor.ingest(
                extracted, filename: job.filename, title: job.title, sourceKey: job.sourceKey, url: job.url,
                tenant: job.tenantID
            ) { share in
                let value = 0.2 + 0.8 * share * 0.99
                progress.set(.embedding, value)
                _ = try? await jobs.progress(
                    job.id, tenant: job.tenantID, worker: worker, status: .embedding, progress: value, lease: lease,
                    now: Date())
            }
            _ = try await jobs.finish(
                job.id, tenant: job.tenantID, worker: worker, status: .ready, error: nil,
                documents: outcome.results.count, now: Date())
        } catch {
            if Task.isCancelled { return }  // shutting down or lease lost: the lease runs out and the job is retried
            await fail(job, error)
        }
    }

    /// Queues a crawl of each source whose re-sync is due (at most 50 a round); how many were queued.
    ///
    /// Each source is queued by a compare-and-set in the store, so replicas scheduling at once queue it once.
    func queueDueCrawls(now: Date) async throws -> Int {
        let released = try await store.crawlSources.release(now: now)
        if released > 0 {
            logger.warning("crawls that stopped with their worker marked failed", metadata: ["count": "\(released)"])
        }
        var queued = 0
        for source in try await store.crawlSources.due(now: now, limit: 50) {
            let job = IngestionJob.crawl(of: source, at: now)
            if try await store.crawlSources.enqueue(source.id, tenant: source.tenantID, job: job, now: now) {
                queued += 1
            }
        }
        if queued > 0 { wake() }
        return queued
    }

    /// Fails a job for good when its file is at fault, or queues it again after a backoff; the new status.
    @discardableResult
    private func fail(_ job: IngestionJob, _ error: any Error) async -> IngestionJob.Status? {
        let jobs = store.ingestionJobs
        if let reason = (error as? ExtractionError)?.description ?? (error as? IngestionError)?.description {
            logger.warning("ingestion job failed", metadata: ["job": "\(job.id)", "reason": "\(reason)"])
            _ = try? await jobs.finish(
                job.id, tenant: job.tenantID, worker: name, status: .failed, error: reason, documents: 0, now: Date())
            return .failed
        }
        let delay = min(backoff * pow(2, Double(max(0, job.attempts - 1))), Self.maximumBackoff)
        let jittered = delay * Double.random(in: 0.8...1.2)
        let status = try? await jobs.retry(
            job.id, tenant: job.tenantID, worker: name,
            error: "attempt \(job.attempts) failed: \(Self.tenantFacingReason(error)); retrying",
            runAfter: Date().addingTimeInterval(jittered), now: Date())
        logger.warning(
            "ingestion job attempt failed",
            metadata: Logger.Metadata.describing(error).merging([
                "job": "\(job.id)", "attempt": "\(job.attempts)", "status": "\(status?.rawValue ?? "lease lost")",
            ]) { $1 })
        return status
    }
}

extension IngestionWorker {
    /// What an attempt's failure tells the tenant: a site's own trouble as it is, this server's in general terms
    /// (the details stay in the log).
    static func tenantFacingReason(_ error: any Error) -> String {
        SiteCrawler.CrawlError.tenantFacingDescription(of: error) ?? "the knowledge base could not be updated"
    }
}

/// The latest status and progress of a running job, shared by its work and its lease renewals.
private final class JobProgress: Sendable {
    private let state: Mutex<(IngestionJob.Status, Double)>

    init(status: IngestionJob.Status, share: Double) {
        state = Mutex((status, share))
    }

    var current: (IngestionJob.Status, Double) { state.withLock { $0 } }

    func set(_ status: IngestionJob.Status, _ share: Double) {
        state.withLock { $0 = (status, share) }
    }
}
