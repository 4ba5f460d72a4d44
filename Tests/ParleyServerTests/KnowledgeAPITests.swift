import Foundation
import Testing

@testable import ParleyServer

/// The knowledge base end to end: FAQ entries and documents in, grounded and cited answers out, per tenant.
@Suite("Knowledge API and grounded answers")
struct KnowledgeAPITests {
    /// The search modes to run: lexical always; hybrid when the embedding model is installed (CI installs it).
    static var modes: [String] {
        ProcessInfo.processInfo.environment["PARLEY_EMBED_MODEL"].map { _ in ["lexical", "hybrid"] } ?? ["lexical"]
    }

    static func configuration(mode: String) -> ServerConfiguration {
        var configuration = Harness.configuration()
        if mode == "hybrid" {
            configuration.embeddingModelDirectory = ProcessInfo.processInfo.environment["PARLEY_EMBED_MODEL"] ?? ""
        }
        return configuration
    }

    static let faqs: [(String, String)] = [
        (
            "How long do refunds take?",
            "Refunds are paid back to the original card within five business days. You get an email when it is sent."
        ),
        ("Do you ship to Canada?", "Yes, we ship to Canada. Delivery takes seven to ten days and costs 12 dollars."),
        (
            "How do I reset my password?",
            "Open the login page and choose Forgot password. The reset link lasts one hour."
        ),
    ]

    @Test("FAQ entries answer visitors with quoted, cited text; unrelated questions get the fallback", arguments: modes)
    func groundedAnswers(mode: String) async throws {
        try await Harness.run(Self.configuration(mode: mode)) { harness in
            let admin = try await harness.demoAdmin()
            for (question, answer) in Self.faqs {
                let added = try await harness.call(
                    .post, "/api/knowledge/faq", json: ["question": question, "answer": answer], token: admin)
                #expect(added.status == .created, "\(added.text)")
                #expect(added["document"]["kind"].string == "faq")
            }
            let ready = try await harness.call(.get, "/health/ready")
            #expect(ready["search"].string == mode)

            let search = try await harness.call(
                .post, "/api/knowledge/search", json: ["query": "how many days until I get my refund"], token: admin)
            #expect(search["passages"][0]["title"].string == "How long do refunds take?", "\(search.text)")
            #expect(search["passages"][0]["found_by"].array.contains { $0.string == "lexical" })
            if mode == "hybrid" {
                #expect(search["passages"][0]["found_by"].array.contains { $0.string == "semantic" })
            }

            let visitor = try await harness.session()
            let reply = try await harness.say(
                "How long does a refund take to come back?", token: visitor.token, conversation: visitor.conversation)
            let text = try #require(reply["reply"]["text"].string)
            #expect(text.contains("five business days"), "\(reply.text)")
            #expect(!text.contains("Q:"), "an FAQ answer quotes the answer part only")
            #expect(reply["reply"]["citations"][0]["title"].string == "How long do refunds take?")

            let unrelated = try await harness.say(
                "Tell me about quantum chromodynamics", token: visitor.token, conversation: visitor.conversation)
            #expect(unrelated["reply"]["citations"].array.isEmpty)
            #expect(unrelated["reply"]["text"].string?.contains("connect you") == true, "\(unrelated.text)")

            let detail = try await harness.call(.get, "/api/conversations/\(visitor.conversation)", token: admin)
            let trace = detail["turns"][0]["trace"].array
            let generation = try #require(trace.first { $0["stage"].string == "generation" })
            #expect(generation["reason"].string?.contains("extractive answer") == true, "\(generation)")
        }
    }

    @Test("a key of 1,000 characters in any script is stored, and the same key replaces its document")
    func longKeys() async throws {
        try await Harness.run { harness in
            let admin = try await harness.demoAdmin()
            // Unrepeating CJK and emoji: up to 4,000 bytes that PostgreSQL cannot compress below its index limit.
            var generator = SystemRandomNumberGenerator()
            let question = String(
                (0..<1_000).map { _ in Character(UnicodeScalar(UInt32.random(in: 0x4E00...0x9FFF, using: &generator))!)
                })
            let key = String(
                (0..<1_000).map { _ in
                    Character(UnicodeScalar(UInt32.random(in: 0x1F300...0x1F5FF, using: &generator))!)
                })
            for (path, first, second) in [
                (
                    "/api/knowledge/faq", ["question": question, "answer": "One answer."],
                    ["question": question, "answer": "Another."]
                ),
                (
                    "/api/knowledge/documents", ["title": "Keyed", "text": "First text.", "source_key": key],
                    ["title": "Keyed", "text": "Second text.", "source_key": key]
                ),
            ] {
                let created = try await harness.call(.post, path, json: first, token: admin)
                #expect(created.status == .created, "\(path): \(created.text.prefix(300))")
                let replaced = try await harness.call(.post, path, json: second, token: admin)
                #expect(replaced["result"].string == "replaced", "\(path): \(replaced.text.prefix(300))")
                #expect(replaced["document"]["id"].string == created["document"]["id"].string)
            }
            // A document cannot take the key of an FAQ entry (or of a file or a crawled page) and replace it.
            let faq = try await harness.call(
                .post, "/api/knowledge/faq", json: ["question": "Do you gift wrap?", "answer": "Yes, for free."],
                token: admin)
            for key in ["faq:Do you gift wrap?", "FILE:price-list.pdf", "url:https://shop.example.com/", "crawl:x:y"] {
                let refused = try await harness.call(
                    .post, "/api/knowledge/documents", json: ["title": "T", "text": "No wrapping.", "source_key": key],
                    token: admin)
                #expect(
                    refused.status == .unprocessableContent
                        && refused["error"]["message"].string?.contains("source_key") == true, "\(key): \(refused.text)"
                )
            }
            let kept = try await harness.call(
                .get, "/api/knowledge/documents/\(faq["document"]["id"].string ?? "")", token: admin)
            #expect(kept["kind"].string == "faq" && kept["version"].int == 1, "\(kept.text)")
        }
    }

    @Test("documents version, replace and delete atomically; search and documents never cross tenants")
    func documentsLifecycle() async throws {
        try await Harness.run { harness in
            let admin = try await harness.demoAdmin()
            let markdown = """
                # Shipping
                ## International
                We ship to 40 countries. Customs fees are paid by the recipient.
                ## Express
                Express delivery arrives the next business day when ordered before noon.
                """
            let created = try await harness.call(
                .post, "/api/knowledge/documents",
                json: [
                    "title": "Shipping guide", "text": markdown, "format": "markdown", "url": "https://demo.test/s",
                ],
                token: admin)
            #expect(created.status == .created, "\(created.text)")
            let id = try #require(created["document"]["id"].string)
            let same = try await harness.call(
                .post, "/api/knowledge/documents",
                json: [
                    "title": "Shipping guide", "text": markdown, "format": "markdown", "url": "https://demo.test/s",
                ],
                token: admin)
            #expect(same["result"].string == "unchanged")

            let express = try await harness.call(
                .post, "/api/knowledge/search", json: ["query": "express next day delivery"], token: admin)
            #expect(express["passages"][0]["heading_path"].array.map(\.string) == ["Shipping", "Express"])
            #expect(express["passages"][0]["url"].string == "https://demo.test/s")

            let replaced = try await harness.call(
                .post, "/api/knowledge/documents",
                json: ["title": "Shipping guide", "text": "We only ship within the European Union.", "format": "text"],
                token: admin)
            #expect(replaced["result"].string == "replaced")
            #expect(replaced["document"]["version"].int == 2)
            #expect(replaced["document"]["id"].string == id)
            let old = try await harness.call(
                .post, "/api/knowledge/search", json: ["query": "customs fees"], token: admin)
            #expect(old["passages"].array.isEmpty, "the old version left search: \(old.text)")

            let other = try await harness.newTenant("Elsewhere")
            #expect(
                try await harness.call(.get, "/api/knowledge/documents/\(id)", token: other.token).status == .notFound)
            #expect(
                try await harness.call(.delete, "/api/knowledge/documents/\(id)", token: other.token).status
                    == .notFound)
            let foreign = try await harness.call(
                .post, "/api/knowledge/search", json: ["query": "ship European Union"], token: other.token)
            #expect(foreign["passages"].array.isEmpty)
            #expect(
                try await harness.call(.get, "/api/knowledge/documents", token: other.token)["documents"].array.isEmpty)

            #expect(
                try await harness.call(.delete, "/api/knowledge/documents/\(id)", token: admin).status == .noContent)
            let gone = try await harness.call(.post, "/api/knowledge/search", json: ["query": "ship"], token: admin)
            #expect(gone["passages"].array.isEmpty)
            #expect(try await harness.call(.get, "/api/knowledge/documents/\(id)", token: admin).status == .notFound)
        }
    }

    @Test("bad knowledge input gets a clear 4xx; roles are enforced")
    func validation() async throws {
        try await Harness.run { harness in
            let admin = try await harness.demoAdmin()
            for (path, body, status) in [
                ("/api/knowledge/faq", ["question": " ", "answer": "x"], 422),
                ("/api/knowledge/faq", ["question": "q?", "answer": "a", "url": "javascript:alert(1)"], 422),
                ("/api/knowledge/documents", ["title": "t", "text": "x", "format": "pdf"], 422),
                ("/api/knowledge/documents", ["title": "", "text": "x"], 422),
                ("/api/knowledge/documents", ["title": "t", "text": "   \n "], 422),
                ("/api/knowledge/documents", ["title": "t"], 422),
            ] as [(String, [String: Any], Int)] {
                let reply = try await harness.call(.post, path, json: body, token: admin)
                #expect(Int(reply.status.code) == status, "\(path) \(body): \(reply.text)")
                #expect(reply.errorCode != nil)
            }
            let invited = try await harness.call(
                .post, "/api/users", json: ["email": "ann@demo.test", "role": "analyst"], token: admin)
            let analyst = try await harness.login("ann@demo.test", try #require(invited["one_time_password"].string))
            #expect(
                try await harness.call(
                    .post, "/api/knowledge/faq", json: ["question": "q?", "answer": "a"], token: analyst
                ).status == .forbidden)
            #expect(
                try await harness.call(.post, "/api/knowledge/search", json: ["query": "q"], token: analyst).status
                    == .ok)
        }
    }

    @Test("a document's language is detected at ingestion and shown; search takes the asker's language")
    func documentLanguage() async throws {
        try await Harness.run { harness in
            let admin = try await harness.demoAdmin()
            let texts = [
                (
                    "Livraison",
                    "Les commandes expédiées avant midi arrivent le lendemain. Les frais de port sont "
                        + "offerts à partir de cinquante euros d'achat.", "fr"
                ),
                (
                    "Delivery",
                    "Orders shipped before noon arrive the next day. Shipping is free on orders over "
                        + "fifty euros.", "en"
                ),
                (
                    "Envío",
                    "Los pedidos enviados antes del mediodía llegan al día siguiente. El envío es gratuito "
                        + "a partir de cincuenta euros.", "es"
                ),
            ]
            for (title, text, language) in texts {
                let created = try await harness.call(
                    .post, "/api/knowledge/documents", json: ["title": title, "text": text, "format": "text"],
                    token: admin)
                #expect(created.status == .created, "\(created.text)")
                #expect(created["document"]["language"].string == language, "\(title)")
            }
            let listed = try await harness.call(.get, "/api/knowledge/documents", token: admin)
            #expect(Set(listed["documents"].array.compactMap { $0["language"].string }) == ["fr", "en", "es"])
            let found = try await harness.call(
                .post, "/api/knowledge/search", json: ["query": "frais de port", "language": "fr"], token: admin)
            #expect(found["passages"][0]["text"].string?.hasPrefix("Les commandes") == true, "\(found.text)")
            let refused = try await harness.call(
                .post, "/api/knowledge/search", json: ["query": "port", "language": "f"], token: admin)
            #expect(refused.status == .unprocessableContent)
        }
    }
}
