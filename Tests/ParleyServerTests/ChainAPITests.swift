import Foundation
import Testing

@Suite("Chain configuration API and plugins")
struct ChainAPITests {
    @Test("the stage registry lists built-ins and the plugin with settings schemas")
    func stages() async throws {
        try await Harness.run { harness in
            let admin = try await harness.demoAdmin()
            let stages = try await harness.call(.get, "/api/stages", token: admin)
            let ids = stages.json.array.compactMap { $0["id"].string }
            #expect(
                ids == [
                    "moderation", "pii-redaction", "language", "sentiment", "intent", "business-hours", "rules",
                    "retrieval", "generation", "output-guard", "fallback", "escalation",
                ])
            let plugin = try #require(stages.json.array.first { $0["id"].string == "business-hours" })
            #expect(plugin["built_in"].bool == false)
            #expect(plugin["settings_schema"]["properties"]["timeZone"]["type"].string == "string")
            let chain = try await harness.call(.get, "/api/chain", token: admin)
            #expect(chain["version"].int == 0)
            #expect(
                chain["stages"].array.map { $0["enabled"].bool } == [
                    true, true, true, true, true, false, true, true, true, true, true, true,
                ])
        }
    }

    @Test("an invalid chain is refused as a whole with every problem, and nothing changes")
    func invalid() async throws {
        try await Harness.run { harness in
            let admin = try await harness.demoAdmin()
            let reply = try await harness.call(
                .put, "/api/chain",
                json: [
                    "stages": [
                        ["stage": "fallback"], ["stage": "business-hours", "settings": ["timeZone": "Nowhere/City"]],
                        ["stage": "nonexistent"], ["stage": "escalation", "settings": ["maxBotFailures": "two"]],
                    ]
                ], token: admin)
            #expect(reply.status == .unprocessableContent)
            #expect(reply.errorCode == "invalid_chain")
            let problems = reply.json["error"]["details"]["problems"].array
            let messages = problems.compactMap { $0["message"].string }
            #expect(messages.contains("unknown stage 'nonexistent'"))
            #expect(messages.contains("unknown time zone 'Nowhere/City'"))
            #expect(messages.contains("must come before 'fallback'"))
            #expect(messages.contains { $0.contains("maxBotFailures") })
            #expect(problems.contains { $0["index"].int == 2 })
            #expect(try await harness.call(.get, "/api/chain", token: admin)["version"].int == 0)
        }
    }

    @Test("a valid chain applies on the next turn; rollback restores the previous one")
    func applyAndRollback() async throws {
        try await Harness.run { harness in
            let admin = try await harness.demoAdmin()
            let visitor = try await harness.session()
            let noPrevious = try await harness.call(.post, "/api/chain/rollback", token: admin)
            #expect(noPrevious.status == .conflict)
            let v1 = try await harness.call(
                .put, "/api/chain", json: ["stages": [["stage": "fallback", "settings": ["text": "Version one"]]]],
                token: admin)
            #expect(v1["version"].int == 1)
            let v2 = try await harness.call(
                .put, "/api/chain", json: ["stages": [["stage": "fallback", "settings": ["text": "Version two"]]]],
                token: admin)
            #expect(v2["version"].int == 2)
            #expect(
                try await harness.say("a", token: visitor.token, conversation: visitor.conversation)["reply"]["text"]
                    .string == "Version two")
            let rolledBack = try await harness.call(.post, "/api/chain/rollback", token: admin)
            #expect(rolledBack.status == .ok)
            #expect(rolledBack["version"].int == 1)
            #expect(
                try await harness.say("b", token: visitor.token, conversation: visitor.conversation)["reply"]["text"]
                    .string == "Version one")
            let versions = try await harness.call(.get, "/api/chain/versions", token: admin)
            #expect(versions.json.array.compactMap { $0["version"].int } == [2, 1])
        }
    }

    @Test("enabling the business-hours plugin answers after hours and tags the conversation for follow-up")
    func businessHoursPlugin() async throws {
        try await Harness.run { harness in
            let admin = try await harness.demoAdmin()
            let enabled = try await harness.call(
                .put, "/api/chain",
                json: [
                    "stages": [
                        [
                            "stage": "business-hours",
                            "settings": ["hours": [String: String](), "afterHoursMessage": "We are closed."],
                        ],
                        ["stage": "fallback"], ["stage": "escalation"],
                    ]
                ], token: admin)
            #expect(enabled.status == .ok)
            let visitor = try await harness.session()
            let reply = try await harness.say(
                "Are you there?", token: visitor.token, conversation: visitor.conversation)
            #expect(reply["reply"]["text"].string == "We are closed.")
            let detail = try await harness.call(.get, "/api/conversations/\(visitor.conversation)", token: admin)
            #expect(detail["conversation"]["tags"].array.compactMap(\.string) == ["follow_up"])
            #expect(detail["turns"][0]["decided_by"].string == "business-hours")
            #expect(detail["turns"][0]["trace"][0]["reason"].string?.contains("outside business hours") == true)
        }
    }
}
