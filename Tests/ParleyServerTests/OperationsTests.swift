import Foundation
import Testing

@testable import ParleyServer

@Suite("Health, metrics and the OpenAPI document")
struct OperationsTests {
    @Test("health probes answer")
    func health() async throws {
        try await Harness.run { harness in
            #expect(try await harness.call(.get, "/health/live")["status"].string == "ok")
            let ready = try await harness.call(.get, "/health/ready")
            #expect(ready["status"].string == "ok")
            let postgres = ProcessInfo.processInfo.environment["PARLEY_TEST_DATABASE_URL"] != nil
            #expect(ready["database"].string == (postgres ? "postgresql" : "sqlite"))
            let pgvector = ProcessInfo.processInfo.environment["PARLEY_TEST_PGVECTOR"] != nil
            #expect(ready["vectors"].string == (pgvector ? "pgvector" : "in-process"))
        }
    }

    @Test("metrics report turns, stage latency by stage, and requests by route")
    func metrics() async throws {
        try await Harness.run { harness in
            let visitor = try await harness.session()
            _ = try await harness.say("hello", token: visitor.token, conversation: visitor.conversation)
            let metrics = try await harness.call(.get, "/metrics")
            #expect(metrics.text.contains("parley_turns_total"))
            #expect(metrics.text.contains(#"parley_stage_duration_seconds_count{stage="fallback"}"#))
            #expect(metrics.text.contains(#"http_route="/api/chat/message""#))
        }
    }

    @Test("the OpenAPI document lists exactly the routes the server answers")
    func openAPI() async throws {
        try await Harness.run { harness in
            let document = try await harness.call(.get, "/openapi.json")
            #expect(document["openapi"].string == "3.1.0")
            let paths = try #require(document.json["paths"].value as? [String: [String: Any]])
            var documented: [(String, String)] = []
            for (path, operations) in paths {
                for method in operations.keys { documented.append((method.uppercased(), path)) }
            }
            #expect(documented.count >= 30)
            for (method, path) in documented {
                let concrete = path.replacingOccurrences(of: #"\{[^}]+\}"#, with: "x", options: .regularExpression)
                let reply = try await harness.call(.init(rawValue: method)!, concrete)
                #expect(
                    !["route_not_found", "method_not_allowed"].contains(reply.errorCode ?? ""),
                    "documented route \(method) \(path) does not exist")
            }
        }
    }

    @Test("every route is registered through the documented route table")
    func noUndocumentedRoutes() throws {
        let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Sources/ParleyServer")
        let files = try #require(FileManager.default.enumerator(atPath: sources.path)).compactMap { $0 as? String }
            .filter { $0.hasSuffix(".swift") && !$0.hasSuffix("APIRouter.swift") }
        #expect(!files.isEmpty)
        for file in files {
            let text = try String(contentsOf: sources.appendingPathComponent(file), encoding: .utf8)
            for call in ["router.on(", "router.get(", "router.post(", "router.put(", "router.delete(", "router.group("]
            {
                #expect(!text.contains(call), "\(file) registers a route outside APIRouter: \(call)")
            }
        }
    }

    @Test("405 detection matches path templates")
    func routeTableMatching() {
        let table = RouteTable()
        table.add(
            .init(
                method: .get, path: "/api/domains/:id", summary: "", tag: "", access: .publicAccess, body: [:],
                required: []))
        table.add(
            .init(
                method: .delete, path: "/api/domains/:id", summary: "", tag: "", access: .publicAccess, body: [:],
                required: []))
        #expect(table.methods(matching: "/api/domains/abc") == ["DELETE", "GET"])
        #expect(table.methods(matching: "/api/domains/abc/extra").isEmpty)
        #expect(table.methods(matching: "/api/other").isEmpty)
    }
}
