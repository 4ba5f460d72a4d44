import Foundation

/// A file waiting to be read into a tenant's knowledge base, or a website to crawl, or one being read, or done: a
/// durable job with progress.
public struct IngestionJob: Sendable, Codable, Equatable {
    /// What a job reads.
    public enum Kind: String, Sendable, Codable, CaseIterable {
        /// An uploaded file, kept with the job until it ends.
        case file
        /// A website: the crawl source whose id is the job's `sourceKey`.
        case crawl
    }

    /// Where a job is.
    public enum Status: String, Sendable, Codable, CaseIterable {
        /// Waiting for a worker, first or again after a transient failure (`nextAttemptAt` says when).
        case queued
        /// A worker is reading the file.
        case extracting
        /// A worker is embedding and storing the text.
        case embedding
        /// Done: its documents are in the knowledge base.
        case ready
        /// The file cannot be read (`error` says why); trying again would fail the same way.
        case failed
        /// Dead letter: every attempt met a transient failure or a worker that stopped mid-job.
        case dead

        /// Whether the job has ended, for good or ill.
        public var isFinished: Bool { self == .ready || self == .failed || self == .dead }
    }

    /// How many attempts a job gets before it becomes a dead letter.
    public static let maxAttempts = 5

    public var id: IngestionJobID
    public var tenantID: TenantID
    public var kind: Kind
    /// The uploaded file's name, if it had one.
    public var filename: String?
    /// A title given with the upload (else the file's own, else its name).
    public var title: String?
    /// A source key given with the upload (else the file name).
    public var sourceKey: String?
    /// A URL to cite.
    public var url: String?
    public var status: Status
    /// From 0 to 1.
    public var progress: Double
    /// Why it failed, in words an admin can act on.
    public var error: String?
    /// The documents stored (one, or one per FAQ row).
    public var documents: Int
    /// Attempts started so far.
    public var attempts: Int
    /// When a queued job that failed before may run again.
    public var nextAttemptAt: Date?
    public var createdAt: Date
    public var updatedAt: Date

    /// Makes a queued job.
    public init(
        id: IngestionJobID, tenantID: TenantID, kind: Kind = .file, filename: String?, title: String?,
        sourceKey: String?, url: String?, createdAt: Date
    ) {
        self.id = id
        self.tenantID = tenantID
        self.kind = kind
        self.filename = filename
        self.title = title
        self.sourceKey = sourceKey
        self.url = url
        self.status = .queued
        self.progress = 0
        self.error = nil
        self.documents = 0
        self.attempts = 0
        self.nextAttemptAt = nil
        self.createdAt = createdAt
        self.updatedAt = createdAt
    }
}
