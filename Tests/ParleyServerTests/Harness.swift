import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import ParleyCore
import ParleyStore

@testable import ParleyServer

/// A live Parley server on loopback with a fresh database (SQLite, or a new PostgreSQL schema; see `TestDatabase`), and helpers to call it like a client would.
struct Harness {
    let client: any TestClientProtocol
    let seed: ParleyApp.SeedSummary
    /// The server's store, for checking what was stored (tests talk to the server through HTTP otherwise).
    let store: any ParleyStore

    /// The live server's port, for clients other than the test client.
    var port: Int { client.port ?? 0 }

    static let origin = "http://localhost:3000"

    /// The configuration tests start from: a free port, a fresh data directory, cheap bcrypt, no rate limits.
    static func configuration() -> ServerConfiguration {
        var configuration = ServerConfiguration()
        configuration.port = 0
        // The test client keeps the one connection it opened at the start, idle between a test's steps.
        configuration.requestHeadSeconds = 600
        configuration.idleConnectionSeconds = 600
        configuration.dataDirectory =
            FileManager.default.temporaryDirectory
            .appendingPathComponent("parley-test-\(UUID().uuidString)").path
        configuration.secretKey = "test-secret-key-that-is-long-enough-for-hkdf"
        configuration.bcryptCost = 4
        configuration.rateLimits = .unlimited
        configuration.crawlPrivateNetworks = true  // crawl tests read a site on loopback
        configuration.seedDemoShop = false
        configuration.databaseURL = TestDatabase.url()
        return configuration
    }

    /// Runs `body` against a new server with the given configuration.
    ///
    /// `wrapStore` puts a test's own layer over the store the configuration opens (to delay a step, or to make
    /// something happen between two of the server's).
    static func run(
        _ configuration: ServerConfiguration = configuration(), resolver: (any TXTResolver)? = nil,
        wrapStore: (@Sendable (any ParleyStore) -> any ParleyStore)? = nil,
        _ body: @escaping @Sendable (Harness) async throws -> Void
    ) async throws {
        var logger = Logger(label: "parley-test")
        logger.logLevel = .warning
        var store: (any ParleyStore)?
        if let wrapStore { store = wrapStore(try await configuration.openStore(logger: logger)) }
        let built = try await ParleyApp.build(
            configuration: configuration, logger: logger, store: store, resolver: resolver)
        let seed = try requireSeed(built.seed)
        try await built.application.test(.live) { client in
            try await body(Harness(client: client, seed: seed, store: built.store))
        }
        try? await built.store.close()
        try? FileManager.default.removeItem(atPath: configuration.dataDirectory)
    }

    /// Sends a request with an optional JSON body (any `JSONSerialization` value) or raw bytes.
    @discardableResult
    func call(
        _ method: HTTPRequest.Method, _ uri: String, json: Any? = nil, raw: [UInt8]? = nil, token: String? = nil,
        headers extra: HTTPFields = [:]
    ) async throws -> Reply {
        var headers = extra
        var body: ByteBuffer?
        if let json {
            headers[.contentType] = "application/json"
            body = ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: json, options: [.fragmentsAllowed]))
        } else if let raw {
            if headers[.contentType] == nil { headers[.contentType] = "application/json" }
            body = ByteBuffer(bytes: raw)
        }
        if let token { headers[.authorization] = "Bearer \(token)" }
        let response = try await client.executeRequest(uri: uri, method: method, headers: headers, body: body)
        return Reply(status: response.status, headers: response.headers, body: Data(buffer: response.body))
    }

    /// Signs in and returns an access token.
    func login(_ email: String, _ password: String) async throws -> String {
        let reply = try await call(.post, "/api/auth/login", json: ["email": email, "password": password])
        guard reply.status == .ok, let token = reply["access_token"].string else {
            throw HarnessError("login failed for \(email): \(reply.status) \(reply.text)")
        }
        return token
    }

    /// The demo tenant admin's access token.
    func demoAdmin() async throws -> String { try await login(seed.demoAdminEmail, seed.demoAdminPassword) }

    /// The platform admin's access token.
    func platformAdmin() async throws -> String { try await login(seed.platformAdminEmail, seed.platformAdminPassword) }

    /// Creates a tenant through the API and returns its admin token and widget key.
    func newTenant(_ name: String) async throws -> (token: String, widgetKey: String, id: String) {
        let reply = try await call(
            .post, "/api/tenants", json: ["name": name, "admin_email": "admin@\(name.lowercased()).test"],
            token: try await platformAdmin())
        guard reply.status == .created, let password = reply["one_time_password"].string,
            let key = reply["tenant"]["widget_key"].string, let id = reply["tenant"]["id"].string
        else { throw HarnessError("tenant creation failed: \(reply.status) \(reply.text)") }
        return (try await login("admin@\(name.lowercased()).test", password), key, id)
    }

    /// Opens a visitor session from a loopback origin.
    func session(widgetKey: String = "demo", visitorID: String? = nil) async throws -> (
        token: String, conversation: String, visitorID: String
    ) {
        var body: [String: Any] = ["widget_key": widgetKey]
        if let visitorID { body["visitor_id"] = visitorID }
        let reply = try await call(.post, "/api/widget/session", json: body, headers: [.origin: Self.origin])
        guard reply.status == .ok, let token = reply["visitor_token"].string,
            let conversation = reply["conversation_id"].string, let visitor = reply["visitor_id"].string
        else { throw HarnessError("session failed: \(reply.status) \(reply.text)") }
        return (token, conversation, visitor)
    }

    /// The stored id of the visitor a conversation belongs to (sessions hand out a signed form of it).
    func visitorID(of conversation: String) async throws -> VisitorID {
        guard
            let stored = try await store.conversations.get(
                ConversationID(conversation), tenant: seed.demoTenantID)
        else { throw HarnessError("no conversation \(conversation) in the demo tenant") }
        return stored.visitorID
    }

    /// Sends a chat message as a visitor.
    func say(_ text: String, token: String, conversation: String, clientID: String = UUID().uuidString) async throws
        -> Reply
    {
        try await call(
            .post, "/api/chat/message",
            json: ["conversation_id": conversation, "client_message_id": clientID, "text": text], token: token)
    }
}

/// A response with its JSON body parsed on demand.
struct Reply: Sendable {
    let status: HTTPResponse.Status
    let headers: HTTPFields
    let body: Data

    var text: String { String(decoding: body, as: UTF8.self) }
    var json: JSON { JSON((try? JSONSerialization.jsonObject(with: body, options: [.fragmentsAllowed])) as Any?) }
    subscript(key: String) -> JSON { json[key] }
    /// The error code of an error response.
    var errorCode: String? { json["error"]["code"].string }
}

/// A navigable view of a parsed JSON value.
struct JSON: @unchecked Sendable {
    let value: Any?

    init(_ value: Any?) {
        self.value = value
    }

    subscript(key: String) -> JSON { JSON((value as? [String: Any])?[key]) }
    subscript(index: Int) -> JSON {
        guard let array = value as? [Any], array.indices.contains(index) else { return JSON(nil) }
        return JSON(array[index])
    }
    var string: String? { value as? String }
    var int: Int? { (value as? NSNumber)?.intValue }
    var double: Double? { (value as? NSNumber)?.doubleValue }
    var bool: Bool? { (value as? NSNumber)?.boolValue }
    var array: [JSON] { (value as? [Any])?.map(JSON.init) ?? [] }
    var isNull: Bool { value == nil || value is NSNull }
}

struct HarnessError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// The seed must exist: every harness server starts from an empty database.
func requireSeed(_ seed: ParleyApp.SeedSummary?) throws -> ParleyApp.SeedSummary {
    guard let seed else { throw HarnessError("the empty test database was not seeded") }
    return seed
}
