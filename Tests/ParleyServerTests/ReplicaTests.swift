import Foundation
import Logging
import ParleyCore
import Testing

@testable import ParleyServer

/// Two `parley` servers on one PostgreSQL database, as replicas behind a load balancer: what happens on one reaches
/// the people connected to the other, and settings changed on one take effect on the other.
@Suite(
    "Two replicas on one database",
    .enabled(if: ProcessInfo.processInfo.environment["PARLEY_TEST_DATABASE_URL"] != nil))
struct ReplicaTests {
    /// Runs `body` with two live servers on the same database: the harness's, and a second replica.
    static func withTwoReplicas(_ body: @escaping @Sendable (Harness, Harness) async throws -> Void) async throws {
        let configuration = Harness.configuration()
        try await Harness.run(configuration) { first in
            var second = configuration
            second.dataDirectory += "-replica"
            var logger = Logger(label: "parley-replica")
            logger.logLevel = .warning
            let built = try await ParleyApp.build(configuration: second, logger: logger)
            try await built.application.test(.live) { client in
                try await body(first, Harness(client: client, seed: first.seed, store: built.store))
            }
            try? await built.store.close()
        }
    }

    @Test("an agent on one replica and a visitor on the other see each other's messages at once")
    func liveAcrossReplicas() async throws {
        try await Self.withTwoReplicas { visitorSide, agentSide in
            let admin = try await agentSide.demoAdmin()
            let visitor = try await visitorSide.session()
            try await LiveChannelTests.withSocket(visitorSide, token: visitor.token) { send, frames in
                try await send(["type": "resync", "conversation_id": visitor.conversation, "after": NSNull()])
                _ = try await LiveChannelTests.frame(in: frames) { $0["type"].string == "history" }
                let base = "/api/agent/conversations/\(visitor.conversation)"
                #expect(try await agentSide.call(.post, "\(base)/claim", token: admin).status == .ok)
                let joined = try await LiveChannelTests.frame(in: frames) {
                    $0["type"].string == "state" && $0["state"].string == "human"
                }
                #expect(joined["state"].string == "human")
                let sent = try await agentSide.call(
                    .post, "\(base)/messages", json: ["text": "Hi from B"], token: admin)
                let answered = ContinuousClock.now
                var arrived: ContinuousClock.Instant?
                while ContinuousClock.now - answered < .seconds(10) {
                    if frames.all.contains(where: { $0["message"]["message_id"].string == sent["message_id"].string }) {
                        arrived = ContinuousClock.now
                        break
                    }
                    try await Task.sleep(for: .milliseconds(2))
                }
                let delay = try #require(arrived, "the agent's message never reached the other replica") - answered
                // A loose bound: every suite runs in parallel here, and CI's full run on PostgreSQL once took 339 ms.
                // The 200 ms goal is held by the reliability test, two real processes with nothing else running.
                #expect(delay < .seconds(5), "the agent's message took \(delay) to reach the other replica")
            }
            // The visitor's message, sent to the first replica, is in the second's history at once.
            _ = try await visitorSide.say("thanks!", token: visitor.token, conversation: visitor.conversation)
            let detail = try await agentSide.call(.get, "/api/conversations/\(visitor.conversation)", token: admin)
            #expect(detail["messages"].array.contains { $0["text"].string == "thanks!" })
        }
    }

    @Test("a message resent to the other replica while its turn runs waits for that turn: the model answers once")
    func resendToTheOtherReplica() async throws {
        try await StreamingAnswerTests.withFakeProvider(InterruptedAnswerTests.slow) { port, received in
            try await Self.withTwoReplicas { first, second in
                // A first-token limit no load reaches: the count below is of turns run, not of the provider chain's
                // own retries (a first token later than the default 2 s, on a loaded machine, is asked again).
                _ = try await StreamingAnswerTests.setUp(
                    first,
                    provider: StreamingAnswerTests.provider(
                        "http://127.0.0.1:\(port)/v1", extra: ["first_token_ms": 30_000]))
                let visitor = try await first.session()
                // The turn streams on the first replica (about four seconds of writing) ...
                let streaming = try await InterruptedAnswerTests.startStream(
                    port: first.port, token: visitor.token, conversation: visitor.conversation)
                // ... when the same message (client id "m1") reaches the second, as after a reconnect.
                let resent = try await second.say(
                    "How long do refunds take?", token: visitor.token, conversation: visitor.conversation,
                    clientID: "m1")
                #expect(resent.status == .ok, "\(resent.text)")
                #expect(resent["reply"]["text"].string?.contains("word40") == true, "\(resent.text)")
                let streamed = try await streaming.value
                #expect(streamed.contains("word40"))
                #expect(received.bodies.withLock { $0.count } == 1, "the model was asked more than once")
                let stored = try await first.store.messages.list(
                    conversation: ConversationID(visitor.conversation), tenant: first.seed.demoTenantID, after: nil,
                    limit: 10)
                #expect(stored.filter { $0.role == .assistant }.count == 1, "\(stored.map(\.text))")
            }
        }
    }

    @Test("an agent's claim on one replica stops the bot's reply being written on the other")
    func claimAcrossReplicasStopsTheBot() async throws {
        try await StreamingAnswerTests.withFakeProvider(InterruptedAnswerTests.slow) { port, _ in
            try await Self.withTwoReplicas { visitorSide, agentSide in
                let admin = try await StreamingAnswerTests.setUp(visitorSide, port: port)
                let visitor = try await visitorSide.session()
                let reader = try await InterruptedAnswerTests.startStream(
                    port: visitorSide.port, token: visitor.token, conversation: visitor.conversation)
                let claim = try await agentSide.call(
                    .post, "/api/agent/conversations/\(visitor.conversation)/claim", token: admin)
                #expect(claim.status == .ok, "\(claim.text)")
                let events = StreamingAnswerTests.events(try await reader.value)
                let done = try #require(events.last { $0.0 == "done" }?.1)
                let text = try #require(done["reply"]["text"].string)
                #expect(text.hasPrefix("word1 ") && !text.contains("word40"), "the reply was not stopped: \(text)")
                let stored = try await InterruptedAnswerTests.storedReply(
                    visitorSide, conversation: visitor.conversation, admin: admin)
                #expect(stored["metadata"]["interrupted"].bool == true, "\(stored)")
            }
        }
    }

    @Test("an agent's presence reported on one replica is seen on the other at once, and so is going offline")
    func presenceAcrossReplicas() async throws {
        try await Self.withTwoReplicas { first, second in
            let admin = try await first.demoAdmin()
            let reported = try await first.call(.put, "/api/agent/presence", json: ["status": "online"], token: admin)
            #expect(reported.status == .ok)
            let sent = ContinuousClock.now
            var seen = false
            while ContinuousClock.now - sent < .seconds(15), !seen {
                let listed = try await second.call(.get, "/api/agent/presence", token: admin)
                seen = listed["agents"].array.contains { $0["status"].string == "online" }
                if !seen { try await Task.sleep(for: .milliseconds(5)) }
            }
            // Arrival, not speed: this polls the other replica over HTTP while every suite runs at once, and CI's
            // PostgreSQL run has taken seconds. Presence rides the same channel as messages, whose 200 ms goal the
            // reliability test holds for two real processes with nothing else running.
            #expect(seen, "presence never reached the other replica (\(ContinuousClock.now - sent))")
            _ = try await first.call(.put, "/api/agent/presence", json: ["status": "offline"], token: admin)
            let left = ContinuousClock.now
            var gone = false
            while ContinuousClock.now - left < .seconds(15), !gone {
                gone = try await second.call(.get, "/api/agent/presence", token: admin)["agents"].array.isEmpty
                if !gone { try await Task.sleep(for: .milliseconds(5)) }
            }
            #expect(gone, "going offline did not reach the other replica")
        }
    }

    @Test("a rule activated on one replica takes effect on the other at the next turn")
    func ruleAcrossReplicas() async throws {
        try await Self.withTwoReplicas { serving, configuring in
            let admin = try await configuring.demoAdmin()
            let visitor = try await serving.session()
            // The serving replica reads (and caches) the tenant's rules before the change.
            let before = try await serving.say("ping", token: visitor.token, conversation: visitor.conversation)
            #expect(before["reply"]["text"].string != "pong from B")
            let stored = try await configuring.call(
                .put, "/api/rules/pinger", json: ["source": RulesAPITests.replying("pong from B")], token: admin)
            #expect(stored.status == .ok || stored.status == .created)
            #expect(try await configuring.call(.post, "/api/rules/pinger/activate", token: admin).status == .ok)
            var reply: String?
            for _ in 0..<20 {
                reply = try await serving.say("ping", token: visitor.token, conversation: visitor.conversation)[
                    "reply"]["text"].string
                if reply == "pong from B" { break }
                try await Task.sleep(for: .milliseconds(50))
            }
            #expect(reply == "pong from B")
        }
    }
}
