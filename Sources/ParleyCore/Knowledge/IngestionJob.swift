import Foundation

/// A file waiting to be read into a tenant's knowledge base, or being read, or done: a durable job with progress.
public struct IngestionJob: Sendable, Codable, Equatable {
    /// Where a job is.
    public enum Status: String, Sendable, Codable, CaseIterable {
        case queued, extracting, embedding, ready, failed
    }

    public var id: IngestionJobID
    public var tenantID: TenantID
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
    public var createdAt: Date
    public var updatedAt: Date

    /// Makes a queued job.
    public init(
        id: IngestionJobID, tenantID: TenantID, filename: String?, title: String?, sourceKey: String?, url: String?,
        createdAt: Date
    ) {
        self.id = id
        self.tenantID = tenantID
        self.filename = filename
        self.title = title
        self.sourceKey = sourceKey
        self.url = url
        self.status = .queued
        self.progress = 0
        self.error = nil
        self.documents = 0
        self.createdAt = createdAt
        self.updatedAt = createdAt
    }
}
