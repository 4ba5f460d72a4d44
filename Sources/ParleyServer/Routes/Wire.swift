import Foundation
import ParleyCore

/// The JSON shapes the API sends, in snake_case; one place so every route shows a thing the same way.
enum Wire {
    struct ConversationSummary: JSONTextWritable {
        var id: String
        var state: String
        /// The conversation's place in the queue, counting from 1, where the answer tells it (the history).
        var queuePosition: Int?

        init(_ conversation: Conversation, queuePosition: Int? = nil) {
            id = conversation.id.rawValue
            state = conversation.state.rawValue
            self.queuePosition = queuePosition
        }

        func writeJSON(to writer: inout JSONTextWriter) throws {
            writer.beginObject()
            try writer.member("id", id)
            try writer.member("queue_position", ifPresent: queuePosition)
            try writer.member("state", state)
            writer.endObject()
        }
    }

    struct ConversationDetail: Encodable {
        var id: String
        var visitorID: String
        var state: String
        var tags: [String]
        var botFailures: Int
        var createdAt: Date
        var updatedAt: Date
        var sentimentTrend: SentimentTrendState?
        var handoff: Handoff?
        var assignedAgent: String?

        init(_ conversation: Conversation) {
            id = conversation.id.rawValue
            visitorID = conversation.visitorID.rawValue
            sentimentTrend = conversation.sentimentTrend
            handoff = conversation.handoff
            assignedAgent = conversation.assignedAgent?.rawValue
            state = conversation.state.rawValue
            tags = conversation.tags.sorted()
            botFailures = conversation.botFailures
            createdAt = conversation.createdAt
            updatedAt = conversation.updatedAt
        }

        enum CodingKeys: String, CodingKey {
            case id, state, tags
            case visitorID = "visitor_id"
            case botFailures = "bot_failures"
            case createdAt = "created_at"
            case updatedAt = "updated_at"
            case sentimentTrend = "sentiment_trend"
            case handoff
            case assignedAgent = "assigned_agent"
        }
    }

    /// A message as visitors see it: no internal metadata.
    struct VisitorMessage: JSONTextWritable {
        var messageID: String
        var role: String
        var text: String
        var inReplyTo: String?
        var createdAt: Date
        /// The sources of a bot answer: `[{source, title, url}]`.
        var citations: [Citation]?
        /// The id the visitor's client gave its own message, so that it can match the stored one to what it shows.
        var clientMessageID: String?
        /// Answers the visitor can tap to send.
        var quickReplies: [String]?
        /// A card: `{title, text, image_url, url}`.
        var card: JSONValue?
        /// A file the visitor attached: `{id, name, content_type, size}`.
        var attachment: JSONValue?
        /// True for an answer cut short (the visitor left while it was written, or an agent took over); absent
        /// otherwise, so that a client resending its message knows the stored reply is not the whole answer.
        var interrupted: Bool?

        init(_ message: Message) {
            messageID = message.id.rawValue
            role = message.role.rawValue
            text = message.text
            inReplyTo = message.inReplyTo?.rawValue
            createdAt = message.createdAt
            clientMessageID = message.clientMessageID
            if let stored = message.metadata["citations"] { citations = try? stored.decode(as: [Citation].self) }
            // Read in place: a round trip through JSON text per message is a measurable share of the message route.
            quickReplies = message.metadata["quick_replies"]?.stringsValue
            card = message.metadata["card"]
            attachment = message.metadata["attachment"]
            if message.metadata["interrupted"] == .bool(true) { interrupted = true }
        }

        func writeJSON(to writer: inout JSONTextWriter) throws {
            writer.beginObject()
            try writer.member("attachment", ifPresent: attachment)
            try writer.member("card", ifPresent: card)
            try writer.member("citations", ifPresent: citations)
            try writer.member("client_message_id", ifPresent: clientMessageID)
            writer.member("created_at", iso8601: createdAt)
            try writer.member("in_reply_to", ifPresent: inReplyTo)
            try writer.member("interrupted", ifPresent: interrupted)
            try writer.member("message_id", messageID)
            try writer.member("quick_replies", ifPresent: quickReplies)
            try writer.member("role", role)
            try writer.member("text", text)
            writer.endObject()
        }

        enum CodingKeys: String, CodingKey {
            case role, text, citations, card, attachment, interrupted
            case messageID = "message_id"
            case inReplyTo = "in_reply_to"
            case createdAt = "created_at"
            case clientMessageID = "client_message_id"
            case quickReplies = "quick_replies"
        }
    }

    /// A message as staff see it: the visitor's view plus the metadata (decision, deciding stage, escalation).
    struct StaffMessage: Encodable {
        var message: VisitorMessage
        var metadata: [String: JSONValue]

        init(_ message: Message) {
            self.message = VisitorMessage(message)
            metadata = message.metadata
        }

        func encode(to encoder: any Encoder) throws {
            try message.encode(to: encoder)
            var container = encoder.container(keyedBy: MetadataKey.self)
            try container.encode(metadata, forKey: .metadata)
        }

        enum MetadataKey: String, CodingKey {
            case metadata
        }
    }

    struct UserView: Encodable {
        var id: String
        var tenantID: String
        var email: String
        var name: String
        var role: String
        var createdAt: Date

        init(_ user: User) {
            id = user.id.rawValue
            tenantID = user.tenantID.rawValue
            email = user.email
            name = user.name
            role = user.role.rawValue
            createdAt = user.createdAt
        }

        enum CodingKeys: String, CodingKey {
            case id, email, name, role
            case tenantID = "tenant_id"
            case createdAt = "created_at"
        }
    }

    struct TenantView: Encodable {
        var id: String
        var name: String
        var widgetKey: String
        var fallbackText: String
        var createdAt: Date
        var plan: TenantPlan

        init(_ tenant: Tenant) {
            id = tenant.id.rawValue
            name = tenant.name
            widgetKey = tenant.widgetKey
            fallbackText = tenant.fallbackText
            createdAt = tenant.createdAt
            plan = tenant.plan
        }

        enum CodingKeys: String, CodingKey {
            case id, name, plan
            case widgetKey = "widget_key"
            case fallbackText = "fallback_text"
            case createdAt = "created_at"
        }
    }

    struct ChainView: Encodable {
        var version: Int
        var stages: [ChainEntry]
        var createdBy: String?

        init(_ version: ChainConfigVersion) {
            self.version = version.version
            stages = version.config.stages
            createdBy = version.createdBy?.rawValue
        }

        enum CodingKeys: String, CodingKey {
            case version, stages
            case createdBy = "created_by"
        }
    }
}
