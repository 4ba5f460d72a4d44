import AsyncHTTPClient
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import ParleyCore
import Testing

/// Generation stops when nobody is listening any more or an agent takes over, and the partial reply is kept.
@Suite("Interrupted answers")
struct InterruptedAnswerTests {
    /// Forty slow pieces: a reply that takes about four seconds to write.
    static let slow = StreamingAnswerTests.Script.slow(
        (1...40).map { "word\($0) " }, every: .milliseconds(100))

    /// Opens a streaming message request on a real connection and returns once the first delta has arrived (or at
    /// once, when `untilFirstDelta` is false), with the task still reading the stream.
    static func startStream(
        port: Int, token: String, conversation: String, text: String = "How long do refunds take?",
        untilFirstDelta: Bool = true
    ) async throws -> Task<String, any Error> {
        let firstDelta = AsyncStream<Void>.makeStream()
        let reader = boundedTask(within: .seconds(90)) {
            defer { firstDelta.continuation.finish() }  // never leave the caller waiting
            var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/api/chat/message")
            request.method = .POST
            request.headers.add(name: "Authorization", value: "Bearer \(token)")
            request.headers.add(name: "Content-Type", value: "application/json")
            request.headers.add(name: "Accept", value: "text/event-stream")
            let body = [
                "conversation_id": conversation, "client_message_id": "m1", "text": "How long do refunds take?",
            ]
            request.body = .bytes(ByteBuffer(data: try JSONSerialization.data(withJSONObject: body)))
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
            var text = ""
            for try await part in response.body {
                text += String(buffer: part)
                if text.contains("event: delta") { firstDelta.continuation.yield() }
            }
            return text
        }
        if untilFirstDelta {
            for await _ in firstDelta.stream { break }
        }
        return reader
    }

    /// Polls the stored conversation until its last message is the bot's reply, for up to ten seconds.
    static func storedReply(_ harness: Harness, conversation: String, admin: String) async throws -> JSON {
        for _ in 0..<100 {
            let detail = try await harness.call(.get, "/api/conversations/\(conversation)", token: admin)
            if let reply = detail["messages"].array.last(where: { $0["role"].string == "assistant" }) { return reply }
            try await Task.sleep(for: .milliseconds(100))
        }
        Issue.record("no reply was stored")
        return JSON(nil)
    }

    @Test("a visitor who disconnects mid-stream stops generation; the partial reply is stored and marked")
    func disconnect() async throws {
        try await StreamingAnswerTests.withFakeProvider(Self.slow) { port, _ in
            try await Harness.run { harness in
                let admin = try await StreamingAnswerTests.setUp(harness, port: port)
                let visitor = try await harness.session()
                let reader = try await Self.startStream(
                    port: harness.port, token: visitor.token, conversation: visitor.conversation)
                reader.cancel()  // the visitor closes the page
                let reply = try await Self.storedReply(harness, conversation: visitor.conversation, admin: admin)
                // Stopped early: marked, and without the last of the forty pieces (no wall-clock check: a loaded
                // machine would make that flaky, and the text says it all).
                #expect(reply["metadata"]["interrupted"].bool == true, "\(reply)")
                let text = try #require(reply["text"].string)
                #expect(text.hasPrefix("word1 "), "\(text)")
                #expect(!text.contains("word40"), "\(text)")
                // Resending the message returns that same reply, saying it is not the whole answer; so does the history.
                let resent = try await harness.say(
                    "How long do refunds take?", token: visitor.token, conversation: visitor.conversation,
                    clientID: "m1")
                #expect(resent["reply"]["message_id"].string == reply["message_id"].string, "\(resent.text)")
                #expect(resent["reply"]["text"].string == text)
                #expect(resent["reply"]["interrupted"].bool == true, "\(resent.text)")
                let history = try await harness.call(
                    .get, "/api/chat/history/\(visitor.conversation)", token: visitor.token)
                #expect(history["messages"].array.last?["interrupted"].bool == true, "\(history.text)")
                #expect(history["messages"].array.first?["interrupted"].bool == nil, "only the cut reply is marked")
            }
        }
    }

    @Test("an agent taking over before the model wrote anything leaves no bot reply: no fallback, no queue place")
    func takeoverBeforeFirstWord() async throws {
        // The model answers only after five seconds; the agent claims the conversation while it is asked.
        let late = StreamingAnswerTests.Script.slow(["", "Refunds take five days."], every: .seconds(5))
        try await StreamingAnswerTests.withFakeProvider(late) { port, received in
            try await Harness.run { harness in
                let admin = try await StreamingAnswerTests.setUp(harness, port: port)
                let visitor = try await harness.session()
                // On its own connection: the harness's client sends one request at a time.
                let sent = Task {
                    var request = HTTPClientRequest(url: "http://127.0.0.1:\(harness.port)/api/chat/message")
                    request.method = .POST
                    request.headers.add(name: "Authorization", value: "Bearer \(visitor.token)")
                    request.headers.add(name: "Content-Type", value: "application/json")
                    let body = [
                        "conversation_id": visitor.conversation, "client_message_id": "m1",
                        "text": "How long do refunds take?",
                    ]
                    request.body = .bytes(ByteBuffer(data: try JSONSerialization.data(withJSONObject: body)))
                    let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
                    let data = Data(buffer: try await response.body.collect(upTo: 1 << 20))
                    return Reply(status: .init(code: Int(response.status.code)), headers: [:], body: data)
                }
                for _ in 0..<500 where received.bodies.withLock({ $0.isEmpty }) {
                    try await Task.sleep(for: .milliseconds(20))
                }
                #expect(!received.bodies.withLock { $0.isEmpty }, "the model was never asked")
                let claim = try await harness.call(
                    .post, "/api/agent/conversations/\(visitor.conversation)/claim", token: admin)
                #expect(claim.status == .ok, "\(claim.text)")
                let answer = try await sent.value
                #expect(answer.status == .ok, "\(answer.text)")
                #expect(answer["reply"].isNull, "a bot reply after the agent took over: \(answer.text)")
                #expect(answer["conversation"]["state"].string == "human")
                let detail = try await harness.call(.get, "/api/conversations/\(visitor.conversation)", token: admin)
                #expect(
                    !detail["messages"].array.contains { $0["role"].string == "assistant" }, "\(detail.text)")
                #expect(detail["conversation"]["bot_failures"].int ?? 0 == 0, "\(detail.text)")
                // The model was asked: its question is metered even though no answer came of it.
                let usage = try await harness.store.usage.totals(
                    tenant: harness.seed.demoTenantID, since: .distantPast,
                    conversation: ConversationID(visitor.conversation))
                #expect(usage.contains { $0.promptTokens > 0 }, "\(usage)")
            }
        }
    }

    @Test("an agent taking over mid-stream stops the bot's reply; the stream ends with the partial, marked reply")
    func agentTakeover() async throws {
        try await StreamingAnswerTests.withFakeProvider(Self.slow) { port, _ in
            try await Harness.run { harness in
                let admin = try await StreamingAnswerTests.setUp(harness, port: port)
                let visitor = try await harness.session()
                let reader = try await Self.startStream(
                    port: harness.port, token: visitor.token, conversation: visitor.conversation)
                let claim = try await harness.call(
                    .post, "/api/agent/conversations/\(visitor.conversation)/claim", token: admin)
                #expect(claim.status == .ok, "\(claim.text)")
                let streamed = try await reader.value
                let events = StreamingAnswerTests.events(streamed)
                #expect(events.last?.0 == "done", "\(streamed)")
                let done = try #require(events.last { $0.0 == "done" }?.1)
                let text = try #require(done["reply"]["text"].string)
                #expect(text.hasPrefix("word1 ") && !text.contains("word40"), "\(text)")
                #expect(done["conversation"]["state"].string == "human")
                #expect(done["reply"]["interrupted"].bool == true, "\(done)")
                let stored = try await Self.storedReply(harness, conversation: visitor.conversation, admin: admin)
                #expect(stored["metadata"]["interrupted"].bool == true)
                #expect(stored["text"].string == text)
            }
        }
    }
}
