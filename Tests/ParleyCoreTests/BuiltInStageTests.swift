import BusinessHoursPlugin
import Foundation
import ParleyCore
import ParleyStages
import Testing

@Suite("Built-in stages and the business-hours plugin")
struct BuiltInStageTests {
    @Test("fallback drafts the tenant's text and marks a bot failure")
    func fallback() async throws {
        var turn = Fixtures.turn()
        let outcome = try await FallbackStage(settings: .init()).process(&turn, context: Fixtures.context())
        #expect(outcome.decision == .continue)
        #expect(turn.draftReply == Fixtures.tenant.fallbackText)
        #expect(turn.botFailed)
        #expect(turn.quickReplies == ["Talk to a person"])
    }

    @Test("the fallback's quick reply is a request the escalation stage hands over on; it can be turned off")
    func fallbackQuickReply() async throws {
        var turn = Fixtures.turn()
        _ = try await FallbackStage(settings: .init()).process(&turn, context: Fixtures.context())
        var tapped = Fixtures.turn(try #require(turn.quickReplies.first))
        let outcome = try await EscalationStage(settings: .init()).process(&tapped, context: Fixtures.context())
        guard case .escalate = outcome.decision else {
            Issue.record("tapping the quick reply did not ask for a human: \(outcome)")
            return
        }
        var settings = FallbackStage.Settings()
        settings.humanOption = ""
        var quiet = Fixtures.turn()
        _ = try await FallbackStage(settings: settings).process(&quiet, context: Fixtures.context())
        #expect(quiet.quickReplies.isEmpty)
    }

    @Test("fallback leaves an existing draft alone")
    func fallbackKeepsDraft() async throws {
        var turn = Fixtures.turn()
        turn.draftReply = "answer"
        _ = try await FallbackStage(settings: .init()).process(&turn, context: Fixtures.context())
        #expect(turn.draftReply == "answer")
        #expect(!turn.botFailed)
    }

    @Test(
        "escalation recognises requests for a human in several languages",
        arguments: [
            "Can I talk to a HUMAN please?", "quiero hablar con un agente", "Je veux un humain", "Mitarbeiter bitte",
        ]
    )
    func humanRequest(text: String) async throws {
        var turn = Fixtures.turn(text)
        let outcome = try await EscalationStage(settings: .init()).process(&turn, context: Fixtures.context())
        guard case .escalate(let escalation) = outcome.decision else {
            Issue.record("expected an escalation for \(text)")
            return
        }
        #expect(escalation.reason.contains("asked for a human"))
    }

    @Test("escalation does not fire on ordinary questions or on parts of words")
    func noFalseAlarm() async throws {
        for text in ["How do I reset my password?", "What is a humanoid robot?", "agents of change book"] {
            var turn = Fixtures.turn(text)
            let outcome = try await EscalationStage(settings: .init()).process(&turn, context: Fixtures.context())
            #expect(outcome.decision == .continue, "\(text)")
        }
    }

    @Test("escalation after repeated bot failures")
    func repeatedFailures() async throws {
        let stage = EscalationStage(settings: .init())
        var first = Fixtures.turn("what about shipping?", botFailures: 0)
        first.botFailed = true
        #expect(try await stage.process(&first, context: Fixtures.context()).decision == .continue)
        var second = Fixtures.turn("and returns?", botFailures: 1)
        second.botFailed = true
        guard case .escalate = try await stage.process(&second, context: Fixtures.context()).decision else {
            Issue.record("expected escalation on the second failure in a row")
            return
        }
    }

    @Test("escalation on a tenant's sensitive topics, on whole words only")
    func sensitiveTopics() async throws {
        var settings = EscalationStage.Settings()
        settings.sensitiveTopics = ["lawsuit", "data breach"]
        let stage = EscalationStage(settings: settings)
        var legal = Fixtures.turn("I am filing a LAWSUIT tomorrow")
        guard case .escalate(let escalation) = try await stage.process(&legal, context: Fixtures.context()).decision
        else {
            Issue.record("expected escalation on a sensitive topic")
            return
        }
        #expect(escalation.reason.contains("sensitive topic"))
        var breach = Fixtures.turn("was there a data breach?")
        #expect(try await stage.process(&breach, context: Fixtures.context()).decision != .continue)
        var harmless = Fixtures.turn("lawsuits are not my thing, data is fine")
        #expect(try await stage.process(&harmless, context: Fixtures.context()).decision == .continue)
        settings.sensitiveTopics = [" "]
        #expect(!settings.validate().isEmpty)
    }

    @Test("escalation when the model providers failed and nothing answered, not when an answer was found")
    func providerFailure() async throws {
        let stage = EscalationStage(settings: .init())
        var unanswered = Fixtures.turn("where is my order?")
        unanswered.extensions["provider_failure"] = "timeout"
        unanswered.botFailed = true
        guard
            case .escalate(let escalation) = try await stage.process(&unanswered, context: Fixtures.context()).decision
        else {
            Issue.record("expected escalation after a provider failure with no answer")
            return
        }
        #expect(escalation.reason.contains("providers failed"))
        var answered = Fixtures.turn("where is my order?")
        answered.extensions["provider_failure"] = "timeout"
        answered.draftReply = "Orders ship in two days."
        #expect(try await stage.process(&answered, context: Fixtures.context()).decision == .continue)
    }

    @Test("escalation on very negative sentiment")
    func sentiment() async throws {
        var turn = Fixtures.turn("this is useless")
        turn.sentiment = -0.9
        guard
            case .escalate = try await EscalationStage(settings: .init()).process(&turn, context: Fixtures.context())
                .decision
        else {
            Issue.record("expected escalation")
            return
        }
    }

    @Test("escalation when the visitor keeps asking the same question: the third time, or the second after a miss")
    func loop() async throws {
        let stage = EscalationStage(settings: .init())
        var recent: [String] = []
        func ask(_ text: String, botFailures: Int = 0) async throws -> Outcome {
            var turn = Fixtures.turn(text, botFailures: botFailures)
            turn.recentQuestions = recent
            let outcome = try await stage.process(&turn, context: Fixtures.context())
            recent = turn.recentQuestions
            return outcome
        }
        #expect(try await ask("How do I change my delivery address?").decision == .continue)
        #expect(try await ask("What are your opening hours?").decision == .continue)
        #expect(try await ask("how do i change my DELIVERY address").decision == .continue, "asked twice")
        guard case .escalate(let escalation) = try await ask("How do I change my delivery address??").decision else {
            Issue.record("expected an escalation on the third ask")
            return
        }
        #expect(escalation.reason.contains("repeated the same question (3 times)"))
        #expect(recent.count == EscalationStage.Settings.rememberedQuestions)

        recent = ["where is my parcel"]
        guard case .escalate = try await ask("Where is my parcel?", botFailures: 1).decision else {
            Issue.record("expected an escalation when a missed question comes again")
            return
        }
        var off = EscalationStage.Settings()
        off.loopAfterRepeats = 0
        var turn = Fixtures.turn("where is my parcel", botFailures: 1)
        turn.recentQuestions = ["where is my parcel", "where is my parcel"]
        #expect(
            try await EscalationStage(settings: off).process(&turn, context: Fixtures.context()).decision == .continue)
        off.loopAfterRepeats = 9
        #expect(!off.validate().isEmpty)
    }

    @Test("escalation when the sentiment trends negative over several messages, not on one sour message")
    func sentimentTrend() async throws {
        let stage = EscalationStage(settings: .init())
        var souring = Fixtures.turn("still not working")
        souring.sentimentTrend = SentimentTrendState(value: -0.5, delta: -0.2, count: 4)
        guard case .escalate(let escalation) = try await stage.process(&souring, context: Fixtures.context()).decision
        else {
            Issue.record("expected an escalation on a negative trend")
            return
        }
        #expect(escalation.reason.contains("trending negative"))
        var recovering = Fixtures.turn("ok that helps")
        recovering.sentimentTrend = SentimentTrendState(value: -0.5, delta: 0.3, count: 4)
        #expect(try await stage.process(&recovering, context: Fixtures.context()).decision == .continue)
        var early = Fixtures.turn("hmm")
        early.sentimentTrend = SentimentTrendState(value: -0.6, delta: -0.6, count: 1)
        #expect(try await stage.process(&early, context: Fixtures.context()).decision == .continue)
    }

    @Test(
        "output guard on a whole reply: redacts produced personal data, keeps the passage's, blocks off-topic replies")
    func outputGuard() async throws {
        let stage = OutputGuardStage(settings: .init())
        var turn = Fixtures.turn("how do I reach you?")
        turn.passages = [
            Passage(
                chunkID: "c1", documentID: "d1", title: "Contact", headingPath: [], url: nil,
                text: "Call us on +1 415 555 0100.", score: 1, foundBy: ["lexical"])
        ]
        turn.draftReply = "Call +1 415 555 0100, or mail our CEO at ceo.private@mail.example."
        let outcome = try await stage.process(&turn, context: Fixtures.context())
        #expect(turn.draftReply == "Call +1 415 555 0100, or mail our CEO at [EMAIL].", "\(turn.draftReply ?? "")")
        #expect(outcome.reason == "redacted email from the reply")

        var blocked = OutputGuardStage.Settings()
        blocked.blockOffTopic = true
        var stray = Fixtures.turn("how do I reach you?")
        stray.draftReply = "Quantum chromodynamics describes strong interactions between quarks and gluons."
        _ = try await OutputGuardStage(settings: blocked).process(&stray, context: Fixtures.context())
        #expect(stray.draftReply == blocked.message)
        #expect(stray.botFailed)
        #expect(stray.extensions["output_guard"]?.objectValue?["blocked"] != nil)
    }

    @Test("business hours: open inside hours, after-hours answer and follow-up tag outside")
    func businessHours() async throws {
        var settings = BusinessHoursStage.Settings()
        settings.timeZone = "Europe/Berlin"
        settings.hours = ["mon": "09:00-17:00"]
        let stage = BusinessHoursStage(settings: settings)
        // Monday 2026-11-23 10:00 in Berlin is 09:00 UTC; 18:00 Berlin is 17:00 UTC.
        let open = ISO8601DateFormatter().date(from: "2026-11-23T09:00:00Z")!
        let closed = ISO8601DateFormatter().date(from: "2026-11-23T17:00:00Z")!
        var turn = Fixtures.turn()
        #expect(try await stage.process(&turn, context: Fixtures.context(now: open)).decision == .continue)
        #expect(turn.tags.isEmpty)
        let outcome = try await stage.process(&turn, context: Fixtures.context(now: closed))
        #expect(outcome.decision == .reply(settings.afterHoursMessage))
        #expect(turn.tags.contains("follow_up"))
    }

    @Test("business hours settings are validated")
    func businessHoursValidation() {
        var settings = BusinessHoursStage.Settings()
        settings.timeZone = "Mars/Olympus"
        settings.hours = ["funday": "09:00-17:00", "mon": "17:00-09:00"]
        let problems = settings.validate()
        #expect(problems.count == 3)
    }
}
