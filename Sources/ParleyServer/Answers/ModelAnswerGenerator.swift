import ParleyAI
import ParleyCore
import ParleyStore

/// Answers with the tenant's chat providers: the prompt from `AnswerPrompt`, the reply streamed to the sink.
///
/// The prompt carries a window of the conversation's history. A conversation's first question is answered from
/// the cache when the same question was answered, with a citation, under the same knowledge and settings.
struct ModelAnswerGenerator: AnswerGenerating {
    /// The tenant's providers, resilience included (fallback, breakers, retries, deadlines).
    let provider: any ChatProvider
    let persona: Persona
    let store: any ParleyStore
    let cache: AnswerCache
    /// Tells apart the tenant's successive assistant settings, for the cache.
    let settingsGeneration: Int
    /// Most tokens the answer may use.
    static let maxTokens = 400

    var protectedText: [String] { [AnswerPrompt.instructions(persona: persona, language: nil)] }

    func answer(_ request: AnswerRequest, sink: (any ReplySink)?) async throws -> GeneratedAnswer {
        try await answer(request, sink: sink, cached: true)
    }

    /// Answers `request`; with `cached` false the answer cache is neither read nor written (an agent's suggestion,
    /// which no output guard checks, must not become a visitor's answer).
    func answer(_ request: AnswerRequest, sink: (any ReplySink)?, cached usesCache: Bool) async throws
        -> GeneratedAnswer
    {
        // Both reads are on the way to the first token: they run side by side.
        async let knowledgeVersion = store.knowledge.version(tenant: request.tenantID)
        let history = try await ConversationHistory(store: store).messages(for: request)
        var key: AnswerCache.Key?
        if history.isEmpty, usesCache {
            key = AnswerCache.key(
                tenant: request.tenantID, question: request.question, language: request.language,
                knowledgeVersion: try await knowledgeVersion, settingsGeneration: settingsGeneration)
        }
        if let key, var cached = await cache.answer(for: key) {
            await sink?.send(cached.text)
            cached.cached = true
            cached.promptTokens = 0
            cached.completionTokens = 0
            return cached
        }
        let chat = ChatRequest(
            messages: AnswerPrompt.messages(for: request, persona: persona, history: history), temperature: 0.2,
            maxTokens: Self.maxTokens)
        var meter = TokenMeter(request: chat)
        var blocked = false
        do {
            for try await event in provider.stream(chat) {
                meter.record(event)
                if case .delta(let piece) = event, let sink {
                    await sink.send(piece)
                    // The output guard blocked the reply: stop the model, nothing more is shown or paid for.
                    if await !sink.isAccepting {
                        blocked = true
                        break
                    }
                }
            }
        } catch  where Task.isCancelled {
            // The visitor went away: what was written so far is kept, and marked.
            return answer(from: meter, request: request, interrupted: true)
        } catch {
            // What streamed before the failure is still billed; the caller decides what the visitor sees.
            // What the endpoint said stays out of the trace the tenant reads (see `withoutExcerpts`).
            let usage = meter.usage
            throw GenerationFailure(
                reason: "\((error as? ProviderError)?.withoutExcerpts ?? ProviderError(wrapping: error))",
                partial: meter.text, provider: provider.name,
                promptTokens: meter.text.isEmpty ? 0 : usage.promptTokens,
                completionTokens: meter.text.isEmpty ? 0 : usage.completionTokens)
        }
        // A cancelled stream may also just end: what was written is then a partial reply too.
        if Task.isCancelled { return answer(from: meter, request: request, interrupted: true) }
        let answer = answer(from: meter, request: request, interrupted: false)
        // Kept only when it streamed unblocked and cites a passage: the output guard's verdicts that come after the
        // stream (an uncited answer blocked as off topic) would otherwise be served, and blocked, for an hour.
        if let key, !blocked, !answer.citations.isEmpty { await cache.store(answer, for: key) }
        return answer
    }

    /// A short summary of the conversation for the agent it is handed to, written by the model.
    func handoffSummary(of request: AnswerRequest, reason: String) async throws -> GeneratedAnswer {
        let history = try await ConversationHistory(store: store).messages(for: request)
        let chat = ChatRequest(
            messages: AnswerPrompt.handoffSummary(of: history, reason: reason), temperature: 0.2, maxTokens: 200)
        var meter = TokenMeter(request: chat)
        for try await event in provider.stream(chat) { meter.record(event) }
        return answer(from: meter, request: request, interrupted: false)
    }

    private func answer(from meter: TokenMeter, request: AnswerRequest, interrupted: Bool) -> GeneratedAnswer {
        let usage = meter.usage
        return GeneratedAnswer(
            text: meter.text, citations: AnswerPrompt.citations(in: meter.text, passages: request.passages),
            provider: provider.name, promptTokens: usage.promptTokens, completionTokens: usage.completionTokens,
            interrupted: interrupted)
    }
}
