import Foundation
import HTTPTypes
import Testing

/// Every route the OpenAPI document lists, called with wrong input by every kind of caller: never a 5xx, and every
/// refusal in the JSON error shape.
@Suite("Every route, wrong input")
struct RouteSweepTests {
    /// Values of the wrong type, or of the right type and no use, for any field.
    static var wrongValues: [Any] {
        [
            NSNull(), 42, -1, 1e300, true, [Any](), [String: Any](), ["nested": [1, "two", NSNull()]], "", "\u{0}",
            String(repeating: "x", count: 9_000), "../../etc/passwd", "<script>alert(1)</script>",
            [["id": "fallback", "enabled": "yes", "settings": []]],
        ]
    }

    /// Bodies that are not a JSON object of the route's fields at all.
    static let rawBodies: [[UInt8]] = [
        [], Array("{".utf8), Array("null".utf8), Array("[]".utf8), [0x7B, 0x22, 0xFF, 0x22, 0x7D],
        Array(#"{"a":1,}"#.utf8), Array(String(repeating: "[", count: 5_000).utf8), Array(#"{"a":"\ud800"}"#.utf8),
    ]

    struct Operation: Sendable {
        let method: HTTPRequest.Method
        let path: String
        let fields: [String]
    }

    /// The document's operations, but for event streams (a valid caller would hold them open).
    static func operations(_ document: JSON) throws -> [Operation] {
        let paths = try #require(document["paths"].value as? [String: [String: Any]])
        return paths.sorted { $0.key < $1.key }.flatMap { path, methods in
            methods.sorted { $0.key < $1.key }.compactMap { method, operation -> Operation? in
                guard !path.hasSuffix("/events"), let method = HTTPRequest.Method(method.uppercased()) else {
                    return nil
                }
                let schema = JSON(operation)["requestBody"]["content"]["application/json"]["schema"]
                let fields = (schema["properties"].value as? [String: Any]).map { Array($0.keys).sorted() } ?? []
                return Operation(method: method, path: path, fields: fields)
            }
        }
    }

    static func expectRefusalShape(_ reply: Reply, _ label: String) {
        #expect(reply.status.code < 500, "\(label): \(reply.status) \(reply.text.prefix(300))")
        if reply.status.code >= 400 {
            let error = reply.json["error"]
            #expect(
                error["code"].string?.isEmpty == false && error["message"].string?.isEmpty == false,
                "\(label): \(reply.status) \(reply.text.prefix(300))")
        }
    }

    @Test("no route answers wrong input with a 5xx or an error outside the JSON shape, and the server stays ready")
    func sweep() async throws {
        try await Harness.run { harness in
            let admin = try await harness.demoAdmin()
            let platform = try await harness.platformAdmin()
            let visitor = try await harness.session()
            _ = try await harness.say("hello", token: visitor.token, conversation: visitor.conversation)
            let operations = try Self.operations(try await harness.call(.get, "/openapi.json").json)
            #expect(operations.count > 50)
            let ids = [
                visitor.conversation, "00000000-0000-0000-0000-000000000000", "x%00y",
                String(repeating: "a", count: 600),
            ]
            // The callers sweep at once, each on a connection of its own: a quarter of the time on a loaded machine.
            let calls = try await withThrowingTaskGroup(of: Int.self) { group in
                for (caller, token) in [
                    ("admin", admin), ("platform", platform), ("visitor", visitor.token), ("anonymous", nil),
                ] {
                    group.addTask {
                        try await Self.sweep(operations, as: caller, token: token, ids: ids, harness: harness)
                    }
                }
                return try await group.reduce(0, +)
            }
            #expect(calls > 1_000)
            #expect(try await harness.call(.get, "/health/ready").status == .ok)
        }
    }

    /// Calls every operation as one caller; returns the number of calls.
    static func sweep(
        _ operations: [Operation], as caller: String, token: String?, ids: [String], harness: Harness
    ) async throws -> Int {
        let headers: HTTPFields = [.origin: Harness.origin]
        var calls = 0
        for operation in operations {
            for id in operation.fields.isEmpty ? ids : [ids[0]] {
                let path = operation.path.replacing(/\{[^}]+\}/, with: id)
                let label = "\(operation.method) \(path.prefix(80)) as \(caller)"
                guard !operation.fields.isEmpty || [.post, .put].contains(operation.method) else {
                    expectRefusalShape(
                        try await harness.call(operation.method, path, token: token, headers: headers), label)
                    calls += 1
                    continue
                }
                for raw in rawBodies {
                    expectRefusalShape(
                        try await harness.call(operation.method, path, raw: raw, token: token, headers: headers),
                        "\(label), body \(String(decoding: raw.prefix(20), as: UTF8.self))")
                    calls += 1
                }
                for field in operation.fields {
                    for value in wrongValues {
                        var body: [String: Any] = Dictionary(uniqueKeysWithValues: operation.fields.map { ($0, "ok") })
                        body[field] = value
                        expectRefusalShape(
                            try await harness.call(operation.method, path, json: body, token: token, headers: headers),
                            "\(label), \(field) = \(String(describing: value).prefix(40))")
                        calls += 1
                    }
                }
            }
        }
        return calls
    }
}
