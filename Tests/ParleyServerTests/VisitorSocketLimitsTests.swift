import Foundation
import HTTPTypes
import ParleyCore
import Testing

@testable import ParleyServer

/// The widget socket's limits against visitors who misbehave: one who stops reading, one who ignores the close.
@Suite("Visitor socket limits")
struct VisitorSocketLimitsTests {
    @Test("a visitor who stops reading is dropped once the frames waiting for them pass the ceiling; others go on")
    func stalledReaderIsDropped() async throws {
        try await Harness.run { harness in
            let visitor = try await harness.session()
            // A history of about 160 KB: each resync answers with all of it, and this visitor reads none.
            let long = String(repeating: "word ", count: 1_600)
            for _ in 0..<20 {
                #expect(
                    try await harness.say(long, token: visitor.token, conversation: visitor.conversation).status == .ok)
            }
            let socket = try await RawWebSocket.connect(
                port: harness.port, path: "/api/chat/ws?token=\(visitor.token)", origin: Harness.origin,
                reads: false)
            let resync = RawWebSocket.textFrame(
                #"{"type":"resync","conversation_id":"\#(visitor.conversation)","after":null}"#)
            let batch = Array(repeating: resync, count: 16).flatMap { $0 }
            var dropped = false
            // Writing until the server drops the connection: writes succeed while it reads, and fail once it has
            // closed. A minute is an arrival bound, not a speed: without a ceiling the server never drops it.
            let deadline = ContinuousClock.now + .seconds(60)
            while !dropped && ContinuousClock.now < deadline {
                do {
                    try await socket.write(batch)
                } catch {
                    dropped = true
                }
            }
            #expect(dropped, "the server kept a visitor who read nothing")
            let other = try await harness.session()
            #expect(try await harness.say("Hello", token: other.token, conversation: other.conversation).status == .ok)
        }
    }

    @Test("after its token expires a socket takes no frame, even from a client that ignores the close, and ends")
    func expiredSocketTakesNothing() async throws {
        try await Harness.run { harness in
            let visitor = try await harness.session()
            // A token with five seconds left, signed as the server signs them.
            let issuer = await TokenIssuer.make(secret: try SecretKey.resolve(Harness.configuration()))
            let expiry = Date().addingTimeInterval(5)
            let token = try await issuer.visitorToken(
                tenant: harness.seed.demoTenantID, visitor: try await harness.visitorID(of: visitor.conversation),
                now: expiry.addingTimeInterval(-TokenIssuer.defaultVisitorTokenLifetime))
            let socket = try await RawWebSocket.connect(
                port: harness.port, path: "/api/chat/ws?token=\(token)", origin: Harness.origin, reads: true)
            try #require(try await socket.upgraded(within: .seconds(4)), "the upgrade came after the token's expiry")
            try await Task.sleep(for: .seconds(max(0, expiry.timeIntervalSinceNow) + 1))
            // The close (4001) came and went unanswered; a message now must not be taken.
            let frame =
                #"{"type":"message","conversation_id":"\#(visitor.conversation)","client_message_id":"late","text":"Hi"}"#
            try? await socket.write(RawWebSocket.textFrame(frame))
            #expect(await socket.closes(within: .seconds(30)), "the server kept an expired socket open")
            let stored = try await harness.store.messages.list(
                conversation: ConversationID(visitor.conversation), tenant: harness.seed.demoTenantID, after: nil,
                limit: 10)
            #expect(stored.isEmpty, "a frame after the expiry was taken: \(stored.map(\.text))")
        }
    }

    @Test("a reply being written when the token expires is finished and sent before the socket closes")
    func expiryLetsRunningTurnsFinish() async throws {
        try await StreamingAnswerTests.withFakeProvider(InterruptedAnswerTests.slow) { port, _ in
            try await Harness.run { harness in
                let admin = try await StreamingAnswerTests.setUp(harness, port: port)
                let visitor = try await harness.session()
                // A token with three seconds left; the reply takes about four to write.
                let issuer = await TokenIssuer.make(secret: try SecretKey.resolve(Harness.configuration()))
                let expiry = Date().addingTimeInterval(3)
                let token = try await issuer.visitorToken(
                    tenant: harness.seed.demoTenantID, visitor: try await harness.visitorID(of: visitor.conversation),
                    now: expiry.addingTimeInterval(-TokenIssuer.defaultVisitorTokenLifetime))
                try await LiveChannelTests.withSocket(harness, token: token) { send, frames in
                    try await send([
                        "type": "message", "conversation_id": visitor.conversation, "client_message_id": "m-1",
                        "text": "How long do refunds take?",
                    ])
                    let done = try await LiveChannelTests.frame(in: frames) { $0["type"].string == "done" }
                    let text = try #require(done["result"]["reply"]["text"].string)
                    #expect(text.contains("word40"), "the reply was cut off: \(text)")
                    #expect(Date() > expiry, "the reply ended before the expiry; the test proves nothing")
                }
                let reply = try await InterruptedAnswerTests.storedReply(
                    harness, conversation: visitor.conversation, admin: admin)
                #expect(reply["metadata"]["interrupted"].bool != true, "\(reply)")
                #expect(reply["text"].string?.contains("word40") == true, "\(reply)")
            }
        }
    }

    @Test("the widget's token comes as an offered subprotocol, which the answer names; a bad one is refused")
    func tokenAsSubprotocol() async throws {
        try await Harness.run { harness in
            let visitor = try await harness.session()
            let socket = try await RawWebSocket.connect(
                port: harness.port, path: "/api/chat/ws", origin: Harness.origin, reads: true,
                headers: "Sec-WebSocket-Protocol: parley, parley.token.\(visitor.token)\r\n")
            #expect(try await socket.upgraded(within: .seconds(30)), "\(socket.answer)")
            #expect(socket.answer.lowercased().contains("sec-websocket-protocol: parley\r\n"), "\(socket.answer)")
            socket.channel.close(promise: nil)

            let forged = try await RawWebSocket.connect(
                port: harness.port, path: "/api/chat/ws", origin: Harness.origin, reads: true,
                headers: "Sec-WebSocket-Protocol: parley, parley.token.\(visitor.token)x\r\n")
            #expect(try await !forged.upgraded(within: .seconds(30)), "\(forged.answer)")
            forged.channel.close(promise: nil)

            // Over plain HTTP the route reads the same header and says why it cannot serve.
            let protocols = HTTPField.Name.secWebSocketProtocol
            let plain = try await harness.call(
                .get, "/api/chat/ws",
                headers: [protocols: "parley, parley.token.\(visitor.token)", .origin: Harness.origin])
            #expect(plain.errorCode == "websocket_required", "\(plain.text)")
            let bad = try await harness.call(
                .get, "/api/chat/ws", headers: [protocols: "parley, parley.token.forged", .origin: Harness.origin])
            #expect(bad.status == .unauthorized, "\(bad.text)")
        }
    }
}
