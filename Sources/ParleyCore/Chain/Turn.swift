import Foundation

/// One customer message on its way through the chain: what stages read, and what they write for later stages.
public struct Turn: Sendable {
    /// The tenant the message belongs to.
    public let tenantID: TenantID
    /// The conversation the message belongs to.
    public let conversationID: ConversationID
    /// The stored customer message.
    public let messageID: MessageID
    /// The visitor who wrote it.
    public let visitorID: VisitorID
    /// The text exactly as the visitor sent it.
    public let originalText: String
    /// The text later stages see; redaction stages rewrite it.
    public var text: String
    /// The text the customer message is stored with once the turn ends, when it must not stay as received (the
    /// redacted text, unless the tenant keeps originals); nil keeps the message as it was stored.
    public var storedText: String?
    /// The conversation's state when the turn started.
    public var conversationState: ConversationState
    /// How many customer messages the conversation has, this one included.
    public var messageCount: Int
    /// How many times in a row the bot could not answer before this turn.
    public var botFailures: Int
    /// Attributes the visitor carries (plan, email...).
    public var visitorAttributes: [String: JSONValue]
    /// The page the visitor is on, if the widget said.
    public var pageURL: String?
    /// The visitor's language (BCP 47), once a stage has found it.
    public var language: String?
    /// Sentiment in [-1, 1], once a stage has scored it.
    public var sentiment: Double?
    /// The conversation's running sentiment: as stored before the turn, then updated by the sentiment stage.
    public var sentimentTrend: SentimentTrendState?
    /// The visitor's last few questions in normalised form, newest last; the escalation stage keeps it.
    public var recentQuestions: [String] = []
    /// The predicted intent, once a stage has predicted it.
    public var intent: IntentGuess?
    /// Entities found in the message (order ids, amounts, dates...), once a stage has extracted them.
    public var entities: [TurnEntity]
    /// How well the knowledge base matched the message, in [0, 1], once retrieval has run.
    public var retrievalConfidence: Double?
    /// The knowledge passages retrieval found for the message, best first.
    public var passages: [Passage] = []
    /// The sources the drafted reply rests on, shown with it.
    public var citations: [Citation] = []
    /// Whether the tenant is within its business hours; nil when no stage knows the hours.
    public var businessHours: Bool?
    /// The read-only view the rules stage gave the tenant's rules, stored with the turn so rules can be replayed.
    public var ruleInput: JSONValue?
    /// Labels to add to the conversation.
    public var tags: Set<String>
    /// Visitor attributes to set when the turn ends.
    public var attributeUpdates: [String: JSONValue]
    /// The answer drafted so far; answering stages write it, guard stages may rewrite it.
    public var draftReply: String?
    /// Answers the visitor can tap to send, shown with the drafted reply.
    public var quickReplies: [String] = []
    /// Set by a stage that could not answer the question; counts towards `botFailures`.
    public var botFailed: Bool
    /// Data plugins share with each other, keyed by a name the plugin owns.
    public var extensions: [String: JSONValue]

    /// Starts a turn for a stored customer message.
    public init(
        tenantID: TenantID, conversationID: ConversationID, messageID: MessageID, visitorID: VisitorID, text: String,
        conversationState: ConversationState = .bot, messageCount: Int = 1, botFailures: Int = 0,
        visitorAttributes: [String: JSONValue] = [:], pageURL: String? = nil, tags: Set<String> = []
    ) {
        self.tenantID = tenantID
        self.conversationID = conversationID
        self.messageID = messageID
        self.visitorID = visitorID
        self.originalText = text
        self.text = text
        self.conversationState = conversationState
        self.messageCount = messageCount
        self.botFailures = botFailures
        self.visitorAttributes = visitorAttributes
        self.pageURL = pageURL
        self.tags = tags
        self.entities = []
        self.attributeUpdates = [:]
        self.botFailed = false
        self.extensions = [:]
    }
}

/// An intent prediction: a label and how sure the classifier is.
public struct IntentGuess: Sendable, Codable, Equatable {
    /// The intent label, or `out_of_scope`.
    public var name: String
    /// Calibrated confidence in [0, 1].
    public var confidence: Double

    /// Makes an intent guess.
    public init(name: String, confidence: Double) {
        self.name = name
        self.confidence = confidence
    }
}

/// An entity found in a message: its type (`order_id`, `amount`, `date`...) and canonical value.
public struct TurnEntity: Sendable, Codable, Equatable {
    /// The entity type.
    public var type: String
    /// The canonical value (`A-1234`, `42.50 EUR`, `2026-11-24`).
    public var value: String

    /// Makes an entity.
    public init(type: String, value: String) {
        self.type = type
        self.value = value
    }
}
