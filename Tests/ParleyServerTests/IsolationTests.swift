import Foundation
import Testing

@Suite("Tenant isolation through the API")
struct IsolationTests {
    @Test("tenant B cannot read or change tenant A's conversations, messages, config, keys, domains or users")
    func isolation() async throws {
        try await Harness.run { harness in
            let a = try await harness.newTenant("Acme")
            let b = try await harness.newTenant("Globex")
            let visitorA = try await harness.session(widgetKey: a.widgetKey)
            let said = try await harness.say(
                "secret order 123", token: visitorA.token, conversation: visitorA.conversation)
            let messageID = try #require(said["reply"]["message_id"].string)
            let key = try await harness.call(.post, "/api/api-keys", json: ["name": "a-key"], token: a.token)
            let keyID = try #require(key["api_key"]["id"].string)
            let domain = try await harness.call(
                .post, "/api/domains", json: ["host": "acme.example.com"], token: a.token)
            let domainID = try #require(domain["id"].string)
            _ = try await harness.call(
                .put, "/api/chain", json: ["stages": [["stage": "fallback", "settings": ["text": "Acme only"]]]],
                token: a.token)
            let usersA = try await harness.call(.get, "/api/users", token: a.token)
            let userA = try #require(usersA.json.array.first?["id"].string)

            // Staff of B.
            #expect(try await harness.call(.get, "/api/conversations", token: b.token).json.array.isEmpty)
            #expect(
                try await harness.call(.get, "/api/conversations/\(visitorA.conversation)", token: b.token).status
                    == .notFound)
            #expect(try await harness.call(.get, "/api/api-keys", token: b.token).json.array.isEmpty)
            #expect(try await harness.call(.delete, "/api/api-keys/\(keyID)", token: b.token).status == .notFound)
            #expect(try await harness.call(.get, "/api/domains", token: b.token).json.array.isEmpty)
            #expect(try await harness.call(.get, "/api/domains/\(domainID)", token: b.token).status == .notFound)
            #expect(try await harness.call(.put, "/api/domains/\(domainID)/verify", token: b.token).status == .notFound)
            #expect(try await harness.call(.get, "/api/domains/\(domainID)/script", token: b.token).status == .notFound)
            #expect(try await harness.call(.delete, "/api/domains/\(domainID)", token: b.token).status == .notFound)
            #expect(try await harness.call(.delete, "/api/users/\(userA)", token: b.token).status == .notFound)
            #expect(!(try await harness.call(.get, "/api/users", token: b.token).text.contains("admin@acme.test")))
            let chainB = try await harness.call(.get, "/api/chain", token: b.token)
            #expect(chainB["version"].int == 0)
            #expect(!chainB.text.contains("Acme only"))
            #expect(try await harness.call(.get, "/api/chain/versions", token: b.token).json.array.isEmpty)

            // Visitors of B.
            let visitorB = try await harness.session(widgetKey: b.widgetKey)
            #expect(
                try await harness.call(.get, "/api/chat/history/\(visitorA.conversation)", token: visitorB.token).status
                    == .notFound)
            #expect(
                try await harness.say("hi", token: visitorB.token, conversation: visitorA.conversation).status
                    == .notFound)
            #expect(
                try await harness.call(
                    .post, "/api/chat/feedback", json: ["message_id": messageID, "rating": 1], token: visitorB.token
                ).status == .notFound)
            #expect(
                try await harness.call(
                    .post, "/api/chat/escalate", json: ["conversation_id": visitorA.conversation], token: visitorB.token
                ).status == .notFound)
            // A visitor id signed for A is not valid for B's widget.
            let crossVisitor = try await harness.call(
                .post, "/api/widget/session", json: ["widget_key": b.widgetKey, "visitor_id": visitorA.visitorID],
                headers: [.origin: Harness.origin])
            #expect(crossVisitor.status == .badRequest)

            // A still sees its own data, with A's chain applied.
            let detail = try await harness.call(.get, "/api/conversations/\(visitorA.conversation)", token: a.token)
            #expect(detail["messages"].array.count == 2)
            let again = try await harness.say("more", token: visitorA.token, conversation: visitorA.conversation)
            #expect(again["reply"]["text"].string == "Acme only")
        }
    }
}
