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

    /// Makes a new identifier: a lowercase, time-ordered UUID (version 7, RFC 9562).
    ///
    /// The first 48 bits are the Unix time in milliseconds and the last 74 are random, so identifiers made one after
    /// another sort one after another: a new row's key lands on the last page of each index that holds it, instead of
    /// on a random page, and a commit writes fewer pages. 74 random bits keep an identifier unguessable; secrets are
    /// never identifiers (see `SecretTokens`).
    public static func generate() -> Self {
        Self(rawValue: UUID(version7At: Date()).lowercaseString)
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

extension UUID {
    /// The canonical text form in lowercase (`uuidString` is uppercase), written in one pass.
    var lowercaseString: String {
        withUnsafeBytes(of: uuid) { bytes in
            String(unsafeUninitializedCapacity: 36) { text in
                func digit(_ value: UInt8) -> UInt8 {
                    value < 10 ? UInt8(ascii: "0") + value : UInt8(ascii: "a") + value - 10
                }
                var position = 0
                for (index, byte) in bytes.enumerated() {
                    if index == 4 || index == 6 || index == 8 || index == 10 {
                        text[position] = UInt8(ascii: "-")
                        position += 1
                    }
                    text[position] = digit(byte >> 4)
                    text[position + 1] = digit(byte & 0x0F)
                    position += 2
                }
                return position
            }
        }
    }

    /// A version 7 UUID for `date`: 48 bits of Unix milliseconds, then the version, the variant and 74 random bits.
    init(version7At date: Date) {
        var generator = SystemRandomNumberGenerator()
        let milliseconds = UInt64(max(0, date.timeIntervalSince1970 * 1000))
        let high = (milliseconds << 16) | 0x7000 | (generator.next() & 0x0FFF)
        let low = (generator.next() & 0x3FFF_FFFF_FFFF_FFFF) | 0x8000_0000_0000_0000
        func byte(_ word: UInt64, _ index: Int) -> UInt8 { UInt8(truncatingIfNeeded: word >> (56 - 8 * index)) }
        self.init(
            uuid: (
                byte(high, 0), byte(high, 1), byte(high, 2), byte(high, 3), byte(high, 4), byte(high, 5),
                byte(high, 6), byte(high, 7), byte(low, 0), byte(low, 1), byte(low, 2), byte(low, 3),
                byte(low, 4), byte(low, 5), byte(low, 6), byte(low, 7)
            ))
    }
}
