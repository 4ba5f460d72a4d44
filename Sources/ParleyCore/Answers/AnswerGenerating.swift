/// Writes the reply to a visitor's message with a model, from the passages retrieval found.
///
/// The server implements it over the tenant's providers; the generation stage finds it in `StageServices` under
/// `AnswerGeneratorKey` when the tenant has configured one, and answers offline (extractive) otherwise.
public protocol AnswerGenerating: Sendable {
    /// Generates the answer, sending each piece of text to `sink` as it arrives; the pieces joined are the answer.
    func answer(_ request: AnswerRequest, sink: (any ReplySink)?) async throws -> GeneratedAnswer

    /// Text the model is given that a reply must never repeat (its instructions), for the output guard.
    var protectedText: [String] { get }
}

extension AnswerGenerating {
    /// Nothing is protected unless the generator says so.
    public var protectedText: [String] { [] }
}

/// What the model is asked: the visitor's message in context, with the knowledge to answer from.
public struct AnswerRequest: Sendable, Equatable {
    public var tenantID: TenantID
    public var conversationID: ConversationID
    /// The visitor's message being answered, already stored; earlier messages are its history.
    public var messageID: MessageID?
    /// The visitor's message as the chain sees it (after redaction).
    public var question: String
    /// The visitor's language (BCP 47), when known: the answer is written in it.
    public var language: String?
    /// Retrieved passages, best first; the model must answer from these only.
    public var passages: [Passage]

    /// Makes a request.
    public init(
        tenantID: TenantID, conversationID: ConversationID, messageID: MessageID? = nil, question: String,
        language: String?, passages: [Passage]
    ) {
        self.tenantID = tenantID
        self.conversationID = conversationID
        self.messageID = messageID
        self.question = question
        self.language = language
        self.passages = passages
    }
}

/// A model's answer: the text, the sources it cites, and what it cost.
public struct GeneratedAnswer: Sendable, Equatable {
    public var text: String
    public var citations: [Citation]
    /// The provider that answered (after any fallback).
    public var provider: String
    public var promptTokens: Int
    public var completionTokens: Int
    /// Cut short because the visitor went away or the turn was cancelled: `text` is what was written until then.
    public var interrupted: Bool
    /// Served from the answer cache: no model was called.
    public var cached: Bool

    /// Makes an answer.
    public init(
        text: String, citations: [Citation], provider: String, promptTokens: Int, completionTokens: Int,
        interrupted: Bool = false, cached: Bool = false
    ) {
        self.interrupted = interrupted
        self.cached = cached
        self.text = text
        self.citations = citations
        self.provider = provider
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
    }
}

/// Receives the reply's text as it is written, for a streaming response.
public protocol ReplySink: Sendable {
    /// The next piece of the reply.
    func send(_ piece: String) async

    /// Whether more text is wanted; false (the output guard blocked the reply) lets the generator stop early.
    var isAccepting: Bool { get async }
}

extension ReplySink {
    /// A sink accepts text unless it says otherwise.
    public var isAccepting: Bool { true }
}

/// The stage-services key of the tenant's model-backed answer generator.
public enum AnswerGeneratorKey: StageServiceKey {
    public typealias Value = any AnswerGenerating
}

/// The stage-services key of the sink a streaming request's reply pieces go to.
public enum ReplySinkKey: StageServiceKey {
    public typealias Value = any ReplySink
}
