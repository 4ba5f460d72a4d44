import Foundation

/// A website host a tenant embeds the widget on; sessions are accepted only from verified domains.
public struct WebsiteDomain: Sendable, Codable, Equatable {
    /// The domain's identifier.
    public var id: DomainID
    /// The owning tenant.
    public var tenantID: TenantID
    /// The host name, lowercased, without scheme or port (`shop.example.com`).
    public var host: String
    /// The value the tenant publishes in a DNS TXT record at `_parley.<host>` to prove ownership.
    public var verificationToken: String
    /// When ownership was proven, if it was.
    public var verifiedAt: Date?
    /// When the domain was added.
    public var createdAt: Date

    /// Makes a domain value.
    public init(
        id: DomainID, tenantID: TenantID, host: String, verificationToken: String, verifiedAt: Date?,
        createdAt: Date
    ) {
        self.id = id
        self.tenantID = tenantID
        self.host = host
        self.verificationToken = verificationToken
        self.verifiedAt = verifiedAt
        self.createdAt = createdAt
    }

    /// Whether ownership has been proven.
    public var isVerified: Bool { verifiedAt != nil }

    /// The DNS name that must carry the verification TXT record.
    public var verificationRecordName: String { "_parley.\(host)" }

    /// The TXT record value that proves ownership.
    public var verificationRecordValue: String { "parley-verification=\(verificationToken)" }
}
