import Foundation
import HummingbirdWebSocket
import Logging
import NIOCore
import NIOWebSocket
import ParleyCore
import ServiceLifecycle

/// One widget's WebSocket: the visitor's messages in, their replies streamed out, and the live events of their
/// conversations (agents' messages, typing, read markers, changes of hands) pushed as they happen.
///
/// Frames are JSON objects (docs/widget.md). Turns run side by side, each streaming its own `delta` frames; every
/// outgoing frame goes through one writer. The socket ends when the visitor goes away (their running turns are
/// cancelled and their partial replies stored, as with a dropped SSE stream) or when their token expires (close
/// code 4001: open a new session and reconnect). At the expiry it takes no more frames, but the turns already
/// running finish first, so that a reply being written is not cut off.
struct VisitorSocket {
    let visitor: VisitorIdentity
    let expiry: Date
    let services: AppServices
    let logger: Logger
    /// The connection, to drop when the visitor stops reading (nil in tests that have none).
    var channel: (any Channel)? = nil
    /// Tells this socket's own events apart from everyone else's.
    let origin = UUID()

    /// Largest frame the visitor may send.
    static let maxFrameBytes = 64 * 1024
    /// Close code for an expired token.
    static let tokenExpired = WebSocketErrorCode(codeNumber: 4001)
    /// Most conversations one socket follows (a widget follows its current one, and the next after a close).
    static let maxWatchedConversations = 8
    /// How long a socket whose token has expired waits for the turns it runs to finish before it closes.
    static let expiryGrace = Duration.seconds(120)

    /// What a visitor's frame may carry.
    struct ClientFrame: Decodable {
        var type: String
        var conversationID: String?
        var clientMessageID: String?
        var text: String?
        var pageURL: String?
        var messageID: String?
        var after: String?

        enum CodingKeys: String, CodingKey {
            case type, text, after
            case conversationID = "conversation_id"
            case clientMessageID = "client_message_id"
            case pageURL = "page_url"
            case messageID = "message_id"
        }
    }

    /// How a socket ended.
    private enum Ending {
        case visitorLeft, expired, overflowed
    }

    /// Serves the socket until the visitor goes away, the token expires, or the visitor stops reading.
    ///
    /// Whichever comes first ends the socket: the visitor's reading stops, their running turns are cancelled, and
    /// the connection closes: at once when the frames waiting for a visitor who stopped reading pass the
    /// configuration's `maxQueuedSocketBytes`; with code 4001 at the token's expiry, after which no frame is taken
    /// and the turns already running finish, frames written, for up to `expiryGrace`. When the server stops
    /// gracefully, the turns running finish and are stored (for up to `expiryGrace`) though their frames can no
    /// longer be written.
    func run(inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter) async {
        let queue = OutgoingFrames(limit: services.configuration.maxQueuedSocketBytes)
        let turns = RunningTurns()
        let channel = channel
        let first = await withTaskGroup(of: Ending.self) { group in
            group.addTask {
                for await json in queue.frames {
                    do { try await outbound.write(.text(json)) } catch { break }
                    queue.written(json)
                }
                return .visitorLeft
            }
            group.addTask {
                try? await Task.sleep(for: .seconds(max(0, expiry.timeIntervalSinceNow)))
                turns.close()
                _ = await waitUntil(within: Self.expiryGrace) { turns.count == 0 && queue.isEmpty }
                return .expired
            }
            group.addTask {
                await queue.overflowed()
                return .overflowed
            }
            group.addTask {
                await receive(inbound, queue: queue, turns: turns)
                return .visitorLeft
            }
            let next = await group.next() ?? .visitorLeft
            // The writer ends too when the queue overflows; the overflow is the reason.
            let ending = queue.hasOverflowed ? Ending.overflowed : next
            if ending == .overflowed {
                // Pending writes to a visitor who does not read would hold the writer: drop the connection.
                channel?.close(promise: nil)
            } else if ending == .visitorLeft, Task.isShuttingDownGracefully {
                // The server is stopping, and its close ended the socket (its frames, or the writes after it): no new
                // turn starts, and those running finish and are stored, so the widget's resend to the next server
                // gets the whole answer instead of a cut-off one.
                turns.close()
                _ = await waitUntil(within: Self.expiryGrace) { turns.count == 0 }
            }
            group.cancelAll()
            return ending
        }
        queue.finish()
        switch first {
        case .expired:
            try? await outbound.close(Self.tokenExpired, reason: "the visitor token expired")
        case .overflowed:
            logger.notice("visitor socket dropped: the visitor stopped reading its frames")
        case .visitorLeft:
            break
        }
    }

    /// Reads the visitor's frames until they go away; the turns and watches they start live as long as this does.
    ///
    /// Once `turns` is closed (the token expired), frames are read and dropped.
    private func receive(_ inbound: WebSocketInboundStream, queue: OutgoingFrames, turns: RunningTurns) async {
        await withDiscardingTaskGroup { group in
            var watched: Set<ConversationID> = []
            do {
                for try await message in inbound.messages(maxSize: Self.maxFrameBytes) {
                    guard turns.isOpen else { continue }
                    guard case .text(let text) = message,
                        let frame = try? JSONDecoder().decode(ClientFrame.self, from: Data(text.utf8))
                    else {
                        queue.send(.error("invalid_frame", "frames are JSON objects with a type"))
                        continue
                    }
                    await handle(frame, queue: queue, turns: turns, watched: &watched, group: &group)
                }
            } catch {
                logger.debug("visitor socket ended", metadata: .describing(error))
            }
            if Task.isShuttingDownGracefully {
                // The server's close ended the visitor's frames: the turns running finish first (see `run`).
                _ = await waitUntil(within: Self.expiryGrace) { turns.count == 0 }
            }
            group.cancelAll()
        }
    }

    private func handle(
        _ frame: ClientFrame, queue: OutgoingFrames, turns: RunningTurns, watched: inout Set<ConversationID>,
        group: inout DiscardingTaskGroup
    ) async {
        if frame.type == "ping" {
            queue.send(LiveFrame(type: "pong"))
            return
        }
        // Every other frame costs a read at least: it spends the visitor's budget, as a request would.
        if let refusal = services.authenticator.admit(visitor) {
            queue.send(.error(refusal, clientMessageID: frame.clientMessageID))
            return
        }
        let conversation: Conversation
        do {
            guard let id = frame.conversationID, let owned = try await owned(id) else {
                queue.send(
                    .error(
                        "not_found", "conversation_id must name one of your conversations",
                        clientMessageID: frame.clientMessageID))
                return
            }
            conversation = owned
        } catch {
            // Not the visitor's fault, and not a missing conversation: the widget must not start a new one.
            logger.warning("visitor socket could not read a conversation", metadata: .describing(error))
            queue.send(.unavailable("the conversation could not be read", clientMessageID: frame.clientMessageID))
            return
        }
        let id = conversation.id.rawValue
        if !watched.contains(conversation.id) {
            guard watched.count < Self.maxWatchedConversations else {
                queue.send(
                    .error(
                        "too_many_conversations",
                        "a socket follows at most \(Self.maxWatchedConversations) conversations; open another",
                        clientMessageID: frame.clientMessageID))
                return
            }
            watched.insert(conversation.id)
            let events = services.events.watch(conversation.id, tenant: visitor.tenantID)
            let origin = origin
            group.addTask {
                for await published in events where published.origin != origin {
                    queue.send(published.event.visitorFrame(conversation: conversation.id))
                }
            }
        }
        switch frame.type {
        case "message":
            guard let turn = turn(frame, conversation: conversation.id, queue: queue) else { return }
            if let refusal = services.authenticator.admitMessage(visitor) {
                queue.send(.error(refusal, clientMessageID: frame.clientMessageID))
                return
            }
            // Refused only when the token expired while this frame was being checked: it is dropped, as a later
            // one would be.
            guard turns.admit() else { return }
            group.addTask {
                defer { turns.end() }
                await turn()
            }
        case "resync":
            if let after = frame.after, after.isEmpty || after.unicodeScalars.count > 128 || after.utf8.contains(0) {
                queue.send(.error("unprocessable", "after must be a message id"))
                return
            }
            do {
                let messages = try await services.store.messages.list(
                    conversation: conversation.id, tenant: visitor.tenantID,
                    after: frame.after.map { MessageID($0) }, limit: 500)
                var history = LiveFrame(type: "history", conversationID: id)
                history.messages = messages.map(Wire.VisitorMessage.init)
                queue.send(history)
                // A widget that was away (or reloaded) hears the state it missed: with whom the conversation is
                // now, and while it waits, its place. (A close it missed is told when it next writes.)
                if conversation.state != .closed {
                    let place =
                        conversation.state == .queued
                        ? try await services.chat.queue.place(of: conversation.id, tenant: visitor.tenantID) : nil
                    queue.send(
                        LiveEvent.state(conversation.state, agent: nil, queuePosition: place)
                            .visitorFrame(conversation: conversation.id))
                }
            } catch {
                logger.warning("visitor socket could not read a history", metadata: .describing(error))
                queue.send(.unavailable("the history could not be read"))
            }
        case "typing":
            services.events.publish(
                .typing(.customer), conversation: conversation.id, tenant: visitor.tenantID, origin: origin)
        case "read":
            guard let message = frame.messageID, !message.isEmpty, message.unicodeScalars.count <= 128 else {
                queue.send(.error("unprocessable", "message_id must be a message id"))
                return
            }
            services.events.publish(
                .read(MessageID(message), .customer), conversation: conversation.id, tenant: visitor.tenantID,
                origin: origin)
        default:
            queue.send(.error("unknown_type", "unknown frame type '\(frame.type.prefix(40))'"))
        }
    }

    /// The visitor's conversation with this id, or nil when they have none by that id; throws when the store
    /// cannot be read.
    private func owned(_ id: String) async throws -> Conversation? {
        guard !id.isEmpty, id.unicodeScalars.count <= 128,
            let conversation = try await services.store.conversations.get(
                ConversationID(id), tenant: visitor.tenantID),
            conversation.visitorID == visitor.visitorID
        else { return nil }
        return conversation
    }

    /// The turn a message frame asks for, checked as `POST /api/chat/message` checks its body; nil (and an error
    /// frame sent) when the frame is not acceptable.
    private func turn(_ frame: ClientFrame, conversation: ConversationID, queue: OutgoingFrames)
        -> (@Sendable () async -> Void)?
    {
        let clientID = frame.clientMessageID ?? ""
        let text = frame.text ?? ""
        let problem: (String, String)? =
            if !(1...128).contains(clientID.unicodeScalars.count) {
                ("unprocessable", "client_message_id must be 1 to 128 characters")
            } else if !text.contains(where: { !$0.isWhitespace }) {
                ("unprocessable", "text must not be empty")
            } else if text.utf8.count > services.configuration.maxMessageBytes {
                ("message_too_large", "text is longer than \(services.configuration.maxMessageBytes) bytes")
            } else if (frame.pageURL?.unicodeScalars.count ?? 0) > 2_048 {
                ("unprocessable", "page_url is too long")
            } else if [clientID, text, frame.pageURL ?? ""].contains(where: { $0.utf8.contains(0) }) {
                ("unprocessable", "strings must not contain the NUL character (\\u0000)")
            } else {
                nil
            }
        if let (code, message) = problem {
            queue.send(.error(code, message, clientMessageID: frame.clientMessageID))
            return nil
        }
        let services = services
        let visitor = visitor
        let logger = logger
        let origin = origin
        return {
            let sink = FrameSink(clientMessageID: clientID, queue: queue)
            do {
                let result = try await services.chat.handle(
                    visitor: visitor, conversationID: conversation, clientMessageID: clientID, text: text,
                    pageURL: frame.pageURL, logger: logger, sink: sink, origin: origin)
                let response = ChatRoutes.MessageResponse(result)
                for citation in response.reply?.citations ?? [] {
                    var event = LiveFrame(
                        type: "citation", conversationID: conversation.rawValue, clientMessageID: clientID)
                    event.citation = citation
                    queue.send(event)
                }
                var done = LiveFrame(type: "done", conversationID: conversation.rawValue, clientMessageID: clientID)
                done.result = response
                queue.send(done)
            } catch let error as APIError {
                queue.send(.error(error, clientMessageID: clientID))
            } catch {
                if !Task.isCancelled {
                    logger.error("socket turn failed", metadata: .describing(error))
                }
                queue.send(.error("internal_error", "the reply could not be made", clientMessageID: clientID))
            }
        }
    }

    /// Sends each piece of a streamed reply as a `delta` frame.
    struct FrameSink: ReplySink {
        let clientMessageID: String
        let queue: OutgoingFrames

        func send(_ piece: String) async {
            var frame = LiveFrame(type: "delta", clientMessageID: clientMessageID)
            frame.text = piece
            queue.send(frame)
        }
    }
}
