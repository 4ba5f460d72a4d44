import Foundation
import ParleyCore
import Testing

/// A visitor waiting for an agent hears their place in the queue each time it moves, and again when they come back.
@Suite("Queue places")
struct QueuePlaceTests {
    /// Queues a visitor's conversation with the escalate button.
    static func queue(_ visitor: (token: String, conversation: String, visitorID: String), harness: Harness)
        async throws
    {
        let pressed = try await harness.call(
            .post, "/api/chat/escalate", json: ["conversation_id": visitor.conversation], token: visitor.token)
        #expect(pressed["state"].string == "queued", "\(pressed.text)")
    }

    @Test("a claim or a close ahead moves everyone behind up, and the socket says so")
    func placesMoveUp() async throws {
        try await Harness.run { harness in
            let admin = try await harness.demoAdmin()
            let visitors = [try await harness.session(), try await harness.session(), try await harness.session()]
            for visitor in visitors { try await Self.queue(visitor, harness: harness) }
            let last = visitors[2]
            try await LiveChannelTests.withSocket(harness, token: last.token) { send, frames in
                // The resync answers with the history, then the place: third.
                try await send(["type": "resync", "conversation_id": last.conversation, "after": NSNull()])
                let third = try await LiveChannelTests.frame(in: frames) { $0["type"].string == "state" }
                #expect(third["state"].string == "queued" && third["queue_position"].int == 3, "\(third)")

                let claimed = try await harness.call(
                    .post, "/api/agent/conversations/\(visitors[0].conversation)/claim", token: admin)
                #expect(claimed.status == .ok)
                let second = try await LiveChannelTests.frame(in: frames) { $0["queue_position"].int == 2 }
                #expect(second["conversation_id"].string == last.conversation)

                let closed = try await harness.call(
                    .post, "/api/agent/conversations/\(visitors[1].conversation)/close", token: admin)
                #expect(closed.status == .ok)
                let first = try await LiveChannelTests.frame(in: frames) { $0["queue_position"].int == 1 }
                #expect(first["state"].string == "queued")
            }
            // The history says the place too, for a widget on the fallback.
            let history = try await harness.call(.get, "/api/chat/history/\(last.conversation)", token: last.token)
            #expect(history["conversation"]["queue_position"].int == 1, "\(history.text)")
            let ahead = try await harness.call(
                .get, "/api/chat/history/\(visitors[0].conversation)", token: visitors[0].token)
            #expect(ahead["conversation"]["state"].string == "human")
            #expect(ahead["conversation"]["queue_position"].isNull, "only a waiting conversation has a place")
        }
    }

    @Test("a conversation of higher priority that joins ahead moves the ones of lower priority back")
    func higherPriorityJoinsAhead() async throws {
        try await Harness.run { harness in
            let button = try await harness.session()
            try await Self.queue(button, harness: harness)  // priority 1
            try await LiveChannelTests.withSocket(harness, token: button.token) { send, frames in
                try await send(["type": "resync", "conversation_id": button.conversation, "after": NSNull()])
                let first = try await LiveChannelTests.frame(in: frames) { $0["type"].string == "state" }
                #expect(first["queue_position"].int == 1, "\(first)")
                // An explicit request for a human queues at priority 2, ahead of the button press.
                let asking = try await harness.session()
                let reply = try await harness.say(
                    "Can I talk to a human please?", token: asking.token, conversation: asking.conversation)
                #expect(reply["conversation"]["state"].string == "queued")
                let moved = try await LiveChannelTests.frame(in: frames) { $0["queue_position"].int == 2 }
                #expect(moved["conversation_id"].string == button.conversation)
            }
        }
    }

    @Test("a visitor ahead who erases their data leaves the queue, and the one behind moves up")
    func erasureMovesUp() async throws {
        try await Harness.run { harness in
            let ahead = try await harness.session()
            let behind = try await harness.session()
            try await Self.queue(ahead, harness: harness)
            try await Self.queue(behind, harness: harness)
            try await LiveChannelTests.withSocket(harness, token: behind.token) { send, frames in
                try await send(["type": "resync", "conversation_id": behind.conversation, "after": NSNull()])
                let second = try await LiveChannelTests.frame(in: frames) { $0["type"].string == "state" }
                #expect(second["queue_position"].int == 2, "\(second)")
                let erased = try await harness.call(.delete, "/api/chat/data", token: ahead.token)
                #expect(erased.status == .noContent)
                let first = try await LiveChannelTests.frame(in: frames) { $0["queue_position"].int == 1 }
                #expect(first["conversation_id"].string == behind.conversation)
            }
        }
    }
}
