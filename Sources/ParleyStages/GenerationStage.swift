import ParleyCore
import ParleyKnowledge

/// Drafts the answer from the retrieved passages: with the tenant's model when it has one, else extractively.
///
/// The offline answer quotes the best sentences of the best passages verbatim, with citations, and never
/// invents anything; below the confidence threshold it drafts nothing, so the fallback stage offers a human. A
/// model answer streams to the request's sink as it is written. When every provider fails, the stage drafts
/// nothing and marks the turn, so the visitor still gets an answer in time: the extractive one when the
/// knowledge is good enough, else the fallback with the offer of a human. When the chain has an output guard, the
/// reply streams through it, so the visitor only ever sees checked text.
public struct GenerationStage: Stage {
    public static let manifest = StageManifest(
        id: "generation",
        version: "1.0.0",
        description: "Answers from the retrieved passages: with the tenant's model, or extractively (quoted, cited).",
        placement: Placement(after: ["retrieval"], before: ["fallback", "escalation"]),
        isBuiltIn: true
    )

    /// When to answer.
    public struct Settings: StageSettings {
        /// Below this retrieval confidence the stage does not answer (the fallback offers a human).
        public var minimumConfidence = RetrievalConfidence.defaultThreshold
        /// Sentences an extractive answer quotes at most.
        public var maxSentences = 3

        public init() {}

        public func validate() -> [String] {
            var problems: [String] = []
            if !(0...1).contains(minimumConfidence) { problems.append("minimumConfidence must be between 0 and 1") }
            if !(1...10).contains(maxSentences) { problems.append("maxSentences must be between 1 and 10") }
            return problems
        }
    }

    private let settings: Settings

    public init(settings: Settings) {
        self.settings = settings
    }

    public func process(_ turn: inout Turn, context: StageContext) async throws -> Outcome {
        guard turn.draftReply == nil else { return .continue(because: "an answer was already drafted") }
        let confidence = turn.retrievalConfidence ?? 0
        guard !turn.passages.isEmpty, confidence >= settings.minimumConfidence else {
            return .continue(because: "retrieval confidence \(Self.rounded(confidence)) is below the threshold")
        }
        var note: String?
        let outputGuard = context.services[OutputGuardStage.Key.self]
        let sink = context.services[ReplySinkKey.self]
        if let generator = context.services[AnswerGeneratorKey.self] {
            let request = AnswerRequest(
                tenantID: turn.tenantID, conversationID: turn.conversationID, messageID: turn.messageID,
                question: turn.text,
                language: turn.language, passages: turn.passages)
            let guarded = outputGuard?.sink(for: turn, protected: generator.protectedText, downstream: sink)
            do {
                let answer = try await generator.answer(request, sink: guarded ?? sink)
                turn.draftReply = answer.text
                if let guarded { await Self.apply(guarded, to: &turn) }
                turn.citations = answer.citations
                if answer.interrupted { turn.extensions["interrupted"] = true }
                turn.extensions["generation"] = [
                    "provider": .string(answer.provider), "prompt_tokens": .number(Double(answer.promptTokens)),
                    "completion_tokens": .number(Double(answer.completionTokens)), "cached": .bool(answer.cached),
                ]
                if answer.cached {
                    return .continue(
                        because: "answered from the cache (\(answer.provider), \(answer.citations.count) citations)")
                }
                return .continue(
                    because: "\(answer.provider) answered (\(answer.promptTokens)+\(answer.completionTokens) tokens, "
                        + "\(answer.citations.count) citations)")
            } catch {
                turn.extensions["provider_failure"] = .string("\(error)")
                if let failure = error as? GenerationFailure, failure.isBilled {
                    // Not the answer, but billed all the same: metered with the turn.
                    turn.extensions["failed_generation"] = [
                        "provider": .string(failure.provider), "prompt_tokens": .number(Double(failure.promptTokens)),
                        "completion_tokens": .number(Double(failure.completionTokens)),
                    ]
                }
                note = "every provider failed (\(error)); "
            }
        }
        let answerer = ExtractiveAnswerer(
            maxSentences: settings.maxSentences, minimumConfidence: settings.minimumConfidence)
        switch answerer.answer(question: turn.text, passages: turn.passages, confidence: confidence) {
        case .answer(let text, let citations):
            turn.draftReply = text
            turn.citations = citations
            if let guarded = outputGuard?.sink(for: turn, protected: [], downstream: sink) {
                await guarded.send(text)
                await Self.apply(guarded, to: &turn)
            } else if let sink {
                await sink.send(text)
            }
            return .continue(
                because: (note ?? "") + "extractive answer from \(citations.count) sources, confidence "
                    + "\(Self.rounded(confidence))")
        case .unknown:
            return .continue(because: (note ?? "") + "the passages do not answer the question")
        }
    }

    /// Ends a guarded stream: the draft becomes what the visitor was shown, and the verdict goes to the guard stage.
    private static func apply(_ guarded: GuardedReplySink, to turn: inout Turn) async {
        let verdict = await guarded.finish()
        turn.draftReply = verdict.text
        StreamedVerdict(verdict).store(in: &turn.extensions)
    }

    private static func rounded(_ value: Double) -> Double { (value * 100).rounded() / 100 }
}
