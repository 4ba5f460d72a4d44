import AsyncHTTPClient
import Foundation
import HTTPTypes
import HummingbirdWSClient
import Logging
import NIOCore
import ParleyCore
import Testing

@testable import ParleyServer

/// The widget's real-time channel over a real WebSocket on loopback: streamed replies, resync, the agent's side
/// arriving live, the checks on the upgrade, and the server-sent events fallback.
@Suite("Live channel")
struct LiveChannelTests {
    /// Frames received, in order, as JSON.
    final class Frames: @unchecked Sendable {
        private let lock = NSLock()
        private var frames: [JSON] = []

        func append(_ frame: JSON) { lock.withLock { frames.append(frame) } }
        var all: [JSON] { lock.withLock { frames } }
    }

    /// Opens the widget's socket, runs `body` with a send function and the frames so far, then closes.
    static func withSocket(
        _ harness: Harness, token: String, origin: String? = nil,
        _ body:
            @escaping @Sendable (_ send: @Sendable ([String: Any]) async throws -> Void, _ frames: Frames)
            async throws -> Void
    ) async throws {
        var configuration = WebSocketClientConfiguration(maxFrameSize: 1 << 16)
        // The client sends its own loopback Origin; another one makes the header say two things, which is refused.
        if let origin { configuration.additionalHeaders[.origin] = origin }
        let frames = Frames()
        let url = "ws://127.0.0.1:\(harness.port)/api/chat/ws?token=\(token)"
        let client = configuration
        // Bounded: once in several full PostgreSQL passes, a socket test has waited forever after its last frame, with
        // every thread idle; a bound turns that into this test's failure instead of the whole pass's deadline.
        try await boundedTask(within: .seconds(120)) {
            try await Self.connect(url: url, configuration: client, frames: frames, body)
        }.value
    }

    private static func connect(
        url: String, configuration: WebSocketClientConfiguration, frames: Frames,
        _ body:
            @escaping @Sendable (_ send: @Sendable ([String: Any]) async throws -> Void, _ frames: Frames)
            async throws -> Void
    ) async throws {
        _ = try await WebSocketClient.connect(
            url: url, configuration: configuration, logger: Logger(label: "ws-test")
        ) { inbound, outbound, _ in
            let reader = Task {
                for try await message in inbound.messages(maxSize: 1 << 20) {
                    guard case .text(let text) = message else { continue }
                    frames.append(JSON((try? JSONSerialization.jsonObject(with: Data(text.utf8))) as Any?))
                }
            }
            try await body(
                { object in
                    let data = try JSONSerialization.data(withJSONObject: object)
                    try await outbound.write(.text(String(decoding: data, as: UTF8.self)))
                }, frames)
            // The reader ends before the close handshake reads the same inbound stream: left running, its
            // cancellation could be delivered to the handshake's read instead, failing the test with CancellationError.
            reader.cancel()
            _ = await reader.result
            try await outbound.close(.normalClosure, reason: nil)
        }
    }

    /// Waits up to 30 seconds for a frame that `matches`: an arrival, not a speed (a turn on PostgreSQL with every
    /// suite running at once has taken over five).
    static func frame(in frames: Frames, _ matches: (JSON) -> Bool) async throws -> JSON {
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            if let found = frames.all.first(where: matches) { return found }
            try await Task.sleep(for: .milliseconds(20))
        }
        Issue.record("no such frame among \(frames.all)")
        return JSON(nil)
    }

    @Test("a message over the socket streams its reply; the stored reply is the streamed text; resync sends history")
    func streamedTurn() async throws {
        try await Harness.run { harness in
            let admin = try await harness.demoAdmin()
            let faq = try await harness.call(
                .post, "/api/knowledge/faq",
                json: ["question": "Do you ship abroad?", "answer": "We ship to every country in the European Union."],
                token: admin)
            #expect(faq.status == .created)
            let visitor = try await harness.session()
            try await Self.withSocket(harness, token: visitor.token) { send, frames in
                try await send([
                    "type": "message", "conversation_id": visitor.conversation, "client_message_id": "m-1",
                    "text": "Do you ship abroad?",
                ])
                let done = try await Self.frame(in: frames) { $0["type"].string == "done" }
                let stored = try #require(done["result"]["reply"]["text"].string)
                let streamed = frames.all.filter { $0["type"].string == "delta" }.compactMap { $0["text"].string }
                #expect(!streamed.isEmpty, "the answer streamed in pieces")
                #expect(streamed.joined() == stored)
                #expect(stored.contains("European Union"))
                #expect(
                    frames.all.contains { $0["type"].string == "citation" && $0["client_message_id"].string == "m-1" })
                #expect(done["result"]["reply"]["citations"].array.count == 1)
                // Its own turn is not echoed back as message frames.
                #expect(!frames.all.contains { $0["type"].string == "message" })

                // The same client id again: the same result, nothing stored twice.
                try await send([
                    "type": "message", "conversation_id": visitor.conversation, "client_message_id": "m-1",
                    "text": "Do you ship abroad?",
                ])
                try await send(["type": "resync", "conversation_id": visitor.conversation, "after": NSNull()])
                let history = try await Self.frame(in: frames) { $0["type"].string == "history" }
                #expect(history["messages"].array.map { $0["role"].string } == ["customer", "assistant"])
                #expect(history["messages"][0]["client_message_id"].string == "m-1")
                let seen = try #require(history["messages"][0]["message_id"].string)
                try await send(["type": "resync", "conversation_id": visitor.conversation, "after": seen])
                let later = try await Self.frame(in: frames) {
                    $0["type"].string == "history" && $0["messages"].array.count == 1
                }
                #expect(later["messages"][0]["role"].string == "assistant")
            }
        }
    }

    @Test("over a budget, the socket answers rate_limited with retry_after: for a resync, and for a message by its id")
    func rateLimitedFrames() async throws {
        var configuration = Harness.configuration()
        // Budgets that refill once in ten minutes: no slow run gets a token back before the refusals.
        configuration.rateLimits.visitor = .init(perMinute: 0.1, burst: 3)
        configuration.rateLimits.visitorMessages = .init(perMinute: 0.1, burst: 1)
        try await Harness.run(configuration) { harness in
            let visitor = try await harness.session()
            try await Self.withSocket(harness, token: visitor.token) { send, frames in
                // The upgrade spent one call; two frames more spend the rest.
                for index in 0..<2 {
                    try await send([
                        "type": "message", "conversation_id": visitor.conversation, "client_message_id": "m-\(index)",
                        "text": "Hello \(index)",
                    ])
                }
                let refusedMessage = try await Self.frame(in: frames) {
                    $0["type"].string == "error" && $0["client_message_id"].string == "m-1"
                }
                #expect(refusedMessage["code"].string == "rate_limited")
                #expect((refusedMessage["retry_after"].int ?? 0) >= 1)
                _ = try await Self.frame(in: frames) {
                    $0["type"].string == "done" && $0["client_message_id"].string == "m-0"
                }
                try await send(["type": "resync", "conversation_id": visitor.conversation, "after": NSNull()])
                let refusedResync = try await Self.frame(in: frames) {
                    $0["type"].string == "error" && $0["client_message_id"].isNull
                }
                #expect(refusedResync["code"].string == "rate_limited")
                #expect((refusedResync["retry_after"].int ?? 0) >= 1)
                #expect(!frames.all.contains { $0["type"].string == "history" })
            }
            let admin = try await harness.demoAdmin()
            let stored = try await harness.call(.get, "/api/conversations/\(visitor.conversation)", token: admin)
            #expect(
                stored["messages"].array.filter { $0["role"].string == "customer" }.map { $0["text"].string }
                    == ["Hello 0"])
        }
    }

    @Test("the agent's side arrives live: joining, typing, messages, hand-back and close")
    func agentSideIsLive() async throws {
        try await Harness.run { harness in
            let admin = try await harness.demoAdmin()
            let visitor = try await harness.session()
            try await Self.withSocket(harness, token: visitor.token) { send, frames in
                try await send(["type": "resync", "conversation_id": visitor.conversation, "after": NSNull()])
                _ = try await Self.frame(in: frames) { $0["type"].string == "history" }
                // After the history, the state the widget may have missed: with the bot.
                let current = try await Self.frame(in: frames) { $0["type"].string == "state" }
                #expect(current["state"].string == "bot" && current["queue_position"].isNull, "\(current)")
                let base = "/api/agent/conversations/\(visitor.conversation)"
                #expect(try await harness.call(.post, "\(base)/claim", token: admin).status == .ok)
                let joined = try await Self.frame(in: frames) {
                    $0["type"].string == "state" && $0["state"].string == "human"
                }
                #expect(joined["state"].string == "human")
                #expect(joined["agent"].string == "Demo admin")
                #expect(try await harness.call(.post, "\(base)/typing", token: admin).status == .noContent)
                _ = try await Self.frame(in: frames) { $0["type"].string == "typing" && $0["role"].string == "agent" }
                let sent = try await harness.call(
                    .post, "\(base)/messages", json: ["text": "Hello, I'm <b>Dana</b>."], token: admin)
                let pushed = try await Self.frame(in: frames) {
                    $0["type"].string == "message" && $0["message"]["role"].string == "agent"
                }
                #expect(pushed["message"]["message_id"].string == sent["message_id"].string)
                #expect(pushed["message"]["text"].string == "Hello, I'm <b>Dana</b>.", "sent as data, never altered")
                #expect(try await harness.call(.post, "\(base)/handback", token: admin).status == .ok)
                _ = try await Self.frame(in: frames) { $0["type"].string == "state" && $0["state"].string == "bot" }
                #expect(try await harness.call(.post, "\(base)/close", token: admin).status == .ok)
                _ = try await Self.frame(in: frames) { $0["type"].string == "state" && $0["state"].string == "closed" }
            }
            // The CSAT prompt's answer.
            let rated = try await harness.call(
                .post, "/api/chat/feedback", json: ["conversation_id": visitor.conversation, "rating": 5],
                token: visitor.token)
            #expect(rated.status == .ok)
            let outOfRange = try await harness.call(
                .post, "/api/chat/feedback", json: ["conversation_id": visitor.conversation, "rating": 9],
                token: visitor.token)
            #expect(outOfRange.status == .unprocessableContent)
        }
    }

    @Test("bad frames get error frames and the socket stays open; another visitor's conversation is not found")
    func badFrames() async throws {
        try await Harness.run { harness in
            let visitor = try await harness.session()
            let stranger = try await harness.session()
            try await Self.withSocket(harness, token: visitor.token) { send, frames in
                try await send([
                    "type": "message", "conversation_id": stranger.conversation, "client_message_id": "x",
                    "text": "hi",
                ])
                let foreign = try await Self.frame(in: frames) { $0["type"].string == "error" }
                #expect(foreign["code"].string == "not_found")
                try await send([
                    "type": "message", "conversation_id": visitor.conversation, "client_message_id": "",
                    "text": "hi",
                ])
                _ = try await Self.frame(in: frames) { $0["code"].string == "unprocessable" }
                try await send([
                    "type": "message", "conversation_id": visitor.conversation, "client_message_id": "nul",
                    "text": "hi\u{0}",
                ])
                let nul = try await Self.frame(in: frames) { $0["message"].string?.contains("NUL") == true }
                #expect(nul["code"].string == "unprocessable" && nul["client_message_id"].string == "nul")
                for (index, after) in ["x\u{0}", "", String(repeating: "a", count: 129)].enumerated() {
                    try await send(["type": "resync", "conversation_id": visitor.conversation, "after": after])
                    // Frames accumulate: wait for this one's refusal, the index-th of its kind.
                    let deadline = ContinuousClock.now + .seconds(30)
                    while frames.all.filter({ $0["message"].string == "after must be a message id" }).count <= index,
                        ContinuousClock.now < deadline
                    {
                        try await Task.sleep(for: .milliseconds(20))
                    }
                    let refusals = frames.all.filter { $0["message"].string == "after must be a message id" }
                    #expect(refusals.count == index + 1 && refusals.allSatisfy { $0["code"].string == "unprocessable" })
                }
                #expect(!frames.all.contains { $0["type"].string == "history" }, "no refused resync sends history")
                try await send(["type": "dance", "conversation_id": visitor.conversation])
                _ = try await Self.frame(in: frames) { $0["code"].string == "unknown_type" }
                try await send(["type": "ping"])
                _ = try await Self.frame(in: frames) { $0["type"].string == "pong" }
            }
        }
    }

    @Test("the upgrade needs a valid token and an allowed origin; refusals say why over plain HTTP")
    func upgradeChecks() async throws {
        var configuration = Harness.configuration()
        configuration.environment = .production
        try await Harness.run(configuration) { harness in
            let plain = try await harness.call(.get, "/api/chat/ws")
            #expect(plain.status == .unauthorized)
            #expect(plain.errorCode == "unauthorized")
            await #expect(throws: (any Error).self) {
                try await Self.withSocket(harness, token: "forged") { _, _ in }
            }
        }
        try await Harness.run { harness in
            let visitor = try await harness.session()
            let foreign = try await harness.call(
                .get, "/api/chat/ws?token=\(visitor.token)", headers: [.origin: "https://evil.test"])
            #expect(foreign.status == .forbidden)
            await #expect(throws: (any Error).self) {
                try await Self.withSocket(harness, token: visitor.token, origin: "https://evil.test") { _, _ in }
            }
            let notUpgraded = try await harness.call(
                .get, "/api/chat/ws?token=\(visitor.token)", headers: [.origin: Harness.origin])
            #expect(notUpgraded.status == .upgradeRequired)
            #expect(notUpgraded.errorCode == "websocket_required")
        }
    }

    @Test("a same-origin page's events stream needs no Origin; a cross-site request without one is refused")
    func eventsFromTheSameOrigin() async throws {
        try await Harness.run { harness in
            let visitor = try await harness.session()
            let url =
                "http://127.0.0.1:\(harness.port)/api/chat/events?conversation_id=\(visitor.conversation)"
                + "&token=\(visitor.token)"
            let client = HTTPClient(eventLoopGroupProvider: .singleton)
            let cases: [(site: String?, status: Int)] = [("same-origin", 200), ("cross-site", 403), (nil, 403)]
            for (site, expected) in cases {
                var request = HTTPClientRequest(url: url)
                if let site { request.headers.add(name: "Sec-Fetch-Site", value: site) }
                let response = try await client.execute(request, timeout: .seconds(30))
                #expect(Int(response.status.code) == expected, "Sec-Fetch-Site: \(site ?? "none")")
                if expected == 200 {
                    #expect(response.headers.first(name: "content-type") == "text/event-stream")
                } else {
                    let body = String(buffer: try await response.body.collect(upTo: 1 << 16))
                    #expect(body.contains("origin_required"), "\(body)")
                }
            }
            // Closing the client ends the open stream, as a page that goes away would.
            try await client.shutdown()
        }
    }

    @Test("an events ticket opens its own conversation's stream only, once, briefly, and is no visitor token")
    func streamTickets() async throws {
        try await Harness.run { harness in
            let visitor = try await harness.session()
            let other = try await harness.session()
            let path = "/api/chat/events/ticket"
            let given = try await harness.call(
                .post, path, json: ["conversation_id": visitor.conversation], token: visitor.token)
            #expect(given.status == .ok, "\(given.text)")
            let ticket = try #require(given["ticket"].string)
            #expect(given["expires_in"].int == 60)
            #expect(
                try await harness.call(.post, path, json: ["conversation_id": other.conversation], token: visitor.token)
                    .status == .notFound, "a ticket for another visitor's conversation")
            #expect(
                try await harness.call(.post, path, json: ["conversation_id": visitor.conversation]).status
                    == .unauthorized)
            let missing = try await harness.call(.post, path, json: [:] as [String: Any], token: visitor.token)
            #expect([400, 422].contains(missing.status.code), "\(missing.text)")
            // The ticket is not a visitor token: it opens nothing but the stream.
            let asToken = try await harness.call(.get, "/api/chat/history/\(visitor.conversation)", token: ticket)
            #expect(asToken.status == .unauthorized)

            let client = HTTPClient(eventLoopGroupProvider: .singleton)
            func open(_ query: String, origin: String = Harness.origin) async throws -> (Int, String) {
                var request = HTTPClientRequest(url: "http://127.0.0.1:\(harness.port)/api/chat/events?\(query)")
                request.headers.add(name: "Origin", value: origin)
                let response = try await client.execute(request, timeout: .seconds(30))
                let type = response.headers.first(name: "content-type") ?? ""
                if type == "text/event-stream" { return (Int(response.status.code), type) }
                return (Int(response.status.code), String(buffer: try await response.body.collect(upTo: 1 << 16)))
            }
            func fresh() async throws -> String {
                try #require(
                    try await harness.call(
                        .post, path, json: ["conversation_id": visitor.conversation], token: visitor.token)[
                            "ticket"
                        ].string)
            }
            // A page of an origin the tenant does not allow cannot use a ticket, and does not use it up.
            #expect(try await open("ticket=\(ticket)", origin: "https://evil.test").0 == 403)
            let opened = try await open("ticket=\(ticket)")
            #expect(opened.0 == 200 && opened.1 == "text/event-stream", "\(opened)")
            // A ticket opens one stream: a copy of the URL (from a proxy's log) opens nothing once it was used.
            let again = try await open("ticket=\(ticket)")
            #expect(again.0 == 401 && again.1.contains("invalid_ticket") && again.1.contains("used"), "\(again)")
            // The conversation is the ticket's: naming another in the query changes nothing.
            let elsewhere = try await open("ticket=\(try await fresh())&conversation_id=\(other.conversation)")
            #expect(elsewhere.0 == 200, "\(elsewhere)")
            let forged = try await open("ticket=\(ticket.dropLast(2))xy")
            #expect(forged.0 == 401 && forged.1.contains("invalid_ticket"), "\(forged)")
            // A visitor token is not a ticket.
            let token = try await open("ticket=\(visitor.token)")
            #expect(token.0 == 401, "\(token)")

            // A ticket a minute old opens nothing; one made the same way now does (the same key signs both).
            let tokens = await TokenIssuer.make(secret: try SecretKey.resolve(Harness.configuration()))
            let identity = VisitorIdentity(
                tenantID: harness.seed.demoTenantID, visitorID: try await harness.visitorID(of: visitor.conversation))
            for (age, expected) in [(61.0, 401), (0.0, 200)] {
                let made = try await tokens.streamTicket(
                    for: identity, conversation: ConversationID(visitor.conversation), streamUntil: Date() + 3_600,
                    now: Date() - age)
                #expect(try await open("ticket=\(made)").0 == expected, "a ticket \(age) s old")
            }
            try await client.shutdown()
        }
    }

    @Test("without WebSocket, the events stream carries the agent's messages, but not the listener's own turn")
    func eventsFallback() async throws {
        try await Harness.run { harness in
            let admin = try await harness.demoAdmin()
            let visitor = try await harness.session()
            let listener = UUID().uuidString
            var request = HTTPClientRequest(
                url: "http://127.0.0.1:\(harness.port)/api/chat/events?conversation_id=\(visitor.conversation)"
                    + "&token=\(visitor.token)&listener=\(listener)")
            request.headers.add(name: "Origin", value: Harness.origin)
            let connected = AsyncStream<Void>.makeStream()
            // A client of its own, shut down at the end: that closes the stream's connection, as a page would.
            let client = HTTPClient(eventLoopGroupProvider: .singleton)
            let eventsRequest = request
            let reader = boundedTask(within: .seconds(60)) {
                defer { connected.continuation.finish() }
                let response = try await client.execute(eventsRequest, timeout: .seconds(10))
                var events = response.headers.first(name: "content-type") ?? ""
                for try await part in response.body {
                    // The stream is open once its first comment arrives; only then can nothing be missed.
                    connected.continuation.yield()
                    events += String(buffer: part)
                    if events.contains("event: state") { break }
                }
                return events
            }
            for await _ in connected.stream { break }
            _ = try await harness.call(
                .post, "/api/chat/message",
                json: ["conversation_id": visitor.conversation, "client_message_id": "own", "text": "Hello"],
                token: visitor.token, headers: [LiveRoutes.listenerHeader: listener])
            _ = try await harness.call(.post, "/api/agent/conversations/\(visitor.conversation)/claim", token: admin)
            let events = try await reader.value
            try await client.shutdown()
            #expect(events.hasPrefix("text/event-stream"))
            #expect(events.contains("event: state"))
            #expect(events.contains("Demo admin joined the conversation."))
            #expect(!events.contains("\"client_message_id\":\"own\""), "the listener's own message is not echoed")
        }
    }
}
