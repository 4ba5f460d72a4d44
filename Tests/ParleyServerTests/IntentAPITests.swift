import Foundation
import ParleyAI
import Testing

/// Per-tenant intents through the API, the intent stage in a live turn, stored redaction and the sentiment trend.
@Suite("Intents API and understanding in live turns")
struct IntentAPITests {
    static var intents: [[String: Any]] {
        [
            [
                "name": "delivery",
                "examples": [
                    "where is my parcel", "my order has not arrived", "when will my package be delivered",
                    "track my order", "the delivery is late",
                ],
            ],
            [
                "name": "refund",
                "examples": [
                    "I want my money back", "refund my order please", "can I get a refund", "how do refunds work",
                    "return this and refund me",
                ],
            ],
            [
                "name": "password",
                "examples": [
                    "I forgot my password", "reset my password", "I cannot log in", "change my password",
                    "my login does not work",
                ],
            ],
        ]
    }

    @Test("intents are validated, trained on PUT, readable, and used by the next turn and by rules")
    func intentsLifecycle() async throws {
        try await Harness.run { harness in
            let admin = try await harness.demoAdmin()
            let empty = try await harness.call(.get, "/api/intents", token: admin)
            #expect(empty["version"].int == 0)
            #expect(empty["intents"].array.isEmpty)
            #expect(
                try await harness.call(.post, "/api/intents/predict", json: ["text": "hi"], token: admin).errorCode
                    == "no_intents")

            for (body, problem) in [
                (["intents": [Self.intents[0]]], "at least two intents"),
                (["intents": Self.intents, "out_of_scope_threshold": 2], "out_of_scope_threshold"),
                (["intents": Self.intents + [["name": "Bad Name", "examples": ["x"]]]], "must match"),
                (["intents": Self.intents + [["name": "empty", "examples": ["  "]]]], "needs at least one example"),
                (["intents": Self.intents + [Self.intents[0]]], "appears twice"),
            ] as [([String: Any], String)] {
                let reply = try await harness.call(.put, "/api/intents", json: body, token: admin)
                #expect(reply.status == .unprocessableContent, "\(problem)")
                #expect(reply["error"]["message"].string?.contains(problem) == true, "\(reply.text)")
            }
            #expect(
                try await harness.call(.put, "/api/intents", json: ["intents": 3], token: admin).status
                    == .unprocessableContent)

            let saved = try await harness.call(
                .put, "/api/intents", json: ["intents": Self.intents, "out_of_scope_threshold": 0.2], token: admin)
            #expect(saved.status == .ok, "\(saved.text)")
            #expect(saved["version"].int == 1)
            #expect(saved["examples"].int == 15)
            #expect((saved["train_seconds"].value as? Double ?? -1) >= 0)
            let read = try await harness.call(.get, "/api/intents", token: admin)
            #expect(read["intents"].array.count == 3)
            #expect(read["out_of_scope_threshold"].value as? Double == 0.2)

            let predicted = try await harness.call(
                .post, "/api/intents/predict", json: ["text": "my parcel has not arrived yet"], token: admin)
            #expect(predicted["intent"].string == "delivery")
            #expect(predicted["alternatives"].array.count == 3)

            // A rule reads what the intent stage predicted for the same turn.
            let rule = """
                function on_message(turn)
                  if turn.intent == "password" then
                    return { reply = "intent " .. turn.intent .. " " .. #turn.entities }
                  end
                end
                """
            _ = try await harness.call(.put, "/api/rules/by-intent", json: ["source": rule], token: admin)
            _ = try await harness.call(.post, "/api/rules/by-intent/activate", token: admin)
            let visitor = try await harness.session()
            let reply = try await harness.say(
                "I forgot my password for order ORD-99812", token: visitor.token, conversation: visitor.conversation)
            #expect(reply["reply"]["text"].string == "intent password 1", "\(reply.text)")
            let detail = try await harness.call(.get, "/api/conversations/\(visitor.conversation)", token: admin)
            let stage = detail["turns"][0]["trace"].array.first { $0["stage"].string == "intent" }
            #expect(stage?["reason"].string?.hasPrefix("password") == true)

            let other = try await harness.newTenant("Intentless")
            #expect(
                try await harness.call(.post, "/api/intents/predict", json: ["text": "refund"], token: other.token)
                    .errorCode == "no_intents")
            let key = try await harness.call(
                .post, "/api/api-keys", json: ["name": "read", "role": "analyst"], token: admin)
            let analyst = try #require(key["secret"].string)
            #expect(try await harness.call(.get, "/api/intents", token: analyst).status == .ok)
            #expect(
                try await harness.call(.put, "/api/intents", json: ["intents": Self.intents], token: analyst).status
                    == .forbidden)
        }
    }

    @Test(
        "with the built-in embedder, intents learn meaning: paraphrases sharing no example's words are understood",
        .enabled(if: ProcessInfo.processInfo.environment["PARLEY_EMBED_MODEL"] != nil))
    func intentsWithEmbeddings() async throws {
        var configuration = Harness.configuration()
        configuration.embeddingModelDirectory = ProcessInfo.processInfo.environment["PARLEY_EMBED_MODEL"] ?? ""
        // The static embeddings are distilled once per model (CI does it before the suites); a run without them
        // distils here first, rather than training the intents on n-grams while that runs.
        _ = try await StaticEmbedderLoader.shared(
            modelDirectory: URL(fileURLWithPath: configuration.embeddingModelDirectory), cacheDirectory: nil)
        try await Harness.run(configuration) { harness in
            let admin = try await harness.demoAdmin()
            let saved = try await harness.call(
                .put, "/api/intents", json: ["intents": Self.intents, "out_of_scope_threshold": 0.2], token: admin)
            #expect(saved.status == .ok, "\(saved.text)")
            for (text, intent) in [
                ("has the courier shipped it yet", "delivery"),
                ("how many days until the shipment comes", "delivery"),
                ("I'd like a reimbursement", "refund"),
                ("give the cash back to me", "refund"),
                ("I can't sign in", "password"),
                ("locked out of the account", "password"),
            ] {
                let predicted = try await harness.call(
                    .post, "/api/intents/predict", json: ["text": text], token: admin)
                #expect(predicted["intent"].string == intent, "\(text): \(predicted.text)")
            }

            // In a live turn the intent stage reads the message's embedding (no "n-grams only" in its trace).
            let visitor = try await harness.session()
            _ = try await harness.say(
                "has the courier shipped it yet", token: visitor.token, conversation: visitor.conversation)
            let detail = try await harness.call(.get, "/api/conversations/\(visitor.conversation)", token: admin)
            let stage = detail["turns"][0]["trace"].array.first { $0["stage"].string == "intent" }
            let reason = stage?["reason"].string ?? ""
            #expect(reason.hasPrefix("delivery"), "\(reason)")
            #expect(!reason.contains("n-grams only"), "\(reason)")
        }
    }

    @Test("the stored customer message keeps only the redacted text unless the tenant keeps originals")
    func storedRedaction() async throws {
        try await Harness.run { harness in
            let admin = try await harness.demoAdmin()
            let visitor = try await harness.session()
            _ = try await harness.say(
                "my card is 4111 1111 1111 1111", token: visitor.token, conversation: visitor.conversation)
            let history = try await harness.call(
                .get, "/api/chat/history/\(visitor.conversation)", token: visitor.token)
            let stored = history["messages"].array.first { $0["role"].string == "customer" }?["text"].string
            #expect(stored?.contains("4111 1111 1111 1111") == false, "\(stored ?? "nil")")
            #expect(stored?.contains("my card is") == true)

            let chain = try await harness.call(.get, "/api/chain", token: admin)
            let stages: [[String: Any]] = chain["stages"].array.map { entry in
                var object = entry.value as? [String: Any] ?? [:]
                if entry["stage"].string == "pii-redaction" { object["settings"] = ["storeOriginal": true] }
                return object
            }
            #expect(try await harness.call(.put, "/api/chain", json: ["stages": stages], token: admin).status == .ok)
            _ = try await harness.say(
                "again 4111 1111 1111 1111", token: visitor.token, conversation: visitor.conversation)
            let after = try await harness.call(
                .get, "/api/chat/history/\(visitor.conversation)", token: visitor.token)
            #expect(after["messages"].array.contains { $0["text"].string == "again 4111 1111 1111 1111" })
        }
    }

    @Test("the conversation keeps a running sentiment trend across turns")
    func sentimentTrend() async throws {
        try await Harness.run { harness in
            let admin = try await harness.demoAdmin()
            let visitor = try await harness.session()
            _ = try await harness.say(
                "Thanks, you have been really helpful and kind!", token: visitor.token,
                conversation: visitor.conversation)
            let first = try await harness.call(.get, "/api/conversations/\(visitor.conversation)", token: admin)
            let firstValue = try #require(first["conversation"]["sentiment_trend"]["value"].value as? Double)
            #expect(firstValue > 0)
            _ = try await harness.say(
                "This is awful, terrible service, I am very disappointed.", token: visitor.token,
                conversation: visitor.conversation)
            let second = try await harness.call(.get, "/api/conversations/\(visitor.conversation)", token: admin)
            #expect(second["conversation"]["sentiment_trend"]["count"].int == 2)
            let secondValue = try #require(second["conversation"]["sentiment_trend"]["value"].value as? Double)
            #expect(secondValue < firstValue)
        }
    }
}
