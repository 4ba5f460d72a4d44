import Foundation
import Hummingbird
import ParleyCore

/// Files visitors attach: images and PDFs, checked by their bytes, kept with a message the agent sees.
enum AttachmentRoutes {
    static let uploadPath = "/api/chat/attachments"

    struct UploadResponse: Encodable {
        var message: Wire.VisitorMessage
    }

    static func register(_ api: APIRouter, services: AppServices) {
        api.on(
            .post, uploadPath,
            summary: "Attach an image (PNG, JPEG, GIF, WebP) or a PDF: the raw file as the body, "
                + "?conversation_id=&name=",
            tag: "chat", access: .visitor
        ) { request, context in
            let visitor = try await services.authenticator.visitor(request)
            let query = request.uri.queryParameters
            let conversation = try await ChatRoutes.visitorConversation(
                query.get("conversation_id") ?? "", visitor: visitor, services: services)
            guard conversation.state != .closed else {
                throw APIError(.conflict, "conversation_closed", "the conversation is closed; start a new one")
            }
            let settings = try await services.store.widgets.get(tenant: visitor.tenantID) ?? WidgetSettings()
            guard settings.uploadsEnabled else {
                throw APIError(.forbidden, "uploads_disabled", "this site does not accept files")
            }
            if let refusal = services.authenticator.admitMessage(visitor) { throw refusal }
            let limit = min(settings.uploadMaxBytes, services.configuration.maxAttachmentBytes)
            let body: ByteBuffer
            do {
                body = try await request.body.collect(upTo: limit)
            } catch {
                throw APIError(.contentTooLarge, "file_too_large", "files may be at most \(limit) bytes")
            }
            let bytes = Data(buffer: body)
            guard !bytes.isEmpty else { throw APIError.unprocessable("the body must be the file") }
            guard let type = Attachment.sniff(bytes) else {
                throw APIError(
                    .unsupportedMediaType, "unsupported_file",
                    "only PNG, JPEG, GIF and WebP images and PDFs are accepted")
            }
            let name = cleanName(query.get("name") ?? "", type: type)
            let now = Date()
            let messageID = MessageID.generate()
            let attachment = Attachment(
                id: .generate(), tenantID: visitor.tenantID, conversationID: conversation.id, messageID: messageID,
                name: name, contentType: type, size: bytes.count, createdAt: now)
            let message = Message(
                id: messageID, tenantID: visitor.tenantID, conversationID: conversation.id, role: .customer,
                text: "Attached \(name)", clientMessageID: nil, inReplyTo: nil,
                metadata: [
                    "attachment": [
                        "id": .string(attachment.id.rawValue), "name": .string(name), "content_type": .string(type),
                        "size": .number(Double(bytes.count)),
                    ]
                ], createdAt: now)
            try await services.store.attachments.save(attachment, data: bytes, message: message)
            services.events.publish(.message(message), conversation: conversation.id, tenant: visitor.tenantID)
            context.logger.info(
                "visitor attached a file", metadata: ["type": "\(type)", "bytes": "\(bytes.count)"])
            return try .json(UploadResponse(message: Wire.VisitorMessage(message)), status: .created)
        }

        api.on(
            .get, "\(uploadPath)/:id", summary: "A file the visitor attached to one of their conversations",
            tag: "chat", access: .visitor
        ) { request, context in
            let visitor = try await services.authenticator.visitor(request)
            guard
                let found = try await services.store.attachments.get(
                    AttachmentID(context.parameters.get("id") ?? ""), tenant: visitor.tenantID)
            else { throw APIError.notFound("attachment") }
            _ = try await ChatRoutes.visitorConversation(
                found.attachment.conversationID.rawValue, visitor: visitor, services: services)
            return file(found.attachment, found.data)
        }

        api.on(
            .get, "/api/attachments/:id", summary: "A file a visitor attached, for the tenant's agents", tag: "agent",
            access: .staff(.humanAgent)
        ) { request, context in
            let caller = try await services.authenticator.staff(request, minimum: .humanAgent)
            guard
                let found = try await services.store.attachments.get(
                    AttachmentID(context.parameters.get("id") ?? ""), tenant: caller.tenantID)
            else { throw APIError.notFound("attachment") }
            return file(found.attachment, found.data)
        }
    }

    /// The file, served so that a browser shows an image, downloads a PDF and never runs anything in it.
    static func file(_ attachment: Attachment, _ data: Data) -> Response {
        let disposition = attachment.contentType.hasPrefix("image/") ? "inline" : "attachment"
        return Response(
            status: .ok,
            headers: [
                .contentType: attachment.contentType, .cacheControl: "private, max-age=3600",
                .contentDisposition: "\(disposition); filename=\"\(attachment.name)\"",
                .contentSecurityPolicy: "default-src 'none'; sandbox", .init("X-Content-Type-Options")!: "nosniff",
            ],
            body: .init(byteBuffer: ByteBuffer(data: data)))
    }

    /// A display name: no paths, quotes or control characters, at most 120 characters, never empty.
    static func cleanName(_ raw: String, type: String) -> String {
        let base = raw.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        let kept = base.unicodeScalars.filter {
            !$0.properties.generalCategory.isControl && $0 != "\"" && $0 != "<" && $0 != ">"
        }
        let name = String(String.UnicodeScalarView(kept)).trimmingCharacters(in: .whitespaces).prefix(120)
        if !name.isEmpty { return String(name) }
        return type == "application/pdf" ? "document.pdf" : "image"
    }
}

extension Unicode.GeneralCategory {
    /// Control, format, unassigned and surrogate characters.
    fileprivate var isControl: Bool {
        switch self {
        case .control, .format, .unassigned, .surrogate, .privateUse, .lineSeparator, .paragraphSeparator: true
        default: false
        }
    }
}
