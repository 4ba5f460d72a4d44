import Foundation
import HummingbirdWebSocket
import Logging
import NIOWebSocket
import ParleyCore

/// One widget's WebSocket: the visitor's messages in, their replies streamed out, and the live events of their
/// conversations (agents' messages, typing, read markers, changes of hands) pushed as they happen.
///
/// Frames are JSON objects (docs/widget.md). Turns run side by side, each streaming its own `delta` frames; every
/// outgoing frame goes through one writer. The socket ends when the visitor goes away (their running turns are
/// cancelled and their partial replies stored, as with a dropped SSE stream) or when their token expires (close
/// code 4001: open a new session and reconnect).
struct VisitorSocket {
    let visitor: VisitorIdentity
    let expiry: Date
    let services: AppServices
    let logger: Logger
    /// Tells this socket's own events apart from everyone else's.
    let origin = UUID()

    /// Largest frame the visitor may send.
    static let maxFrameBytes = 64 * 1024
    /// Close code for an expired token.
    static let tokenExpired = WebSocketErrorCode(codeNumber: 4001)

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

    func run(inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter) async {
        let (frames, send) = AsyncStream<LiveFrame>.makeStream()
        await withDiscardingTaskGroup { group in
            group.addTask {
                for await frame in frames {
                    do { try await outbound.write(.text(frame.json)) } catch { break }
                }
            }
            group.addTask {
                try? await Task.sleep(for: .seconds(max(0, expiry.timeIntervalSinceNow)))
                guard !Task.isCancelled else { return }
                try? await outbound.close(Self.tokenExpired, reason: "the visitor token expired")
            }
            var watched: Set<ConversationID> = []
            do {
                for try await message in inbound.messages(maxSize: Self.maxFrameBytes) {
                    guard case .text(let text) = message,
                        let frame = try? JSONDecoder().decode(ClientFrame.self, from: Data(text.utf8))
                    else {
                        send.yield(.error("invalid_frame", "frames are JSON objects with a type"))
                        continue
                    }
                    await handle(frame, send: send, watched: &watched, group: &group)
                }
            } catch {
                logger.debug("visitor socket ended", metadata: .describing(error))
            }
            send.finish()
            group.cancelAll()
        }
    }

    private func handle(
        _ frame: ClientFrame, send: AsyncStream<LiveFrame>.Continuation, watched: inout Set<ConversationID>,
        group: inout DiscardingTaskGroup
    ) async {
        if frame.type == "ping" {
            send.yield(LiveFrame(type: "pong"))
            return
        }
        // Every other frame costs a read at least: it spends the visitor's budget, as a request would.
        if let refusal = services.authenticator.admit(visitor) {
            send.yield(.error(refusal, clientMessageID: frame.clientMessageID))
            return
        }
        guard let id = frame.conversationID, let conversation = await owned(id) else {
            send.yield(
                .error(
                    "not_found", "conversation_id must name one of your conversations",
                    clientMessageID: frame.clientMessageID))
            return
        }
        if watched.insert(conversation.id).inserted {
            let events = services.events.watch(conversation.id, tenant: visitor.tenantID)
            let origin = origin
            group.addTask {
                for await published in events where published.origin != origin {
                    send.yield(published.event.visitorFrame(conversation: conversation.id))
                }
            }
        }
        switch frame.type {
        case "message":
            guard let turn = turn(frame, conversation: conversation.id, send: send) else { return }
            if let refusal = services.authenticator.admitMessage(visitor) {
                send.yield(.error(refusal, clientMessageID: frame.clientMessageID))
                return
            }
            group.addTask { await turn() }
        case "resync":
            if let after = frame.after, after.isEmpty || after.count > 128 || after.utf8.contains(0) {
                send.yield(.error("unprocessable", "after must be a message id"))
                return
            }
            do {
                let messages = try await services.store.messages.list(
                    conversation: conversation.id, tenant: visitor.tenantID,
                    after: frame.after.map { MessageID($0) }, limit: 500)
                var history = LiveFrame(type: "history", conversationID: id)
                history.messages = messages.map(Wire.VisitorMessage.init)
                send.yield(history)
            } catch {
                send.yield(.error("internal_error", "the history could not be read"))
            }
        case "typing":
            services.events.publish(
                .typing(.customer), conversation: conversation.id, tenant: visitor.tenantID, origin: origin)
        case "read":
            guard let message = frame.messageID, !message.isEmpty, message.count <= 128 else {
                send.yield(.error("unprocessable", "message_id must be a message id"))
                return
            }
            services.events.publish(
                .read(MessageID(message), .customer), conversation: conversation.id, tenant: visitor.tenantID,
                origin: origin)
        default:
            send.yield(.error("unknown_type", "unknown frame type '\(frame.type.prefix(40))'"))
        }
    }

    /// The visitor's conversation with this id, or nil.
    private func owned(_ id: String) async -> Conversation? {
        guard !id.isEmpty, id.count <= 128,
            let conversation = try? await services.store.conversations.get(
                ConversationID(id), tenant: visitor.tenantID),
            conversation.visitorID == visitor.visitorID
        else { return nil }
        return conversation
    }

    /// The turn a message frame asks for, checked as `POST /api/chat/message` checks its body; nil (and an error
    /// frame sent) when the frame is not acceptable.
    private func turn(_ frame: ClientFrame, conversation: ConversationID, send: AsyncStream<LiveFrame>.Continuation)
        -> (@Sendable () async -> Void)?
    {
        let clientID = frame.clientMessageID ?? ""
        let text = frame.text ?? ""
        let problem: (String, String)? =
            if !(1...128).contains(clientID.count) {
                ("unprocessable", "client_message_id must be 1 to 128 characters")
            } else if !text.contains(where: { !$0.isWhitespace }) {
                ("unprocessable", "text must not be empty")
            } else if text.utf8.count > services.configuration.maxMessageBytes {
                ("message_too_large", "text is longer than \(services.configuration.maxMessageBytes) bytes")
            } else if (frame.pageURL?.count ?? 0) > 2_048 {
                ("unprocessable", "page_url is too long")
            } else if [clientID, text, frame.pageURL ?? ""].contains(where: { $0.utf8.contains(0) }) {
                ("unprocessable", "strings must not contain the NUL character (\\u0000)")
            } else {
                nil
            }
        if let (code, message) = problem {
            send.yield(.error(code, message, clientMessageID: frame.clientMessageID))
            return nil
        }
        let services = services
        let visitor = visitor
        let logger = logger
        let origin = origin
        return {
            let sink = FrameSink(clientMessageID: clientID, send: send)
            do {
                let result = try await services.chat.handle(
                    visitor: visitor, conversationID: conversation, clientMessageID: clientID, text: text,
                    pageURL: frame.pageURL, logger: logger, sink: sink, origin: origin)
                let response = ChatRoutes.MessageResponse(result)
                for citation in response.reply?.citations ?? [] {
                    var event = LiveFrame(
                        type: "citation", conversationID: conversation.rawValue, clientMessageID: clientID)
                    event.citation = citation
                    send.yield(event)
                }
                var done = LiveFrame(type: "done", conversationID: conversation.rawValue, clientMessageID: clientID)
                done.result = response
                send.yield(done)
            } catch let error as APIError {
                send.yield(.error(error, clientMessageID: clientID))
            } catch {
                if !Task.isCancelled {
                    logger.error("socket turn failed", metadata: .describing(error))
                }
                send.yield(.error("internal_error", "the reply could not be made", clientMessageID: clientID))
            }
        }
    }

    /// Sends each piece of a streamed reply as a `delta` frame.
    struct FrameSink: ReplySink {
        let clientMessageID: String
        let send: AsyncStream<LiveFrame>.Continuation

        func send(_ piece: String) async {
            var frame = LiveFrame(type: "delta", clientMessageID: clientMessageID)
            frame.text = piece
            send.yield(frame)
        }
    }
}
