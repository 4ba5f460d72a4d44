import Foundation
import Logging
import ParleyCore
import ParleyKnowledge
import ParleyStages
import ParleyStore

/// What the bot does for human agents: a model-written handoff summary, and suggested replies only agents see.
///
/// Both use the tenant's model when it has one and are metered like answers. A suggestion without a model is the
/// extractive answer from the knowledge base, or nothing when the knowledge does not cover the question.
struct AgentAssist: Sendable {
    let store: any ParleyStore
    let answerers: TenantAnswerers
    let knowledge: any KnowledgeSearching

    /// A reply an agent may send, drafted for the visitor's latest message; never shown to the visitor.
    struct Suggestion: Encodable, Sendable {
        var text: String?
        var citations: [Citation]
        /// `model`, `extractive`, or `none` when nothing could be suggested.
        var source: String
        /// The customer message the suggestion answers.
        var inReplyTo: String?

        enum CodingKeys: String, CodingKey {
            case text, citations, source
            case inReplyTo = "in_reply_to"
        }
    }

    /// Writes the model's summary into the conversation's handoff, in the background of the turn that queued it.
    func summarizeHandoff(_ conversation: Conversation, logger: Logger) async {
        guard let handoff = conversation.handoff else { return }
        do {
            guard let model = try await answerers.model(tenant: conversation.tenantID) else { return }
            let request = AnswerRequest(
                tenantID: conversation.tenantID, conversationID: conversation.id, question: "", language: nil,
                passages: [])
            let summary = try await model.handoffSummary(of: request, reason: handoff.escalation.reason)
            try await record(summary, conversation: conversation.id, tenant: conversation.tenantID)
            let text = summary.text.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !text.isEmpty else { return }
            _ = try await store.conversations.setModelSummary(
                text, conversation: conversation.id, tenant: conversation.tenantID)
        } catch {
            logger.warning("handoff summary failed", metadata: ["error": "\(type(of: error))"])
        }
    }

    /// A suggested reply to the latest customer message of the conversation, from the knowledge as the tenant's
    /// `retrieval` stage selects it (its passage count and injection screen), or as the stage's defaults do when the
    /// chain has none.
    func suggestion(for conversation: Conversation, retrieval: RetrievalStage?) async throws -> Suggestion {
        let recent = try await store.messages.recent(
            conversation: conversation.id, tenant: conversation.tenantID, before: nil, limit: 20)
        guard let question = recent.last(where: { $0.role == .customer }) else {
            return Suggestion(text: nil, citations: [], source: "none", inReplyTo: nil)
        }
        let retrieval = retrieval ?? RetrievalStage(settings: .init())
        var found = try await knowledge.search(
            question.text, tenant: conversation.tenantID, limit: retrieval.searchLimit)
        // Screened as the chain screens them: a planted instruction must not write the agent's draft.
        found.passages = retrieval.select(from: found.passages, counting: false).kept
        if let model = try await answerers.model(tenant: conversation.tenantID) {
            let request = AnswerRequest(
                tenantID: conversation.tenantID, conversationID: conversation.id, messageID: question.id,
                question: question.text, language: nil, passages: found.passages)
            let answer = try await model.answer(request, sink: nil, cached: false)
            try await record(answer, conversation: conversation.id, tenant: conversation.tenantID)
            return Suggestion(
                text: answer.text, citations: answer.citations, source: "model", inReplyTo: question.id.rawValue)
        }
        switch ExtractiveAnswerer().answer(
            question: question.text, passages: found.passages, confidence: found.confidence)
        {
        case .answer(let text, let citations):
            return Suggestion(text: text, citations: citations, source: "extractive", inReplyTo: question.id.rawValue)
        case .unknown:
            return Suggestion(text: nil, citations: [], source: "none", inReplyTo: question.id.rawValue)
        }
    }

    private func record(_ answer: GeneratedAnswer, conversation: ConversationID, tenant: TenantID) async throws {
        guard !answer.cached else { return }
        try await store.usage.record(
            TokenUsageRecord(
                tenantID: tenant, conversationID: conversation, provider: answer.provider,
                promptTokens: answer.promptTokens, completionTokens: answer.completionTokens, createdAt: Date()))
    }
}
