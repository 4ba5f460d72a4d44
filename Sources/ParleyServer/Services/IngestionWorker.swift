import Foundation
import Logging
import NIOPosix
import ParleyCore
import ParleyKnowledge
import ParleyStore
import ServiceLifecycle

/// Reads queued files into the knowledge base, one at a time, recording each job's status and progress.
///
/// Jobs live in the store with their file, so they survive a restart: on start, jobs a stopped worker left half
/// done go back in the queue. The worker wakes when a job is queued, and looks once a second besides (another
/// process may have queued one).
final class IngestionWorker: Service, Sendable {
    private let store: any ParleyStore
    private let ingestor: KnowledgeIngestor
    private let logger: Logger
    private let signal: AsyncStream<Void>.Continuation
    private let signals: AsyncStream<Void>

    init(store: any ParleyStore, ingestor: KnowledgeIngestor, logger: Logger) {
        self.store = store
        self.ingestor = ingestor
        self.logger = logger
        (signals, signal) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
    }

    /// Says a job was queued.
    func wake() {
        signal.yield()
    }

    func run() async throws {
        let requeued = try await store.ingestionJobs.requeueUnfinished()
        if requeued > 0 { logger.notice("ingestion jobs resumed after a restart", metadata: ["jobs": "\(requeued)"]) }
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                while let (job, data) = try await self.store.ingestionJobs.claimNext() {
                    await self.process(job, data)
                    if Task.isCancelled { return }
                }
                await self.nextSignal(within: .seconds(1))
            }
        }
    }

    /// Waits for a wake-up or the timeout, whichever comes first.
    private func nextSignal(within timeout: Duration) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { [signals] in
                for await _ in signals { return }
            }
            group.addTask { try? await Task.sleep(for: timeout) }
            await group.next()
            group.cancelAll()
        }
    }

    private func process(_ job: IngestionJob, _ data: Data) async {
        let jobs = store.ingestionJobs
        do {
            let filename = job.filename
            let (_, extracted) = try await NIOThreadPool.singleton.runIfActive {
                try DocumentExtractor.extract(data, filename: filename)
            }
            try await jobs.update(
                job.id, tenant: job.tenantID, status: .embedding, progress: 0.2, error: nil, documents: 0)
            let outcome = try await ingestor.ingest(
                extracted, filename: job.filename, title: job.title, sourceKey: job.sourceKey, url: job.url,
                tenant: job.tenantID
            ) { share in
                try? await jobs.update(
                    job.id, tenant: job.tenantID, status: .embedding, progress: 0.2 + 0.8 * share * 0.99, error: nil,
                    documents: 0)
            }
            try await jobs.update(
                job.id, tenant: job.tenantID, status: .ready, progress: 1, error: nil, documents: outcome.results.count)
        } catch {
            if Task.isCancelled { return }  // shutting down: the job is requeued at the next start
            let reason =
                (error as? ExtractionError)?.description ?? (error as? IngestionError)?.description
                ?? "the file could not be stored"
            logger.warning("ingestion job failed", metadata: ["job": "\(job.id)", "reason": "\(reason)"])
            try? await jobs.update(
                job.id, tenant: job.tenantID, status: .failed, progress: 1, error: reason, documents: 0)
        }
    }
}
