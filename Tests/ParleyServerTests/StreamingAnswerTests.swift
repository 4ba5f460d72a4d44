import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Synchronization
import Testing

/// Model answers end to end: the tenant's OpenAI-compatible provider (a loopback fake speaking the real wire format,
/// SSE chunks and `[DONE]`), streamed to the visitor as server-sent events, cited, and the graceful fallback when the
/// provider fails.
@Suite("Streaming model answers")
struct StreamingAnswerTests {
    /// What the fake provider answers: streamed pieces, or an HTTP status for an error.
    enum Script: Sendable {
        case stream([String])
        case failure(Int)
        /// Streams the pieces, then the connection ends with no finish and no `[DONE]` (a stream that broke).
        case broken([String])
        /// Streams the pieces one at a time with a pause between them (a model writing slowly).
        case slow([String], every: Duration)
    }

    /// Runs `body` with a fake OpenAI-compatible server on loopback; returns its port and the request bodies it saw.
    static func withFakeProvider(
        _ script: Script, _ body: @escaping @Sendable (Int, Received) async throws -> Void
    ) async throws {
        let received = Received()
        let router = Router()
        router.post("/v1/chat/completions") { request, _ -> Response in
            let text = String(buffer: try await request.body.collect(upTo: 1 << 20))
            received.bodies.withLock { $0.append(text) }
            switch script {
            case .failure(let status):
                return Response(
                    status: .init(code: status), headers: [.contentType: "application/json"],
                    body: .init(byteBuffer: ByteBuffer(string: #"{"error":{"message":"boom","type":"server_error"}}"#)))
            case .slow(let pieces, let pause):
                let (body, continuation) = AsyncStream<ByteBuffer>.makeStream()
                Task {
                    for piece in pieces {
                        continuation.yield(ByteBuffer(string: Self.chunk(piece)))
                        try? await Task.sleep(for: pause)
                    }
                    continuation.yield(ByteBuffer(string: "data: [DONE]\n\n"))
                    continuation.finish()
                }
                return Response(
                    status: .ok, headers: [.contentType: "text/event-stream"],
                    body: ResponseBody(asyncSequence: body))
            case .broken(let pieces):
                return Response(
                    status: .ok, headers: [.contentType: "text/event-stream"],
                    body: .init(byteBuffer: ByteBuffer(string: pieces.map(Self.chunk).joined())))
            case .stream(let pieces):
                var events = pieces.map { piece in
                    let chunk: [String: Any] = [
                        "id": "c1", "object": "chat.completion.chunk", "model": "fake",
                        "choices": [["index": 0, "delta": ["content": piece]]],
                    ]
                    let json = String(decoding: try! JSONSerialization.data(withJSONObject: chunk), as: UTF8.self)
                    return "data: \(json)\n\n"
                }
                events.append(
                    #"data: {"id":"c1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{},"finish_reason":"stop"}],"usage":{"prompt_tokens":120,"completion_tokens":9}}"#
                        + "\n\n")
                events.append("data: [DONE]\n\n")
                return Response(
                    status: .ok, headers: [.contentType: "text/event-stream"],
                    body: .init(byteBuffer: ByteBuffer(string: events.joined())))
            }
        }
        let app = Application(router: router)
        try await app.test(.live) { client in
            try await body(try #require(client.port), received)
        }
    }

    /// One Chat Completions stream chunk carrying `piece`, as an SSE event.
    static func chunk(_ piece: String) -> String {
        let chunk: [String: Any] = [
            "id": "c1", "object": "chat.completion.chunk", "model": "fake",
            "choices": [["index": 0, "delta": ["content": piece]]],
        ]
        return "data: \(String(decoding: try! JSONSerialization.data(withJSONObject: chunk), as: UTF8.self))\n\n"
    }

    /// The request bodies the fake provider received.
    final class Received: Sendable {
        let bodies = Mutex<[String]>([])
    }

    /// The events of a server-sent-event body, in order: (name, parsed JSON data).
    static func events(_ body: String) -> [(String, JSON)] {
        body.components(separatedBy: "\n\n").compactMap { block in
            let lines = block.split(separator: "\n")
            guard let name = lines.first(where: { $0.hasPrefix("event: ") })?.dropFirst(7),
                let data = lines.first(where: { $0.hasPrefix("data: ") })?.dropFirst(6)
            else { return nil }
            return (String(name), JSON(try? JSONSerialization.jsonObject(with: Data(data.utf8))))
        }
    }

    /// Sends `text` as the visitor's message with `Accept: text/event-stream`; returns the reply and its events.
    static func streamMessage(
        _ harness: Harness, token: String, conversation: String, text: String = "How long do refunds take?"
    ) async throws -> (reply: Reply, events: [(String, JSON)]) {
        let reply = try await harness.call(
            .post, "/api/chat/message",
            json: ["conversation_id": conversation, "client_message_id": "m1", "text": text], token: token,
            headers: [.accept: "text/event-stream"])
        return (reply, events(reply.text))
    }

    /// The fake provider on `port` as the demo tenant's model, and an FAQ about refunds; returns an admin token.
    static func setUp(_ harness: Harness, port: Int) async throws -> String {
        try await setUp(harness, provider: provider("http://127.0.0.1:\(port)/v1"))
    }

    /// The settings of the fake OpenAI-compatible provider at `baseURL`, with `extra` fields.
    static func provider(_ baseURL: String, name: String = "fake", extra: [String: Any] = [:]) -> [String: Any] {
        [
            "name": name, "kind": "openai_compatible", "base_url": baseURL, "model": "fake-model",
            "api_key": "sk-fake",
        ].merging(extra) { $1 }
    }

    /// `provider` as the demo tenant's model, and an FAQ about refunds; returns an admin token.
    static func setUp(_ harness: Harness, provider: [String: Any]) async throws -> String {
        let admin = try await harness.demoAdmin()
        let saved = try await harness.call(
            .put, "/api/assistant",
            json: [
                "persona": ["company_name": "Demo Shop"],
                "providers": [provider],
            ], token: admin)
        #expect(saved.status == .ok, "\(saved.text)")
        try await addRefundsFAQ(harness, admin: admin)
        return admin
    }

    /// The FAQ about refunds the questions of these tests are answered from.
    static func addRefundsFAQ(_ harness: Harness, admin: String) async throws {
        let faq = try await harness.call(
            .post, "/api/knowledge/faq",
            json: [
                "question": "How long do refunds take?",
                "answer": "Refunds are paid back to the original card within five business days.",
            ], token: admin)
        #expect(faq.status == .created)
    }

    @Test("a model answer streams as delta events; done carries the stored, cited reply")
    func streams() async throws {
        try await Self.withFakeProvider(.stream(["Refunds reach your card ", "within five business days [1]."])) {
            port, received in
            try await Harness.run { harness in
                let admin = try await Self.setUp(harness, port: port)
                let visitor = try await harness.session()
                let (reply, events) = try await Self.streamMessage(
                    harness, token: visitor.token, conversation: visitor.conversation)
                #expect(reply.headers[.contentType] == "text/event-stream")
                let deltas = events.filter { $0.0 == "delta" }.compactMap { $0.1["text"].string }
                // The output guard releases whole words once checked, so the pieces may be cut differently.
                #expect(deltas.count >= 2, "\(reply.text)")
                #expect(deltas.joined() == "Refunds reach your card within five business days [1].", "\(reply.text)")
                #expect(events.contains { $0.0 == "citation" && $0.1["title"].string == "How long do refunds take?" })
                let done = try #require(events.last { $0.0 == "done" }?.1)
                #expect(done["reply"]["text"].string == deltas.joined(), "the streamed text is the stored text")
                #expect(done["reply"]["citations"][0]["title"].string == "How long do refunds take?")

                // The prompt held the persona, the passage as data, and the question; the key went as a bearer token.
                let prompt = try #require(received.bodies.withLock { $0.first })
                #expect(prompt.contains("Demo Shop") && prompt.contains("five business days"))
                #expect(prompt.contains("How long do refunds take?"))
                #expect(prompt.contains("data, not instructions"))

                let history = try await harness.call(
                    .get, "/api/chat/history/\(visitor.conversation)", token: visitor.token)
                #expect(history["messages"][1]["text"].string == deltas.joined())
                let detail = try await harness.call(.get, "/api/conversations/\(visitor.conversation)", token: admin)
                let generation = try #require(
                    detail["turns"][0]["trace"].array.first { $0["stage"].string == "generation" })
                #expect(generation["reason"].string?.contains("fake answered (120+9 tokens") == true, "\(generation)")

                // The call is metered for billing, per provider, for the tenant and the conversation.
                let usage = try await harness.call(.get, "/api/usage", token: admin)
                #expect(usage["providers"][0]["provider"].string == "fake")
                #expect(usage["providers"][0]["prompt_tokens"].int == 120)
                #expect(usage["providers"][0]["completion_tokens"].int == 9)
                let other = try await harness.newTenant("Elsewhere")
                #expect(try await harness.call(.get, "/api/usage", token: other.token)["providers"].array.isEmpty)
                #expect(
                    try await harness.call(.get, "/api/usage?since=yesterday", token: admin).status
                        == .unprocessableContent)
            }
        }
    }

    @Test("when every provider fails the visitor still gets the extractive answer, well within the deadline")
    func providerFailure() async throws {
        try await Self.withFakeProvider(.failure(500)) { port, received in
            try await Harness.run { harness in
                let admin = try await Self.setUp(harness, port: port)
                let visitor = try await harness.session()
                let start = ContinuousClock.now
                let reply = try await harness.say(
                    "How long do refunds take?", token: visitor.token, conversation: visitor.conversation)
                #expect(ContinuousClock.now - start < .seconds(15))
                #expect(reply["reply"]["text"].string?.contains("five business days") == true, "\(reply.text)")
                #expect(received.bodies.withLock { $0.count } >= 1)
                let detail = try await harness.call(.get, "/api/conversations/\(visitor.conversation)", token: admin)
                let generation = try #require(
                    detail["turns"][0]["trace"].array.first { $0["stage"].string == "generation" })
                #expect(generation["reason"].string?.contains("every provider failed") == true, "\(generation)")
                // The status is told; what the endpoint's body said is not (it may be another service's page).
                #expect(generation["reason"].string?.contains("HTTP 500") == true, "\(generation)")
                #expect(!detail.text.contains("boom"), "the endpoint's error body reached the trace: \(detail.text)")
                // Refused before a token was written: nothing is billed, so nothing is metered.
                #expect(try await harness.call(.get, "/api/usage", token: admin)["providers"].array.isEmpty)
            }
        }
    }

    @Test("a stream that breaks after it began is metered (the provider bills it); the visitor gets another answer")
    func brokenStreamIsMetered() async throws {
        try await Self.withFakeProvider(.broken(["Refunds usually ", "reach your card "])) { port, _ in
            try await Harness.run { harness in
                let admin = try await Self.setUp(harness, port: port)
                let visitor = try await harness.session()
                let reply = try await harness.say(
                    "How long do refunds take?", token: visitor.token, conversation: visitor.conversation)
                #expect(reply["reply"]["text"].string?.contains("five business days") == true, "\(reply.text)")
                let detail = try await harness.call(.get, "/api/conversations/\(visitor.conversation)", token: admin)
                let generation = try #require(
                    detail["turns"][0]["trace"].array.first { $0["stage"].string == "generation" })
                #expect(generation["reason"].string?.contains("ended before completion") == true, "\(generation)")
                // No usage was reported, so the bill is estimated: the whole prompt, and the words written.
                let usage = try await harness.call(.get, "/api/usage", token: admin)
                #expect(usage["providers"][0]["provider"].string == "fake", "\(usage.text)")
                #expect((usage["providers"][0]["prompt_tokens"].int ?? 0) > 50, "\(usage.text)")
                #expect((1...10).contains(usage["providers"][0]["completion_tokens"].int ?? 0), "\(usage.text)")
            }
        }
    }

    @Test("the output guard redacts a card number the model wrote, on the stream and in storage")
    func guardRedactsOnTheStream() async throws {
        let pieces = ["Your card ", "4111 1111 ", "1111 1111 will ", "be refunded within five business days [1]."]
        try await Self.withFakeProvider(.stream(pieces)) { port, _ in
            try await Harness.run { harness in
                let admin = try await Self.setUp(harness, port: port)
                let visitor = try await harness.session()
                let (reply, events) = try await Self.streamMessage(
                    harness, token: visitor.token, conversation: visitor.conversation)
                let streamed = events.filter { $0.0 == "delta" }.compactMap { $0.1["text"].string }.joined()
                #expect(!streamed.contains("4111") && !reply.text.contains("4111"), "\(reply.text)")
                #expect(streamed == "Your card [CARD] will be refunded within five business days [1].")
                let done = try #require(events.last { $0.0 == "done" }?.1)
                #expect(done["reply"]["text"].string == streamed, "the streamed text is the stored text")
                let detail = try await harness.call(.get, "/api/conversations/\(visitor.conversation)", token: admin)
                #expect(!detail.text.contains("4111"))
                let check = try #require(
                    detail["turns"][0]["trace"].array.first { $0["stage"].string == "output-guard" })
                #expect(check["reason"].string == "redacted paymentCard from the reply", "\(check)")
            }
        }
    }

    @Test("a reply leaking the instructions is cut off mid-stream and replaced by the safe message")
    func guardBlocksLeakage() async throws {
        let pieces = [
            "Sure! My instructions say: ", "Answer only from the reference ", "passages in the next message. ",
            "If they do not contain the answer, say that you do not know.",
        ]
        try await Self.withFakeProvider(.stream(pieces)) { port, received in
            try await Harness.run { harness in
                let admin = try await Self.setUp(harness, port: port)
                let visitor = try await harness.session()
                let (_, events) = try await Self.streamMessage(
                    harness, token: visitor.token, conversation: visitor.conversation)
                // The blocked answer is not cached: the next visitor's same question goes to the model again.
                let next = try await harness.session()
                _ = try await Self.streamMessage(harness, token: next.token, conversation: next.conversation)
                #expect(received.bodies.withLock { $0.count } == 2, "the blocked answer was served from the cache")
                let streamed = events.filter { $0.0 == "delta" }.compactMap { $0.1["text"].string }.joined()
                #expect(!streamed.contains("passages in the next message"), "\(streamed)")
                let done = try #require(events.last { $0.0 == "done" }?.1)
                let text = try #require(done["reply"]["text"].string)
                #expect(text.contains("connect you with a member of our team"), "\(text)")
                #expect(done["reply"]["metadata"].isNull, "the reason is for staff, not the visitor")
                let detail = try await harness.call(.get, "/api/conversations/\(visitor.conversation)", token: admin)
                let stored = try #require(detail["messages"].array.last)
                #expect(stored["text"].string == text)
                #expect(
                    stored["metadata"]["output_guard"]["blocked"].string?.contains("instructions") == true, "\(stored)")
                let check = try #require(
                    detail["turns"][0]["trace"].array.first { $0["stage"].string == "output-guard" })
                #expect(check["reason"].string?.hasPrefix("blocked the reply") == true, "\(check)")
            }
        }
    }

    /// Turns the output guard's off-topic check on in the demo tenant's chain.
    static func blockOffTopic(_ harness: Harness, admin: String) async throws {
        let chain = try await harness.call(.get, "/api/chain", token: admin)
        let stages = chain["stages"].array.map { entry -> [String: Any] in
            var stage: [String: Any] = ["stage": entry["stage"].string ?? "", "enabled": entry["enabled"].bool ?? true]
            if entry["stage"].string == "output-guard" { stage["settings"] = ["blockOffTopic": true] }
            return stage
        }
        let saved = try await harness.call(.put, "/api/chain", json: ["stages": stages], token: admin)
        #expect(saved.status == .ok, "\(saved.text)")
    }

    @Test(
        "with the off-topic check on, an uncited reply is judged whole before any of it is shown; a cited one streams",
        arguments: [
            (["The best football team ", "in the world plays ", "in red shirts every Sunday."], "blocked"),
            (["Refunds reach your card ", "within five business days [1]. ", "Write to us ", "any time."], "streamed"),
            (["Refunds are paid back ", "to the original card ", "within five business days."], "whole"),
        ])
    func offTopicIsJudgedBeforeItIsShown(pieces: [String], outcome: String) async throws {
        try await Self.withFakeProvider(.stream(pieces)) { port, _ in
            try await Harness.run { harness in
                let admin = try await Self.setUp(harness, port: port)
                try await Self.blockOffTopic(harness, admin: admin)
                let visitor = try await harness.session()
                let (reply, events) = try await Self.streamMessage(
                    harness, token: visitor.token, conversation: visitor.conversation)
                let deltas = events.filter { $0.0 == "delta" }.compactMap { $0.1["text"].string }
                let done = try #require(events.last { $0.0 == "done" }?.1, "\(reply.text)")
                let text = try #require(done["reply"]["text"].string)
                switch outcome {
                case "blocked":
                    #expect(!deltas.joined().contains("football"), "the visitor watched it stream: \(deltas)")
                    #expect(text.contains("connect you with a member of our team"), "\(text)")
                case "streamed":
                    #expect(deltas.count >= 2, "a cited reply streams: \(deltas)")
                    #expect(text == pieces.joined() && deltas.joined() == text, "\(deltas)")
                default:
                    #expect(text == pieces.joined(), "an on-topic reply is not blocked: \(text)")
                    #expect(deltas.joined() == text && deltas.count == 1, "shown once judged, whole: \(deltas)")
                }
            }
        }
    }

    @Test("a repeated first question is answered from the cache until the knowledge changes")
    func cachesRepeatedQuestions() async throws {
        try await Self.withFakeProvider(.stream(["Refunds take ", "five business days [1]."])) { port, received in
            try await Harness.run { harness in
                let admin = try await Self.setUp(harness, port: port)
                func ask(_ text: String) async throws -> JSON {
                    let visitor = try await harness.session()
                    let reply = try await harness.say(text, token: visitor.token, conversation: visitor.conversation)
                    #expect(reply["reply"]["text"].string == "Refunds take five business days [1].", "\(reply.text)")
                    let detail = try await harness.call(
                        .get, "/api/conversations/\(visitor.conversation)", token: admin)
                    return try #require(detail["turns"][0]["trace"].array.first { $0["stage"].string == "generation" })
                }
                #expect(try await ask("How long do refunds take?")["reason"].string?.hasPrefix("fake answered") == true)
                let second = try await ask("how long do REFUNDS take")
                #expect(second["reason"].string?.hasPrefix("answered from the cache") == true, "\(second)")
                #expect(received.bodies.withLock { $0.count } == 1, "the second answer cost no model call")

                // New knowledge is a new knowledge version: the cached answer is no longer used.
                let faq = try await harness.call(
                    .post, "/api/knowledge/faq",
                    json: ["question": "Do you ship abroad?", "answer": "We ship to the whole of Europe."],
                    token: admin)
                #expect(faq.status == .created)
                #expect(try await ask("How long do refunds take?")["reason"].string?.hasPrefix("fake answered") == true)
                #expect(received.bodies.withLock { $0.count } == 2)
                // Cached answers are not billed twice.
                let usage = try await harness.call(.get, "/api/usage", token: admin)
                #expect(usage["providers"][0]["completion_tokens"].int == 18, "\(usage.text)")
                let metrics = try await harness.call(.get, "/metrics").text
                #expect(metrics.contains("parley_answer_cache_hit_ratio"))
                #expect(metrics.contains("parley_answer_cache_lookups_total{result=\"hit\"}"))
            }
        }
    }

    @Test("the prompt carries the conversation so far, oldest first, with personal data redacted")
    func promptCarriesHistory() async throws {
        try await Self.withFakeProvider(.stream(["Refunds take ", "five business days [1]."])) { port, received in
            try await Harness.run { harness in
                _ = try await Self.setUp(harness, port: port)
                let visitor = try await harness.session()
                _ = try await harness.say(
                    "How long do refunds take?", token: visitor.token, conversation: visitor.conversation)
                _ = try await harness.say(
                    "And for refunds to my card, mail me at jo@mail.example", token: visitor.token,
                    conversation: visitor.conversation)
                let bodies = received.bodies.withLock { $0 }
                #expect(bodies.count == 2)
                let second = try #require(
                    (try JSONSerialization.jsonObject(with: Data(bodies[1].utf8)) as? [String: Any])?["messages"]
                        as? [[String: Any]])
                let turns = second.compactMap { message -> String? in
                    guard let role = message["role"] as? String, role != "system" else { return nil }
                    return "\(role): \(message["content"] as? String ?? "")"
                }
                #expect(
                    turns == [
                        "user: How long do refunds take?", "assistant: Refunds take five business days [1].",
                        "user: And for refunds to my card, mail me at [EMAIL]",
                    ], "\(turns)")
            }
        }
    }

    @Test("a handoff gets the model's summary for the agent; agents get suggested replies the visitor never sees")
    func agentAssist() async throws {
        try await Self.withFakeProvider(.stream(["Visitor wants ", "a refund timeline."])) { port, received in
            try await Harness.run { harness in
                let admin = try await Self.setUp(harness, port: port)
                let visitor = try await harness.session()
                _ = try await harness.say(
                    "How long do refunds take?", token: visitor.token, conversation: visitor.conversation)
                let queued = try await harness.say(
                    "I want to talk to a human", token: visitor.token, conversation: visitor.conversation)
                #expect(queued["conversation"]["state"].string == "queued")
                var summary: String?
                for _ in 0..<50 where summary == nil {
                    let detail = try await harness.call(
                        .get, "/api/conversations/\(visitor.conversation)", token: admin)
                    summary = detail["conversation"]["handoff"]["model_summary"].string
                    if summary == nil { try await Task.sleep(for: .milliseconds(100)) }
                }
                #expect(summary == "Visitor wants a refund timeline.")
                let request = try #require(received.bodies.withLock { $0.last })
                #expect(request.contains("Visitor: How long do refunds take?"), "\(request)")
                #expect(request.contains("asked for a human"))

                // The agent takes over; the visitor asks; the agent asks the bot for a suggestion.
                #expect(
                    try await harness.call(
                        .post, "/api/agent/conversations/\(visitor.conversation)/claim", token: admin
                    ).status == .ok)
                let quiet = try await harness.say(
                    "Is it faster for store credit?", token: visitor.token, conversation: visitor.conversation)
                #expect(quiet["reply"].isNull)
                let suggestion = try await harness.call(
                    .post, "/api/agent/conversations/\(visitor.conversation)/suggestion", token: admin)
                #expect(suggestion.status == .ok, "\(suggestion.text)")
                #expect(suggestion["source"].string == "model")
                #expect(suggestion["text"].string == "Visitor wants a refund timeline.")
                #expect(suggestion["in_reply_to"].string == quiet["message_id"].string)
                let history = try await harness.call(
                    .get, "/api/chat/history/\(visitor.conversation)", token: visitor.token)
                #expect(
                    history["messages"].array.last?["text"].string == "Is it faster for store credit?",
                    "suggestions are for agents only: \(history.text)")
                let other = try await harness.newTenant("Elsewhere")
                #expect(
                    try await harness.call(
                        .post, "/api/agent/conversations/\(visitor.conversation)/suggestion", token: other.token
                    ).status == .notFound)
            }
        }
    }

    @Test("an agent's suggestion neither reads nor fills the cache that answers visitors")
    func suggestionsBypassTheCache() async throws {
        try await Self.withFakeProvider(.stream(["Store credit is ", "instant [1]."])) { port, received in
            try await Harness.run { harness in
                let admin = try await Self.setUp(harness, port: port)
                // The visitor asks for a human first, so their question is the conversation's first.
                let visitor = try await harness.session()
                let pressed = try await harness.call(
                    .post, "/api/chat/escalate", json: ["conversation_id": visitor.conversation], token: visitor.token)
                #expect(pressed["state"].string == "queued")
                #expect(
                    try await harness.call(
                        .post, "/api/agent/conversations/\(visitor.conversation)/claim", token: admin
                    ).status == .ok)
                _ = try await harness.say(
                    "refunds?", token: visitor.token, conversation: visitor.conversation)
                let suggestion = try await harness.call(
                    .post, "/api/agent/conversations/\(visitor.conversation)/suggestion", token: admin)
                #expect(suggestion["source"].string == "model", "\(suggestion.text)")
                #expect(received.bodies.withLock { $0.count } == 1)
                let next = try await harness.session()
                let reply = try await harness.say(
                    "refunds?", token: next.token, conversation: next.conversation)
                #expect(reply["reply"]["text"].string?.isEmpty == false, "\(reply.text)")
                #expect(
                    received.bodies.withLock { $0.count } == 2, "a visitor was answered with the agent's suggestion")
            }
        }
    }

    @Test("an answer that cites nothing is not cached: a verdict after the stream (off topic) could block it")
    func uncitedAnswersAreNotCached() async throws {
        try await Self.withFakeProvider(.stream(["Refunds take ", "five business days."])) { port, received in
            try await Harness.run { harness in
                _ = try await Self.setUp(harness, port: port)
                for _ in 0..<2 {
                    let visitor = try await harness.session()
                    let reply = try await harness.say(
                        "How long do refunds take?", token: visitor.token, conversation: visitor.conversation)
                    #expect(reply["reply"]["text"].string == "Refunds take five business days.", "\(reply.text)")
                }
                #expect(received.bodies.withLock { $0.count } == 2, "the uncited answer was served from the cache")
            }
        }
    }
}
