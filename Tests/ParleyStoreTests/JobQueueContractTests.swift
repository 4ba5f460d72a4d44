import Foundation
import ParleyCore
import ParleyStore
import Testing

/// The ingestion queue's contract: leases, lease expiry after a crash, retries with a time, dead letters, and no job
/// held by two workers at once.
@Suite("Store contract: job queue")
struct JobQueueContractTests {
    static func queued(_ store: any ParleyStore, _ tenant: Tenant, name: String, at time: Date) async throws
        -> IngestionJob
    {
        let job = IngestionJob(
            id: .generate(), tenantID: tenant.id, filename: name, title: nil, sourceKey: nil, url: nil, createdAt: time)
        try await store.ingestionJobs.enqueue(job, data: Data(name.utf8))
        return job
    }

    @Test(
        "a claimed job is leased to one worker; its file comes with it; finishing lets the file go",
        arguments: StoreFactory.allCases)
    func claimAndFinish(factory: StoreFactory) async throws {
        let (store, tenant) = try await StoreContractTests.storeWithTenant(factory)
        let now = Date()
        let first = try await Self.queued(store, tenant, name: "one.txt", at: now.addingTimeInterval(-2))
        let second = try await Self.queued(store, tenant, name: "two.txt", at: now.addingTimeInterval(-1))
        let claimed = try #require(try await store.ingestionJobs.claimNext(worker: "w1", lease: 30, now: now))
        #expect(claimed.job.id == first.id)
        #expect(claimed.job.status == .extracting)
        #expect(claimed.job.attempts == 1)
        #expect(claimed.data == Data("one.txt".utf8))
        // The next claim takes the other job, not the leased one.
        let other = try #require(try await store.ingestionJobs.claimNext(worker: "w2", lease: 30, now: now))
        #expect(other.job.id == second.id)
        #expect(try await store.ingestionJobs.claimNext(worker: "w3", lease: 30, now: now) == nil)
        // Only the holder may report progress or finish.
        #expect(
            try await !store.ingestionJobs.progress(
                first.id, tenant: tenant.id, worker: "w2", status: .embedding, progress: 0.5, lease: 30, now: now))
        #expect(
            try await store.ingestionJobs.progress(
                first.id, tenant: tenant.id, worker: "w1", status: .embedding, progress: 0.5, lease: 30, now: now))
        #expect(try await store.ingestionJobs.get(first.id, tenant: tenant.id)?.progress == 0.5)
        #expect(
            try await store.ingestionJobs.finish(
                first.id, tenant: tenant.id, worker: "w1", status: .ready, error: nil, documents: 2, now: now))
        let done = try #require(try await store.ingestionJobs.get(first.id, tenant: tenant.id))
        #expect(done.status == .ready)
        #expect(done.documents == 2)
        // A finished job is not claimed again, however late.
        #expect(
            try await store.ingestionJobs.claimNext(worker: "w3", lease: 30, now: now.addingTimeInterval(3600))?.job.id
                == second.id)
        try await store.close()
    }

    @Test(
        "a tenant with a job running waits behind another tenant's later job; alone, it gets every worker",
        arguments: StoreFactory.allCases)
    func fairAcrossTenants(factory: StoreFactory) async throws {
        let (store, busy) = try await StoreContractTests.storeWithTenant(factory)
        let other = StoreContractTests.tenant("other")
        try await store.tenants.create(other)
        let now = Date()
        let crawl = try await Self.queued(store, busy, name: "crawl", at: now.addingTimeInterval(-30))
        let more = try await Self.queued(store, busy, name: "more.txt", at: now.addingTimeInterval(-20))
        let theirs = try await Self.queued(store, other, name: "theirs.txt", at: now.addingTimeInterval(-10))
        let jobs = store.ingestionJobs
        #expect(try await jobs.claimNext(worker: "w1", lease: 30, now: now)?.job.id == crawl.id)
        #expect(
            try await jobs.claimNext(worker: "w2", lease: 30, now: now)?.job.id == theirs.id,
            "the other tenant's upload waited behind the busy tenant's queue")
        #expect(try await jobs.claimNext(worker: "w3", lease: 30, now: now)?.job.id == more.id)
        try await store.close()
    }

    @Test(
        "a job whose worker died is claimed again when its lease runs out, and the dead worker cannot finish it",
        arguments: StoreFactory.allCases)
    func leaseExpiry(factory: StoreFactory) async throws {
        let (store, tenant) = try await StoreContractTests.storeWithTenant(factory)
        let now = Date()
        let job = try await Self.queued(store, tenant, name: "crash.txt", at: now)
        _ = try #require(try await store.ingestionJobs.claimNext(worker: "dead", lease: 10, now: now))
        #expect(
            try await store.ingestionJobs.claimNext(worker: "live", lease: 10, now: now.addingTimeInterval(5)) == nil)
        let again = try #require(
            try await store.ingestionJobs.claimNext(worker: "live", lease: 10, now: now.addingTimeInterval(11)))
        #expect(again.job.id == job.id)
        #expect(again.job.attempts == 2)
        #expect(again.data == Data("crash.txt".utf8))
        #expect(
            try await !store.ingestionJobs.finish(
                job.id, tenant: tenant.id, worker: "dead", status: .ready, error: nil, documents: 1,
                now: now.addingTimeInterval(12)))
        #expect(
            try await store.ingestionJobs.finish(
                job.id, tenant: tenant.id, worker: "live", status: .ready, error: nil, documents: 1,
                now: now.addingTimeInterval(12)))
        try await store.close()
    }

    @Test(
        "a retried job waits for its time; after its last attempt it is a dead letter", arguments: StoreFactory.allCases
    )
    func retriesAndDeadLetters(factory: StoreFactory) async throws {
        let (store, tenant) = try await StoreContractTests.storeWithTenant(factory)
        var now = Date()
        let job = try await Self.queued(store, tenant, name: "flaky.txt", at: now)
        for attempt in 1...IngestionJob.maxAttempts {
            let claimed = try #require(try await store.ingestionJobs.claimNext(worker: "w", lease: 30, now: now))
            #expect(claimed.job.attempts == attempt)
            let status = try await store.ingestionJobs.retry(
                job.id, tenant: tenant.id, worker: "w", error: "embedder down", runAfter: now.addingTimeInterval(60),
                now: now)
            if attempt < IngestionJob.maxAttempts {
                #expect(status == .queued)
                let waiting = try #require(try await store.ingestionJobs.get(job.id, tenant: tenant.id))
                #expect(waiting.nextAttemptAt != nil)
                #expect(try await store.ingestionJobs.claimNext(worker: "w", lease: 30, now: now) == nil)
                now = now.addingTimeInterval(61)
            } else {
                #expect(status == .dead)
            }
        }
        let dead = try #require(try await store.ingestionJobs.get(job.id, tenant: tenant.id))
        #expect(dead.status == .dead)
        #expect(dead.error == "embedder down")
        #expect(
            try await store.ingestionJobs.claimNext(worker: "w", lease: 30, now: now.addingTimeInterval(9999)) == nil)
        try await store.close()
    }

    @Test("a job abandoned on its last attempt becomes a dead letter", arguments: StoreFactory.allCases)
    func abandonedLastAttempt(factory: StoreFactory) async throws {
        let (store, tenant) = try await StoreContractTests.storeWithTenant(factory)
        var now = Date()
        let job = try await Self.queued(store, tenant, name: "poison.pdf", at: now)
        for _ in 1...IngestionJob.maxAttempts {
            _ = try #require(try await store.ingestionJobs.claimNext(worker: "w", lease: 1, now: now))
            now = now.addingTimeInterval(2)  // the worker dies each time
        }
        #expect(try await store.ingestionJobs.claimNext(worker: "w", lease: 1, now: now) == nil)
        #expect(try await store.ingestionJobs.get(job.id, tenant: tenant.id)?.status == .dead)
        try await store.close()
    }

    @Test("workers claiming together never take the same job", arguments: StoreFactory.allCases)
    func concurrentClaims(factory: StoreFactory) async throws {
        let (store, tenant) = try await StoreContractTests.storeWithTenant(factory)
        let now = Date()
        for index in 0..<24 { _ = try await Self.queued(store, tenant, name: "f\(index)", at: now) }
        let claimed = try await withThrowingTaskGroup(of: [IngestionJobID].self) { group in
            for worker in 0..<6 {
                group.addTask {
                    var mine: [IngestionJobID] = []
                    while let next = try await store.ingestionJobs.claimNext(worker: "w\(worker)", lease: 30, now: now)
                    {
                        mine.append(next.job.id)
                    }
                    return mine
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        #expect(claimed.count == 24)
        #expect(Set(claimed).count == 24)
        try await store.close()
    }
}
