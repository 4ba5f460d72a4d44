import Foundation
import ParleyCore

/// One server-to-visitor frame of the real-time channel, also sent as a server-sent event by the fallback.
struct LiveFrame: Encodable, Sendable {
    var type: String
    var conversationID: String?
    var clientMessageID: String?
    var message: Wire.VisitorMessage?
    var messages: [Wire.VisitorMessage]?
    var text: String?
    var citation: Citation?
    var result: ChatRoutes.MessageResponse?
    var role: String?
    var messageID: String?
    var state: String?
    var agent: String?
    var queuePosition: Int?
    var code: String?
    var errorMessage: String?
    /// Seconds to wait before asking again, on a `rate_limited` error.
    var retryAfter: Int?

    init(type: String, conversationID: String? = nil, clientMessageID: String? = nil) {
        self.type = type
        self.conversationID = conversationID
        self.clientMessageID = clientMessageID
    }

    /// An error frame.
    static func error(_ code: String, _ message: String, clientMessageID: String? = nil) -> LiveFrame {
        var frame = LiveFrame(type: "error", clientMessageID: clientMessageID)
        frame.code = code
        frame.errorMessage = message
        return frame
    }

    /// An error frame for a read the server could not make just then: the client sends the same frame again after
    /// `retry_after` seconds, and must not take it for a missing conversation.
    static func unavailable(_ what: String, clientMessageID: String? = nil) -> LiveFrame {
        var frame = LiveFrame.error("unavailable", "\(what); try again shortly", clientMessageID: clientMessageID)
        frame.retryAfter = 2
        return frame
    }

    /// An error frame for an API error, with its `Retry-After` as `retry_after`.
    static func error(_ error: APIError, clientMessageID: String? = nil) -> LiveFrame {
        var frame = LiveFrame.error(error.code, error.message, clientMessageID: clientMessageID)
        frame.retryAfter = error.headers[.retryAfter].flatMap { Int($0) }
        return frame
    }

    enum CodingKeys: String, CodingKey {
        case type, message, messages, text, citation, result, role, state, agent, code
        case retryAfter = "retry_after"
        case conversationID = "conversation_id"
        case clientMessageID = "client_message_id"
        case messageID = "message_id"
        case queuePosition = "queue_position"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(type, forKey: .type)
        try container.encodeIfPresent(conversationID, forKey: .conversationID)
        try container.encodeIfPresent(clientMessageID, forKey: .clientMessageID)
        // An error frame's `message` is its readable text; any other frame's is a chat message.
        if let errorMessage {
            try container.encode(errorMessage, forKey: .message)
        } else {
            try container.encodeIfPresent(message, forKey: .message)
        }
        try container.encodeIfPresent(messages, forKey: .messages)
        try container.encodeIfPresent(text, forKey: .text)
        try container.encodeIfPresent(citation, forKey: .citation)
        try container.encodeIfPresent(result, forKey: .result)
        try container.encodeIfPresent(role, forKey: .role)
        try container.encodeIfPresent(messageID, forKey: .messageID)
        try container.encodeIfPresent(state, forKey: .state)
        try container.encodeIfPresent(agent, forKey: .agent)
        try container.encodeIfPresent(queuePosition, forKey: .queuePosition)
        try container.encodeIfPresent(code, forKey: .code)
        try container.encodeIfPresent(retryAfter, forKey: .retryAfter)
    }

    /// The frame's JSON text.
    var json: String {
        (try? JSONEncoder.api.encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? #"{"type":"error"}"#
    }
}
