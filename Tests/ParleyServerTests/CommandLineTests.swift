import Foundation
import Glibc
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

@Suite("The parley executable: tenant create, migrate, startup checks, graceful shutdown", .serialized)
struct CommandLineTests {
    func dataDirectory() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("parley-cli-\(UUID().uuidString)").path
    }

    @Test("ingest reads a folder into a tenant's knowledge base, a line of progress per file; failures are named")
    func ingest() throws {
        let directory = dataDirectory()
        let create = try ChildProcess([
            ChildProcess.parley, "tenant", "create", "--name", "Shop", "--admin-email", "ops@shop.test", "--json",
            "--data-dir", directory,
        ])
        #expect(create.wait() == 0, "\(create.output)")
        let line = try #require(create.output.split(separator: "\n").last(where: { $0.hasPrefix("{") }))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: String])
        let key = try #require(object["widget_key"])
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("parley-ingest-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data("<html><body><main><h1>Returns</h1><p>Returns are free.</p></main></body></html>".utf8)
            .write(to: folder.appendingPathComponent("returns.html"))
        try Data("question,answer\nDo you ship abroad?,Yes.\n".utf8).write(to: folder.appendingPathComponent("faq.csv"))
        try Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1, 2]).write(
            to: folder.appendingPathComponent("logo.png"))
        // The same name in a subfolder is another document, not a new version of the first.
        try FileManager.default.createDirectory(
            at: folder.appendingPathComponent("eu"), withIntermediateDirectories: true)
        try Data("<html><body><main><h1>EU returns</h1><p>Sixty days in the EU.</p></main></body></html>".utf8)
            .write(to: folder.appendingPathComponent("eu/returns.html"))

        let run = try ChildProcess([
            ChildProcess.parley, "ingest", "--tenant", key, "--data-dir", directory, folder.path,
        ])
        #expect(run.wait() == 1, "one file could not be read: \(run.output)")
        #expect(run.output.contains("1/4"), "\(run.output)")
        #expect(
            run.output.components(separatedBy: "returns.html: created, 1 chunks (html)").count == 3, "two documents")
        #expect(run.output.contains("faq.csv: 1 FAQ entries, 1 new or changed, 0 rows skipped (csv)"))
        #expect(run.output.contains("logo.png: failed: unsupported file"))
        #expect(run.output.contains("returns.html: created, 1 chunks (html)"))
        #expect(run.output.contains("3 of 4 files ingested into Shop."))
        let again = try ChildProcess([
            ChildProcess.parley, "ingest", "--tenant", key, "--data-dir", directory,
            folder.appendingPathComponent("returns.html").path,
        ])
        #expect(again.wait() == 0)
        #expect(again.output.contains("returns.html: unchanged (html)"))
        let nobody = try ChildProcess([
            ChildProcess.parley, "ingest", "--tenant", "nobody", "--data-dir", directory, folder.path,
        ])
        #expect(nobody.wait() != 0)
        #expect(nobody.output.contains("no tenant has the id or widget key 'nobody'"))
        #expect(!nobody.output.contains("Usage:"), "a runtime failure, not a usage mistake: \(nobody.output)")
    }

    @Test("tenant create --json prints one JSON object; bad input exits non-zero with a message")
    func tenantCreate() throws {
        let directory = dataDirectory()
        let child = try ChildProcess([
            ChildProcess.parley, "tenant", "create", "--name", "Acme", "--admin-email", "ops@acme.test", "--json",
            "--data-dir", directory,
        ])
        #expect(child.wait() == 0, "\(child.output)")
        let line = try #require(child.output.split(separator: "\n").last(where: { $0.hasPrefix("{") }))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: String])
        #expect(object["tenant_id"]?.isEmpty == false)
        #expect(object["widget_key"]?.hasPrefix("wk_") == true)
        #expect(object["admin_email"] == "ops@acme.test")
        #expect((object["admin_password"]?.count ?? 0) >= 12)

        let duplicate = try ChildProcess([
            ChildProcess.parley, "tenant", "create", "--name", "Again", "--admin-email", "ops@acme.test",
            "--data-dir", directory,
        ])
        #expect(duplicate.wait() != 0)
        #expect(duplicate.output.contains("email exists"))
        // A conflict is not a usage mistake: the reason alone, without swift-argument-parser's usage text.
        #expect(!duplicate.output.contains("Usage:"), "\(duplicate.output)")
        let invalid = try ChildProcess([
            ChildProcess.parley, "tenant", "create", "--name", "X", "--admin-email", "nope", "--data-dir", directory,
        ])
        #expect(invalid.wait() != 0)
        #expect(invalid.output.contains("not an email address"))

        let migrate = try ChildProcess([ChildProcess.parley, "migrate", "--data-dir", directory])
        #expect(migrate.wait() == 0)
        #expect(migrate.output.contains("up to date"))
    }

    @Test("a database nobody answers at is named in words, the password hidden")
    func unreachableDatabase() throws {
        // Port 1 on loopback: nothing listens there, so the connection is refused at once.
        let child = try ChildProcess([
            ChildProcess.parley, "migrate", "--database-url", "postgres://parley:hunter2@127.0.0.1:1/parley",
        ])
        #expect(child.wait() != 0)
        #expect(child.output.contains("Error: the database is unavailable: cannot connect to"), "\(child.output)")
        #expect(!child.output.contains("hunter2"))
    }

    @Test("production refuses to start without a secret key")
    func productionNeedsSecret() throws {
        let child = try ChildProcess(
            [ChildProcess.parley, "serve", "--data-dir", dataDirectory(), "--port", "0"],
            environment: ["PARLEY_ENV": "production", "PARLEY_SECRET_KEY": ""])
        #expect(child.wait() != 0)
        #expect(child.output.contains("PARLEY_SECRET_KEY is required"))
    }

    @Test("SIGTERM drains and exits 0; an acknowledged message is there after a restart")
    func gracefulShutdown() async throws {
        let directory = dataDirectory()
        let port = LoopbackPort.free(SOCK_STREAM)
        let base = "http://127.0.0.1:\(port)"
        let server = try ChildProcess([ChildProcess.parley, "serve", "--data-dir", directory, "--port", "\(port)"])
        try await waitForHealth(base, server)
        #expect(server.output.contains("Demo tenant admin"))
        let session = try await post(base + "/api/widget/session", ["widget_key": "demo"], token: nil)
        let token = try #require(session["visitor_token"] as? String)
        let conversation = try #require(session["conversation_id"] as? String)
        let sent = try await post(
            base + "/api/chat/message",
            ["conversation_id": conversation, "client_message_id": "keep", "text": "hello"],
            token: token)
        #expect(sent["message_id"] is String)
        server.signal(SIGTERM)
        #expect(server.wait() == 0, "\(server.output)")

        let restarted = try ChildProcess([ChildProcess.parley, "serve", "--data-dir", directory, "--port", "\(port)"])
        try await waitForHealth(base, restarted)
        #expect(!restarted.output.contains("Demo tenant admin"), "an existing database is not seeded again")
        var request = URLRequest(url: URL(string: base + "/api/chat/history/\(conversation)")!)
        request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
        let (data, _) = try await URLSession.shared.data(for: request)
        let history = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let messages = try #require(history["messages"] as? [[String: Any]])
        #expect(messages.map { $0["text"] as? String }.first == "hello")
        #expect(messages.count == 2)
        restarted.signal(SIGINT)
        #expect(restarted.wait() == 0)
    }

    private func waitForHealth(_ base: String, _ child: ChildProcess) async throws {
        // Up to 30 s: the whole suite runs beside it, and the first start loads the embedding model.
        for _ in 0..<600 {
            if let (_, response) = try? await URLSession.shared.data(from: URL(string: base + "/health/ready")!),
                (response as? HTTPURLResponse)?.statusCode == 200
            {
                return
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw HarnessError("server did not become ready: \(child.output)")
    }

    private func post(_ url: String, _ body: [String: String], token: String?) async throws -> [String: Any] {
        var request = URLRequest(url: URL(string: url)!)
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.setValue("http://localhost", forHTTPHeaderField: "Origin")
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        request.httpBody = try JSONSerialization.data(withJSONObject: body)
        let (data, _) = try await URLSession.shared.data(for: request)
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }
}
