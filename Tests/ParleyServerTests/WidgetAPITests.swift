import Crypto
import Foundation
import ParleyCore
import Testing

@testable import ParleyServer

/// The widget's HTTP side: its files, its public configuration and the admins' settings, verified identities,
/// and what visitors can see and erase about themselves.
@Suite("Widget API")
struct WidgetAPITests {
    @Test("the loader is cached briefly, the bundle under its content hash for a year")
    func assets() async throws {
        try await Harness.run { harness in
            let loader = try await harness.call(.get, "/widget/loader.js")
            #expect(loader.status == .ok)
            #expect(loader.headers[.contentType] == "text/javascript; charset=utf-8")
            #expect(loader.headers[.cacheControl] == "public, max-age=300")
            #expect(loader.text.contains("data-parley-key"))
            let config = try await harness.call(.get, "/api/widget/config?key=demo")
            let script = try #require(config["bundle"]["js"].string)
            let styles = try #require(config["bundle"]["css"].string)
            #expect(script.hasPrefix("/widget/b/") && script.hasSuffix("/widget.js"))
            let bundle = try await harness.call(.get, script)
            #expect(bundle.headers[.cacheControl] == "public, max-age=31536000, immutable")
            #expect(bundle.text.contains("attachShadow"))
            for sink in [".innerHTML", ".outerHTML", "insertAdjacentHTML", "document.write", "eval("] {
                #expect(!bundle.text.contains(sink), "visitor and model text is never parsed as code or HTML: \(sink)")
            }
            let css = try await harness.call(.get, styles)
            #expect(css.headers[.contentType] == "text/css; charset=utf-8")
            // A loader cached before an upgrade asks for an old hash: it still works, but is not kept for a year.
            let stale = try await harness.call(.get, "/widget/b/0000000000000000/widget.js")
            #expect(stale.status == .ok)
            #expect(stale.headers[.cacheControl] == "public, max-age=300")
        }
    }

    @Test("admins set branding, words and triggers; the public configuration shows them; bad settings get 422")
    func settings() async throws {
        try await Harness.run { harness in
            let admin = try await harness.demoAdmin()
            let defaults = try await harness.call(.get, "/api/widget/config?key=demo")
            #expect(defaults["branding"]["color"].string == "#4f46e5")
            let tooLong = try await harness.call(.get, "/api/widget/config?key=\(String(repeating: "k", count: 129))")
            #expect(tooLong.status == .notFound && tooLong.errorCode == "invalid_widget_key", "\(tooLong.text)")
            #expect(defaults["strings"]["en"]["launcher"].string == "Chat with us")
            #expect(defaults["consent_required"].bool == false)
            #expect(defaults["away"].bool == false, "no business-hours stage: never away")
            #expect(
                defaults["uploads"]["enabled"].bool == false, "files take storage: off until a tenant turns them on")
            #expect(defaults["uploads"]["max_bytes"].int == 5 << 20)

            let saved = try await harness.call(
                .put, "/api/widget/settings",
                json: [
                    "color": "#112233", "position": "left", "consent_required": true, "default_locale": "de",
                    "strings": ["de": ["launcher": "Fragen?"], "en": ["title": "Acme"]],
                    "triggers": [
                        ["id": "pricing", "url_pattern": "/pricing", "seconds": 20, "message": "Need help choosing?"]
                    ],
                ], token: admin)
            #expect(saved.status == .ok, "\(saved.text)")
            #expect(saved["has_identity_secret"].bool == false)
            let config = try await harness.call(.get, "/api/widget/config?key=demo")
            #expect(config["branding"]["color"].string == "#112233")
            #expect(config["branding"]["position"].string == "left")
            #expect(config["consent_required"].bool == true)
            #expect(config["default_locale"].string == "de")
            #expect(config["strings"]["de"]["launcher"].string == "Fragen?")
            #expect(config["strings"]["de"]["title"].string == "Chat", "missing words fall back to English")
            #expect(config["triggers"][0]["cooldown_seconds"].int == 3_600)

            let bad = try await harness.call(
                .put, "/api/widget/settings",
                json: [
                    "color": "red", "position": "top", "logo_url": "javascript:alert(1)",
                    "triggers": [["id": "t", "url_pattern": "", "seconds": -1, "message": "x"]],
                ], token: admin)
            #expect(bad.status == .unprocessableContent)
            let message = bad.json["error"]["message"].string ?? ""
            for problem in ["color must be", "position must be", "logo_url must be", "url_pattern", "seconds must"] {
                #expect(message.contains(problem), "\(message)")
            }
            // Full-width digits are hex digits to Unicode, not to CSS.
            let wide = try await harness.call(
                .put, "/api/widget/settings", json: ["color": "#\u{FF41}\u{FF42}\u{FF43}\u{FF44}\u{FF45}\u{FF46}"],
                token: admin)
            #expect(wide.status == .unprocessableContent, "\(wide.text)")
            let visitor = try await harness.session()
            #expect(try await harness.call(.get, "/api/widget/settings", token: visitor.token).status == .unauthorized)
            #expect(try await harness.call(.get, "/api/widget/config?key=nope").status == .notFound)
            #expect(try await harness.call(.get, "/api/widget/config").status == .unprocessableContent)
        }
    }

    @Test("a visitor identity is accepted only with the HMAC of its id under the tenant's secret")
    func identify() async throws {
        try await Harness.run { harness in
            let admin = try await harness.demoAdmin()
            let visitor = try await harness.session()
            let early = try await harness.call(
                .post, "/api/widget/identify", json: ["id": "u-1", "hash": "00"], token: visitor.token)
            #expect(early.errorCode == "identity_not_configured")

            let rotated = try await harness.call(.post, "/api/widget/identity-secret", token: admin)
            #expect(rotated.status == .created)
            let secret = try #require(rotated["identity_secret"].string)
            #expect(secret.count == 64)
            let settings = try await harness.call(.get, "/api/widget/settings", token: admin)
            #expect(settings["has_identity_secret"].bool == true)
            #expect(!settings.text.contains(secret), "the secret is shown once, never again")

            let hash = IdentitySigning.hash("u-1", secret: secret)
            let forged = try await harness.call(
                .post, "/api/widget/identify", json: ["id": "u-2", "hash": hash], token: visitor.token)
            #expect(forged.status == .forbidden)
            let accepted = try await harness.call(
                .post, "/api/widget/identify",
                json: ["id": "u-1", "email": "jo@example.com", "name": "Jo", "hash": hash],
                token: visitor.token)
            #expect(accepted.status == .ok)
            let data = try await harness.call(.get, "/api/chat/data", token: visitor.token)
            #expect(data["visitor"]["attributes"]["user_id"].string == "u-1")
            #expect(data["visitor"]["attributes"]["user_id_verified"].bool == true)
            #expect(data["visitor"]["attributes"]["email"].string == "jo@example.com")
            // Someone else signs in on the same browser, with no email: Jo's email and name do not stay beside them.
            let next = try await harness.call(
                .post, "/api/widget/identify",
                json: ["id": "u-2", "hash": IdentitySigning.hash("u-2", secret: secret)], token: visitor.token)
            #expect(next.status == .ok)
            let now = try await harness.call(.get, "/api/chat/data", token: visitor.token)["visitor"]["attributes"]
            #expect(now["user_id"].string == "u-2")
            #expect(now["email"].string == nil && now["name"].string == nil, "\(now)")
        }
    }

    @Test("a visitor lists their conversations, downloads everything kept about them, and erases it")
    func visitorData() async throws {
        try await Harness.run { harness in
            let visitor = try await harness.session()
            _ = try await harness.say("Hello there", token: visitor.token, conversation: visitor.conversation)
            let second = try await harness.call(
                .post, "/api/widget/session",
                json: ["widget_key": "demo", "visitor_id": visitor.visitorID, "new_conversation": true],
                headers: [.origin: Harness.origin])
            let secondToken = try #require(second["visitor_token"].string)
            let list = try await harness.call(.get, "/api/chat/conversations", token: secondToken)
            #expect(list["conversations"].array.count == 2)
            let other = try await harness.session()
            #expect(
                try await harness.call(.get, "/api/chat/conversations", token: other.token)["conversations"].array
                    .count == 1, "another visitor sees only their own")

            let export = try await harness.call(.get, "/api/chat/data", token: visitor.token)
            #expect(export.headers[.contentDisposition]?.contains("attachment") == true)
            let conversations = export["conversations"].array
            #expect(conversations.count == 2)
            let texts = conversations.flatMap { $0["messages"].array.compactMap { $0["text"].string } }
            #expect(texts.contains("Hello there"))

            let erased = try await harness.call(.delete, "/api/chat/data", token: visitor.token)
            #expect(erased.status == .noContent)
            let after = try await harness.call(.get, "/api/chat/data", token: visitor.token)
            #expect(after["conversations"].array.isEmpty)
            #expect(after["visitor"].isNull)
            let history = try await harness.call(
                .get, "/api/chat/history/\(visitor.conversation)", token: visitor.token)
            #expect(history.status == .notFound)
            #expect(
                try await harness.call(.get, "/api/chat/conversations", token: other.token)["conversations"].array
                    .count == 1, "erasing one visitor leaves the others")
        }
    }

    @Test(
        "the download holds everything kept: every conversation and message, ratings and their words, proactive sends")
    func completeDataDownload() async throws {
        try await Harness.run { harness in
            try await ProactiveEventTests.activatePricingOffer(
                harness, admin: try await harness.demoAdmin(), as: "offer")
            let visitor = try await harness.session()
            let sent = try await ProactiveEventTests.pricingPageVisit(
                harness, conversation: visitor.conversation, token: visitor.token)
            #expect(sent["message"]["text"].string?.isEmpty == false, "\(sent.text)")
            let said = try await harness.say("Hello there", token: visitor.token, conversation: visitor.conversation)
            let reply = try #require(said["reply"]["message_id"].string)
            for body: [String: Any] in [
                ["message_id": reply, "rating": -1, "comment": "Not what I asked"],
                ["conversation_id": visitor.conversation, "rating": 2, "comment": "Slow answers"],
            ] {
                #expect(
                    try await harness.call(.post, "/api/chat/feedback", json: body, token: visitor.token).status == .ok)
            }
            // More than a page of messages, and more conversations than the list shows (200): none is left out.
            let tenant = harness.seed.demoTenantID
            let long = try #require(
                try await harness.store.conversations.get(ConversationID(visitor.conversation), tenant: tenant))
            for index in 0..<(VisitorDataRoutes.exportPage + 5) {
                try await harness.store.messages.append(
                    Message(
                        id: .generate(), tenantID: tenant, conversationID: long.id, role: .customer,
                        text: "message \(index)", clientMessageID: nil, inReplyTo: nil, metadata: [:], createdAt: Date()
                    ))
            }
            for _ in 0..<VisitorDataRoutes.conversationLimit {
                var older = long
                older.id = .generate()
                older.state = .closed
                try await harness.store.conversations.create(older)
            }

            let export = try await harness.call(.get, "/api/chat/data", token: visitor.token)
            #expect(export.status == .ok)
            let conversations = export["conversations"].array
            #expect(conversations.count == VisitorDataRoutes.conversationLimit + 1)
            let first = try #require(conversations.first { $0["conversation_id"].string == visitor.conversation })
            let texts = first["messages"].array.compactMap { $0["text"].string }
            #expect(texts.count == VisitorDataRoutes.exportPage + 5 + 3, "the offer, the question, the reply and more")
            #expect(texts.contains("message 0") && texts.contains("message \(VisitorDataRoutes.exportPage + 4)"))
            #expect(first["feedback"][0]["message_id"].string == reply)
            #expect(first["feedback"][0]["rating"].int == -1)
            #expect(first["feedback"][0]["comment"].string == "Not what I asked")
            #expect(first["rating"].int == 2 && first["rating_comment"].string == "Slow answers")
            #expect(export["proactive"][0]["rule"].string == "offer", "\(export["proactive"])")
            #expect(export["proactive"][0]["sent_at"].string != nil)
        }
    }

    @Test("cross-origin calls from a tenant's page get CORS headers, errors included")
    func cors() async throws {
        try await Harness.run { harness in
            let preflight = try await harness.call(
                .options, "/api/chat/message",
                headers: [.origin: "https://shop.example", .accessControlRequestMethod: "POST"])
            #expect(preflight.headers[.accessControlAllowOrigin] == "https://shop.example")
            #expect(preflight.headers[.accessControlAllowHeaders]?.contains("authorization") == true)
            let denied = try await harness.call(
                .get, "/api/chat/conversations", headers: [.origin: "https://shop.example"])
            #expect(denied.status == .unauthorized)
            #expect(denied.headers[.accessControlAllowOrigin] == "https://shop.example")
        }
    }

    @Test("visitors attach images and PDFs, checked by their bytes; agents and the visitor fetch them, nobody else")
    func attachments() async throws {
        try await Harness.run { harness in
            let admin = try await harness.demoAdmin()
            let visitor = try await harness.session()
            let off = try await harness.call(
                .post, "/api/chat/attachments?conversation_id=\(visitor.conversation)",
                raw: [0x25, 0x50, 0x44, 0x46, 0x2D],
                token: visitor.token)
            #expect(off.errorCode == "uploads_disabled", "off by default")
            _ = try await harness.call(.put, "/api/widget/settings", json: ["uploads_enabled": true], token: admin)
            let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + Array(repeating: 7, count: 64)
            let path = "/api/chat/attachments?conversation_id=\(visitor.conversation)&name=..%2Fsecret%22%3Cb%3E.png"
            let uploaded = try await harness.call(.post, path, raw: png, token: visitor.token)
            #expect(uploaded.status == .created, "\(uploaded.text)")
            let attachment = uploaded["message"]["attachment"]
            #expect(attachment["content_type"].string == "image/png")
            #expect(attachment["size"].int == png.count)
            #expect(attachment["name"].string == "secretb.png", "no path, quotes or angle brackets")
            let id = try #require(attachment["id"].string)

            let mine = try await harness.call(.get, "/api/chat/attachments/\(id)", token: visitor.token)
            #expect(mine.status == .ok)
            #expect(Array(mine.body) == png)
            #expect(mine.headers[.contentType] == "image/png")
            #expect(mine.headers[.contentSecurityPolicy]?.contains("sandbox") == true)
            let staff = try await harness.call(.get, "/api/attachments/\(id)", token: admin)
            #expect(staff.status == .ok)
            let stranger = try await harness.session()
            #expect(
                try await harness.call(.get, "/api/chat/attachments/\(id)", token: stranger.token).status == .notFound)
            let other = try await harness.newTenant("Other")
            #expect(try await harness.call(.get, "/api/attachments/\(id)", token: other.token).status == .notFound)
            let history = try await harness.call(
                .get, "/api/chat/history/\(visitor.conversation)", token: visitor.token)
            #expect(history["messages"][0]["attachment"]["id"].string == id)

            let html = Array("<html><script>alert(1)</script>".utf8)
            let refused = try await harness.call(
                .post, "/api/chat/attachments?conversation_id=\(visitor.conversation)&name=x.png", raw: html,
                token: visitor.token)
            #expect(refused.status == .unsupportedMediaType)
            #expect(refused.errorCode == "unsupported_file")

            _ = try await harness.call(
                .put, "/api/widget/settings", json: ["uploads_enabled": true, "upload_max_bytes": 1_024], token: admin)
            let big = try await harness.call(
                .post, "/api/chat/attachments?conversation_id=\(visitor.conversation)",
                raw: Array("%PDF-1.7".utf8) + Array(repeating: 32, count: 2_000), token: visitor.token)
            #expect(big.status == .contentTooLarge)
            _ = try await harness.call(.put, "/api/widget/settings", json: ["uploads_enabled": false], token: admin)
            let disabled = try await harness.call(.post, path, raw: png, token: visitor.token)
            #expect(disabled.errorCode == "uploads_disabled")
        }
    }

    @Test("development's loopback origins are loopback addresses, not names that start like one")
    func loopbackOrigins() {
        for host in ["localhost", "127.0.0.1", "127.1.2.3", "::1", "[::1]"] {
            #expect(WidgetRoutes.isLoopback(host), "\(host)")
        }
        for host in [
            "127.attacker.com", "127.0.0.1.evil.example", "127.0.0.256", "127.0.0", "128.0.0.1", "localhost.me",
        ] {
            #expect(!WidgetRoutes.isLoopback(host), "\(host)")
        }
    }
}
