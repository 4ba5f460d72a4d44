import Foundation
import ParleyCore
import Testing

/// Widget events through `on_event` rules: proactive messages, cooldowns, the frequency cap and input checks.
@Suite("Widget events and proactive rules")
struct ProactiveEventTests {
    func activate(_ name: String, _ source: String, harness: Harness, token: String) async throws {
        try await Self.activate(name, source, harness: harness, token: token)
    }

    static func activate(_ name: String, _ source: String, harness: Harness, token: String) async throws {
        let stored = try await harness.call(.put, "/api/rules/\(name)", json: ["source": source], token: token)
        #expect(stored.status == .created, "\(stored.text)")
        _ = try await harness.call(.post, "/api/rules/\(name)/activate", token: token)
    }

    /// The example rule that offers help after 30 s on the pricing page, active for the demo tenant as `name`.
    static func activatePricingOffer(_ harness: Harness, admin: String, as name: String = "pricing-page-offer")
        async throws
    {
        let source = try String(
            contentsOf: RulesAPITests.examples.appendingPathComponent("pricing-page-offer.lua"), encoding: .utf8)
        try await activate(name, source, harness: harness, token: admin)
    }

    /// The visitor's 31 seconds on the pricing page, reported: the offer's trigger.
    static func pricingPageVisit(_ harness: Harness, conversation: String, token: String) async throws -> Reply {
        try await harness.call(
            .post, "/api/widget/event",
            json: [
                "conversation_id": conversation, "type": "time_on_page", "seconds": 31,
                "page_url": "https://shop.example/pricing",
            ], token: token)
    }

    @Test("30 s on the pricing page gets the example's offer once; the cooldown holds the second")
    func pricingOffer() async throws {
        try await Harness.run { harness in
            try await Self.activatePricingOffer(harness, admin: try await harness.demoAdmin())
            let visitor = try await harness.session()
            func event(_ seconds: Int, _ url: String) async throws -> Reply {
                try await harness.call(
                    .post, "/api/widget/event",
                    json: [
                        "conversation_id": visitor.conversation, "type": "time_on_page", "seconds": seconds,
                        "page_url": url,
                    ], token: visitor.token)
            }
            let early = try await event(5, "https://shop.example/pricing")
            #expect(early.status == .ok)
            #expect(early["message"].isNull)
            let offer = try await event(31, "https://shop.example/pricing")
            #expect(offer["message"]["text"].string?.isEmpty == false, "\(offer.text)")
            #expect(offer["message"]["role"].string == "assistant")
            let again = try await event(45, "https://shop.example/pricing")
            #expect(again["message"].isNull)
            #expect(again["suppressed"][0]["reason"].string == "cooldown")
            let history = try await harness.call(
                .get, "/api/chat/history/\(visitor.conversation)", token: visitor.token)
            #expect(history["messages"].array.contains { $0["text"].string == offer["message"]["text"].string })
        }
    }

    @Test("a proactive message reaches the conversation's watchers live, as the widget shows it")
    func proactiveMessagesAreLive() async throws {
        try await Harness.run { harness in
            try await Self.activatePricingOffer(harness, admin: try await harness.demoAdmin())
            let visitor = try await harness.session()
            try await LiveChannelTests.withSocket(harness, token: visitor.token) { send, frames in
                // Another tab of the visitor's, or an agent's view: it watches the conversation.
                try await send(["type": "resync", "conversation_id": visitor.conversation, "after": NSNull()])
                _ = try await LiveChannelTests.frame(in: frames) { $0["type"].string == "history" }
                let offer = try await Self.pricingPageVisit(
                    harness, conversation: visitor.conversation, token: visitor.token)
                let id = try #require(offer["message"]["message_id"].string, "\(offer.text)")
                let heard = try await LiveChannelTests.frame(in: frames) {
                    $0["type"].string == "message" && $0["message"]["message_id"].string == id
                }
                #expect(heard["message"]["text"].string == offer["message"]["text"].string)
            }
        }
    }

    @Test("no proactive message goes into a conversation an agent has, or one that is queued")
    func onlyWhileTheBotHasTheConversation() async throws {
        try await Harness.run { harness in
            let admin = try await harness.demoAdmin()
            try await activate(
                "chatty", "function on_event(e, v) return { message = 'Need a hand?', cooldown_s = 0 } end",
                harness: harness, token: admin)
            let visitor = try await harness.session()
            let event: [String: Any] = ["conversation_id": visitor.conversation, "type": "page_view"]
            let escalated = try await harness.call(
                .post, "/api/chat/escalate", json: ["conversation_id": visitor.conversation], token: visitor.token)
            #expect(escalated.status == .ok, "\(escalated.text)")
            let queued = try await harness.call(.post, "/api/widget/event", json: event, token: visitor.token)
            #expect(queued.status == .ok && queued["message"].isNull, "\(queued.text)")
            let claimed = try await harness.call(
                .post, "/api/agent/conversations/\(visitor.conversation)/claim", token: admin)
            #expect(claimed.status == .ok, "\(claimed.text)")
            let withAgent = try await harness.call(.post, "/api/widget/event", json: event, token: visitor.token)
            #expect(withAgent.status == .ok && withAgent["message"].isNull, "\(withAgent.text)")
            let stored = try await harness.store.messages.list(
                conversation: ConversationID(visitor.conversation), tenant: harness.seed.demoTenantID, after: nil,
                limit: 50)
            #expect(!stored.contains { $0.text == "Need a hand?" }, "\(stored.map(\.text))")
        }
    }

    @Test("the frequency cap stops a visitor's fourth proactive message in a day")
    func frequencyCap() async throws {
        try await Harness.run { harness in
            let admin = try await harness.demoAdmin()
            try await activate(
                "chatty", "function on_event(e, v) return { message = 'Hello again', cooldown_s = 0 } end",
                harness: harness, token: admin)
            let visitor = try await harness.session()
            var sent = 0
            var last: Reply?
            for _ in 0..<4 {
                let reply = try await harness.call(
                    .post, "/api/widget/event", json: ["conversation_id": visitor.conversation, "type": "page_view"],
                    token: visitor.token)
                if !reply["message"].isNull { sent += 1 }
                last = reply
            }
            #expect(sent == 3)
            #expect(last?["suppressed"][0]["reason"].string == "frequency_cap")
        }
    }

    @Test("events are validated; a failing event rule answers no message rather than an error")
    func validation() async throws {
        try await Harness.run { harness in
            let admin = try await harness.demoAdmin()
            try await activate(
                "broken", "function on_event(e, v) error('nope') end", harness: harness, token: admin)
            let visitor = try await harness.session()
            func post(_ body: [String: Any], token: String?) async throws -> Reply {
                try await harness.call(.post, "/api/widget/event", json: body, token: token)
            }
            let base: [String: Any] = ["conversation_id": visitor.conversation, "type": "page_view"]
            #expect(try await post(base, token: nil).status == .unauthorized)
            let ok = try await post(base, token: visitor.token)
            #expect(ok.status == .ok)
            #expect(ok["message"].isNull)
            for (change, code) in [
                (["type": "teleport"], "validation_failed"),
                (["colour": "red"], "validation_failed"),
                (["cart": ["items": ["nested": true]]], "validation_failed"),
                (["seconds": -4], "validation_failed"),
                (["page_url": String(repeating: "u", count: 3000)], "validation_failed"),
            ] as [([String: Any], String)] {
                let reply = try await post(base.merging(change) { _, new in new }, token: visitor.token)
                #expect(reply.status == .unprocessableContent, "\(change)")
                #expect(reply.errorCode == code)
            }
            let stranger = try await post(
                ["conversation_id": "not-yours", "type": "page_view"], token: visitor.token)
            #expect(stranger.status == .notFound)
        }
    }
}
