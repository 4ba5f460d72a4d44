import Foundation
import ParleyCore
import ParleyStore
import Synchronization
import Testing

/// A server that stops gracefully lets the turns running on visitors' sockets finish, and stores their whole replies.
@Suite("Socket turns at shutdown")
struct SocketShutdownTests {
    /// The replies the store was given, kept to be read after the server and its store have closed.
    final class StoredReplies: Sendable {
        let replies = Mutex<[Message]>([])
        /// Set once the server has stopped: the test's socket may close then.
        let serverStopped = Mutex(false)
    }

    /// Turns stored as usual, their replies also kept in `stored`.
    struct RecordingTurns: TurnRepositoryLayer {
        let base: any TurnRepository
        let stored: StoredReplies

        func complete(_ turn: TurnRecord, reply: Message?, conversation: Conversation, beganIn: ConversationState)
            async throws
        {
            try await base.complete(turn, reply: reply, conversation: conversation, beganIn: beganIn)
            if let reply { stored.replies.withLock { $0.append(reply) } }
        }
    }

    @Test("a server shutting down lets a turn on a visitor's socket finish: its whole reply is stored")
    func shutdownFinishesSocketTurns() async throws {
        let stored = StoredReplies()
        let recording: @Sendable (any ParleyStore) -> any ParleyStore = { base in
            ForwardingStore(base: base, turns: RecordingTurns(base: base.turns, stored: stored))
        }
        let streaming = AsyncStream<Void>.makeStream()
        let socket = Mutex<Task<Void, any Error>?>(nil)
        try await StreamingAnswerTests.withFakeProvider(InterruptedAnswerTests.slow) { port, _ in
            try await Harness.run(wrapStore: recording) { harness in
                _ = try await StreamingAnswerTests.setUp(harness, port: port)
                let visitor = try await harness.session()
                socket.withLock {
                    $0 = Task {
                        try await LiveChannelTests.withSocket(harness, token: visitor.token) { send, frames in
                            try await send([
                                "type": "message", "conversation_id": visitor.conversation,
                                "client_message_id": "m1", "text": "How long do refunds take?",
                            ])
                            _ = try await LiveChannelTests.frame(in: frames) { $0["type"].string == "delta" }
                            streaming.continuation.yield()
                            // The socket stays open: the server's shutdown is what ends it.
                            while !stored.serverStopped.withLock({ $0 }) {
                                try await Task.sleep(for: .milliseconds(50))
                            }
                        }
                    }
                }
                for await _ in streaming.stream { break }
                // Returning stops the server gracefully while the reply is being written.
            }
        }
        stored.serverStopped.withLock { $0 = true }
        _ = await socket.withLock { $0 }?.result
        let replies = stored.replies.withLock { $0 }
        #expect(replies.count == 1)
        let reply = try #require(replies.first)
        #expect(reply.text.contains("word40"), "the reply was cut off: \(reply.text)")
        #expect(reply.metadata["interrupted"] == nil, "\(reply.metadata)")
    }
}
