import Foundation

/// A typed identifier: the phantom `Entity` keeps a tenant id from being passed where a conversation id is expected.
public struct Identifier<Entity>: RawRepresentable, Hashable, Codable, Sendable, CustomStringConvertible {
    /// The identifier's text form, as stored and sent over the wire.
    public let rawValue: String

    /// Wraps an existing identifier string.
    public init(rawValue: String) {
        self.rawValue = rawValue
    }

    /// Wraps an existing identifier string.
    public init(_ rawValue: String) {
        self.rawValue = rawValue
    }

    /// Makes a new random identifier (a lowercase UUID).
    public static func generate() -> Self {
        Self(rawValue: UUID().uuidString.lowercased())
    }

    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    public var description: String { rawValue }
}

/// Identifies a tenant (one business using Parley).
public typealias TenantID = Identifier<Tenant>
/// Identifies an admin-side user.
public typealias UserID = Identifier<User>
/// Identifies a website visitor.
public typealias VisitorID = Identifier<Visitor>
/// Identifies a conversation.
public typealias ConversationID = Identifier<Conversation>
/// Identifies a stored message.
public typealias MessageID = Identifier<Message>
/// Identifies an API key.
public typealias ApiKeyID = Identifier<ApiKey>
/// Identifies a website domain registered by a tenant.
public typealias DomainID = Identifier<WebsiteDomain>
/// Identifies a file a visitor attached.
public typealias AttachmentID = Identifier<Attachment>
/// Identifies a knowledge ingestion job.
public typealias IngestionJobID = Identifier<IngestionJob>
/// Identifies a website a tenant crawls into its knowledge base.
public typealias CrawlSourceID = Identifier<CrawlSource>
