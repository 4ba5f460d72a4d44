import ParleyAI
import ParleyCore

/// Answers with the tenant's chat providers: the prompt from `AnswerPrompt`, the reply streamed to the sink.
struct ModelAnswerGenerator: AnswerGenerating {
    /// The tenant's providers, resilience included (fallback, breakers, retries, deadlines).
    let provider: any ChatProvider
    let persona: Persona
    /// Most tokens the answer may use.
    static let maxTokens = 400

    func answer(_ request: AnswerRequest, sink: (any ReplySink)?) async throws -> GeneratedAnswer {
        let chat = ChatRequest(
            messages: AnswerPrompt.messages(for: request, persona: persona), temperature: 0.2,
            maxTokens: Self.maxTokens)
        var meter = TokenMeter(request: chat)
        do {
            for try await event in provider.stream(chat) {
                meter.record(event)
                if case .delta(let piece) = event { await sink?.send(piece) }
            }
        } catch  where Task.isCancelled {
            // The visitor went away: what was written so far is kept, and marked.
            return answer(from: meter, request: request, interrupted: true)
        } catch {
            // What streamed before the failure is still billed; the caller decides what the visitor sees.
            throw AnswerFailure(error: error, partial: meter.text)
        }
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

/// A model call that failed, with the text it had streamed before it did.
struct AnswerFailure: Error, CustomStringConvertible {
    var error: any Error
    var partial: String

    var description: String { "\(error)" }
}
