import Foundation
import HTTPTypes
import Testing

@Suite("Bad input gets a clear JSON error and loses nothing")
struct ErrorPathTests {
    func expectError(
        _ reply: Reply, _ status: Int, _ code: String? = nil, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(reply.status.code == status, "\(reply.text)", sourceLocation: sourceLocation)
        #expect(reply.headers[.contentType]?.hasPrefix("application/json") == true, sourceLocation: sourceLocation)
        #expect(reply.json["error"]["message"].string?.isEmpty == false, sourceLocation: sourceLocation)
        if let code { #expect(reply.errorCode == code, sourceLocation: sourceLocation) }
    }

    @Test("malformed bodies: invalid JSON, invalid UTF-8, missing fields, wrong types, empty")
    func malformed() async throws {
        try await Harness.run { harness in
            let visitor = try await harness.session()
            let path = "/api/chat/message"
            expectError(
                try await harness.call(.post, path, raw: Array("{bad".utf8), token: visitor.token), 400, "invalid_json")
            expectError(
                try await harness.call(.post, path, raw: [0x7B, 0x22, 0xFF, 0xFE, 0x22, 0x7D], token: visitor.token),
                400,
                "invalid_utf8")
            expectError(try await harness.call(.post, path, raw: [], token: visitor.token), 400, "empty_body")
            // The message route reads its body by hand (JSONTextReader): the same errors as every other route.
            let conversation = visitor.conversation
            for (body, status, code, names) in [
                (
                    #"{"conversation_id": "\#(conversation)", "client_message_id": "1", "text": "hi",}"#, 400,
                    "invalid_json", "JSON"
                ),
                (#"["conversation_id"]"#, 422, "validation_failed", "object"),
                (
                    #"{"conversation_id": "\#(conversation)", "client_message_id": "1", "text": null}"#, 422,
                    "validation_failed", "'text'"
                ),
                (
                    #"{"conversation_id": "\#(conversation)", "client_message_id": "1", "text": "hi", "page_url": 3}"#,
                    422, "validation_failed", "'page_url'"
                ),
                (
                    #"{"conversation_id": "\#(conversation)", "client_message_id": "1", "text": "\ud800"}"#, 400,
                    "invalid_json", "JSON"
                ),
            ] {
                let reply = try await harness.call(.post, path, raw: Array(body.utf8), token: visitor.token)
                expectError(reply, status, code)
                #expect(reply.json["error"]["message"].string?.contains(names) == true, "\(body)")
            }
            let missing = try await harness.call(
                .post, path, json: ["conversation_id": visitor.conversation, "text": "hi"], token: visitor.token)
            expectError(missing, 422, "validation_failed")
            #expect(missing.json["error"]["message"].string?.contains("client_message_id") == true)
            let wrongType = try await harness.call(
                .post, path, json: ["conversation_id": visitor.conversation, "client_message_id": "1", "text": 42],
                token: visitor.token)
            expectError(wrongType, 422, "validation_failed")
            expectError(
                try await harness.call(
                    .post, path,
                    json: ["conversation_id": visitor.conversation, "client_message_id": "1", "text": "   "],
                    token: visitor.token), 422)
            // Asking for a streamed reply changes nothing: another visitor's conversation is a JSON 404, not a stream.
            let other = try await harness.session()
            let streamed = try await StreamingAnswerTests.streamMessage(
                harness, token: visitor.token, conversation: other.conversation)
            expectError(streamed.reply, 404, "not_found")
            let history = try await harness.call(
                .get, "/api/chat/history/\(visitor.conversation)", token: visitor.token)
            #expect(history["messages"].array.isEmpty, "nothing half-stored by bad requests")
        }
    }

    @Test("a message over 8 KB is 413; a body over 1 MB is 413; an 8 KB message of emoji is accepted")
    func sizes() async throws {
        try await Harness.run { harness in
            let visitor = try await harness.session()
            let tooLong = String(repeating: "a", count: 8 * 1024 + 1)
            expectError(
                try await harness.say(tooLong, token: visitor.token, conversation: visitor.conversation), 413,
                "message_too_large")
            let huge = String(repeating: "b", count: 1_100_000)
            expectError(
                try await harness.call(
                    .post, "/api/chat/message",
                    json: ["conversation_id": visitor.conversation, "client_message_id": "h", "text": huge],
                    token: visitor.token), 413, "body_too_large")
            let emoji = String(repeating: "😀", count: 2_048)  // 8 KB of UTF-8
            let ok = try await harness.say(emoji, token: visitor.token, conversation: visitor.conversation)
            #expect(ok.status == .ok)
            // A letter with 100,000 combining accents is one character to Swift's `count`: limits count code points.
            let stacked = "e" + String(repeating: "\u{0301}", count: 100_000)
            let stackedID = try await harness.say(
                "hi", token: visitor.token, conversation: visitor.conversation, clientID: stacked)
            expectError(stackedID, 422)
            let reply = try #require(ok["reply"]["message_id"].string)
            expectError(
                try await harness.call(
                    .post, "/api/chat/feedback", json: ["message_id": reply, "rating": 1, "comment": stacked],
                    token: visitor.token), 422)
        }
    }

    @Test("unknown routes are 404 and wrong methods 405 with Allow, in the JSON error shape")
    func routing() async throws {
        try await Harness.run { harness in
            expectError(try await harness.call(.get, "/api/nothing-here"), 404, "route_not_found")
            let wrongMethod = try await harness.call(.patch, "/api/chat/message")
            expectError(wrongMethod, 405, "method_not_allowed")
            #expect(wrongMethod.headers[.allow] == "POST")
            let withParam = try await harness.call(.post, "/api/domains/abc")
            expectError(withParam, 405, "method_not_allowed")
            #expect(withParam.headers[.allow] == "DELETE, GET")
            // No response is sniffed into another type: errors, JSON and the health check say nosniff.
            let session = try await harness.call(
                .post, "/api/widget/session", json: ["widget_key": "demo"], headers: [.origin: Harness.origin])
            for reply in [withParam, try await harness.call(.get, "/health/live"), session] {
                #expect(reply.headers[HTTPField.Name("X-Content-Type-Options")!] == "nosniff", "\(reply.status)")
            }
        }
    }

    @Test("missing or invalid credentials are 401")
    func credentials() async throws {
        try await Harness.run { harness in
            let visitor = try await harness.session()
            expectError(try await harness.say("hi", token: "not-a-token", conversation: visitor.conversation), 401)
            expectError(try await harness.call(.get, "/api/chat/history/\(visitor.conversation)"), 401)
            expectError(try await harness.call(.get, "/api/conversations"), 401)
            expectError(try await harness.call(.get, "/api/conversations", token: visitor.token), 401)
            let admin = try await harness.demoAdmin()
            expectError(try await harness.say("hi", token: admin, conversation: visitor.conversation), 401)
        }
    }

    @Test("a visitor over the message budget gets 429 with Retry-After; the refused message is not stored, reads go on")
    func messageRateLimit() async throws {
        var configuration = Harness.configuration()
        configuration.rateLimits.visitorMessages = .init(perMinute: 0.1, burst: 3)
        try await Harness.run(configuration) { harness in
            let visitor = try await harness.session()
            for index in 0..<3 {
                #expect(
                    try await harness.say("m\(index)", token: visitor.token, conversation: visitor.conversation).status
                        == .ok)
            }
            let limited = try await harness.say("m3", token: visitor.token, conversation: visitor.conversation)
            expectError(limited, 429, "rate_limited")
            #expect(Int(limited.headers[.retryAfter] ?? "") ?? 0 >= 1)
            // Reading the history is not a message: it still works, and shows the three messages that were taken.
            for _ in 0..<5 {
                let history = try await harness.call(
                    .get, "/api/chat/history/\(visitor.conversation)", token: visitor.token)
                #expect(history.status == .ok)
                #expect(history["messages"].array.filter { $0["role"].string == "customer" }.count == 3)
            }
        }
    }

    @Test("a visitor over the call budget gets 429 on any call, reads included")
    func callRateLimit() async throws {
        var configuration = Harness.configuration()
        configuration.rateLimits.visitor = .init(perMinute: 0.1, burst: 3)
        try await Harness.run(configuration) { harness in
            let visitor = try await harness.session()
            let path = "/api/chat/history/\(visitor.conversation)"
            for _ in 0..<3 { #expect(try await harness.call(.get, path, token: visitor.token).status == .ok) }
            let limited = try await harness.call(.get, path, token: visitor.token)
            expectError(limited, 429, "rate_limited")
            #expect(Int(limited.headers[.retryAfter] ?? "") ?? 0 >= 1)
        }
    }

    @Test("sign-ins with made-up emails from one address meet that address's budget")
    func loginAddressLimit() async throws {
        var configuration = Harness.configuration()
        configuration.rateLimits.visitor = .init(perMinute: 0.1, burst: 3)
        try await Harness.run(configuration) { harness in
            for index in 0..<3 {
                let wrong = try await harness.call(
                    .post, "/api/auth/login", json: ["email": "nobody\(index)@x.io", "password": "x"])
                expectError(wrong, 401, "invalid_credentials")
            }
            let limited = try await harness.call(
                .post, "/api/auth/login", json: ["email": "nobody3@x.io", "password": "x"])
            expectError(limited, 429, "rate_limited")
            #expect(limited.text.contains("client address"), "\(limited.text)")
        }
    }

    @Test("a session from a refused origin does not spend the widget key's budget")
    func refusedOriginsSpendNothing() async throws {
        var configuration = Harness.configuration()
        configuration.rateLimits.widgetKey = .init(perMinute: 0.1, burst: 2)
        try await Harness.run(configuration) { harness in
            for _ in 0..<5 {
                let refused = try await harness.call(
                    .post, "/api/widget/session", json: ["widget_key": "demo"],
                    headers: [.origin: "https://127.attacker.example"])
                expectError(refused, 403, "origin_not_allowed")
            }
            #expect(try await harness.session().token.isEmpty == false, "the tenant's visitors still get sessions")
        }
    }

    @Test("a widget key over its budget gets 429")
    func widgetKeyLimit() async throws {
        var configuration = Harness.configuration()
        configuration.rateLimits.widgetKey = .init(perMinute: 1, burst: 2)
        try await Harness.run(configuration) { harness in
            _ = try await harness.session()
            _ = try await harness.session()
            let limited = try await harness.call(
                .post, "/api/widget/session", json: ["widget_key": "demo"], headers: [.origin: Harness.origin])
            expectError(limited, 429, "rate_limited")
        }
    }

    @Test("a NUL character in a body's strings is refused with 422, whichever way the route reads its body")
    func nulCharacters() async throws {
        try await Harness.run { harness in
            let visitor = try await harness.session()
            for body in [
                ["conversation_id": visitor.conversation, "client_message_id": "1", "text": "hi\u{0}there"],
                ["conversation_id": visitor.conversation, "client_message_id": "\u{0}", "text": "hi"],
                ["conversation_id": visitor.conversation, "client_message_id": "1", "text": "hi", "page_url": "\u{0}"],
            ] {
                let reply = try await harness.call(.post, "/api/chat/message", json: body, token: visitor.token)
                expectError(reply, 422, "validation_failed")
                #expect(reply.json["error"]["message"].string?.contains("NUL") == true)
            }
            // An escaped backslash followed by u0000 is six ordinary characters.
            let literal = try await harness.call(
                .post, "/api/chat/message",
                raw: Array(
                    #"{"conversation_id":"\#(visitor.conversation)","client_message_id":"2","text":"\\u0000"}"#.utf8),
                token: visitor.token)
            #expect(literal.status == .ok, "\(literal.text)")
            let history = try await harness.call(
                .get, "/api/chat/history/\(visitor.conversation)", token: visitor.token)
            #expect(history["messages"].array.first?["text"].string == #"\u0000"#)
            #expect(history["messages"].array.filter { $0["role"].string == "customer" }.count == 1)
            // A route whose body is read by JSONDecoder refuses it the same way.
            let login = try await harness.call(
                .post, "/api/auth/login", json: ["email": "admin@demo.parley.local\u{0}", "password": "x"])
            expectError(login, 422, "validation_failed")
            // No account has an address over 254 characters: refused before the login limiter keeps it as a key.
            let long = try await harness.call(
                .post, "/api/auth/login",
                json: ["email": String(repeating: "a", count: 100_000) + "@x.io", "password": "x"])
            expectError(long, 422, "validation_failed")
            // A query value decoded to U+0000 is refused the same way, on the routes that pass one to the store.
            let admin = try await harness.demoAdmin()
            for (path, token) in [
                ("/api/widget/config?key=%00", nil),
                ("/api/chat/history/\(visitor.conversation)?after=%00", visitor.token),
                ("/api/usage?conversation_id=%00", admin),
                ("/api/chat/events?conversation_id=x%00", visitor.token),
            ] {
                let reply = try await harness.call(.get, path, token: token)
                expectError(reply, 422, "validation_failed")
                #expect(reply.json["error"]["message"].string?.contains("NUL") == true, "\(path): \(reply.text)")
            }
            let upload = try await harness.call(
                .post, "/api/chat/attachments?conversation_id=%00", raw: Array("x".utf8), token: visitor.token)
            expectError(upload, 422, "validation_failed")
            // %2500 is a percent sign followed by two zeros, not a NUL.
            let literalPercent = try await harness.call(
                .get, "/api/chat/history/\(visitor.conversation)?after=%2500", token: visitor.token)
            #expect(literalPercent.status == .ok, "\(literalPercent.text)")
        }
    }

    @Test("a closed or foreign conversation is refused without storing the message")
    func foreignConversation() async throws {
        try await Harness.run { harness in
            let visitor = try await harness.session()
            let other = try await harness.session()
            expectError(
                try await harness.say("hi", token: other.token, conversation: visitor.conversation), 404, "not_found")
            let history = try await harness.call(
                .get, "/api/chat/history/\(visitor.conversation)", token: visitor.token)
            #expect(history["messages"].array.isEmpty)
        }
    }
}
