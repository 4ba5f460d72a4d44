import Foundation
import HTTPTypes
import Testing

/// Files into the knowledge base over HTTP: multipart uploads read by their bytes, CSV as FAQ entries, and clear
/// refusals.
@Suite("Knowledge uploads")
struct KnowledgeUploadTests {
    /// A multipart/form-data body with a file part and text fields.
    static func form(file: [UInt8], filename: String, fields: [String: String] = [:]) -> (String, [UInt8]) {
        let boundary = "parley-\(UUID().uuidString)"
        var body: [UInt8] = []
        for (name, value) in fields {
            body += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8)
        }
        body += Array(
            ("--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(filename)\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n").utf8)
        body += file + Array("\r\n--\(boundary)--\r\n".utf8)
        return ("multipart/form-data; boundary=\(boundary)", body)
    }

    static func upload(
        _ harness: Harness, _ file: [UInt8], filename: String, token: String, fields: [String: String] = [:]
    )
        async throws -> Reply
    {
        let (type, body) = form(file: file, filename: filename, fields: fields)
        return try await harness.call(
            .post, "/api/knowledge/uploads", raw: body, token: token, headers: [.contentType: type])
    }

    @Test("an HTML page is read for its main content and answers questions; re-uploading it changes nothing")
    func html() async throws {
        try await Harness.run { harness in
            let admin = try await harness.demoAdmin()
            let page = Array(
                """
                <html><head><title>Shipping</title></head><body><nav>Home About</nav>
                <main><h1>Shipping</h1><p>We ship to every country in the European Union within five days.</p></main>
                <footer>Imprint</footer></body></html>
                """.utf8)
            let stored = try await Self.upload(harness, page, filename: "shipping.html", token: admin)
            #expect(stored.status == .created, "\(stored.text)")
            #expect(stored["format"].string == "html")
            #expect(stored["documents"][0]["result"].string == "created")
            #expect(stored["documents"][0]["document"]["title"].string == "Shipping")
            let found = try await harness.call(
                .post, "/api/knowledge/search", json: ["query": "ship European Union"], token: admin)
            let text = found["passages"][0]["text"].string ?? ""
            #expect(text.contains("every country in the European Union"))
            #expect(!text.contains("Imprint") && !text.contains("About"))
            let again = try await Self.upload(harness, page, filename: "shipping.html", token: admin)
            #expect(again["documents"][0]["result"].string == "unchanged")
        }
    }

    @Test("a question,answer CSV becomes FAQ entries; bad files and bad requests get clear errors")
    func csvAndRefusals() async throws {
        try await Harness.run { harness in
            let admin = try await harness.demoAdmin()
            let csv = Array("question,answer\nDo you ship abroad?,\"Yes, to the EU.\"\nEmpty?,\n".utf8)
            let stored = try await Self.upload(harness, csv, filename: "faq.csv", token: admin)
            #expect(stored.status == .created)
            #expect(stored["format"].string == "csv")
            #expect(stored["documents"].array.count == 1)
            #expect(stored["skipped"].int == 1)
            #expect(stored["documents"][0]["document"]["kind"].string == "faq")

            let png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + [UInt8](repeating: 1, count: 32)
            let image = try await Self.upload(harness, png, filename: "faq.txt", token: admin)
            #expect(image.status == .unprocessableContent)
            #expect(image.errorCode == "unreadable_file")
            // A title holding U+0000, and one that is not UTF-8 at all.
            for (title, says) in [(Array("Ship\u{0}ping".utf8), "NUL"), ([0x53, 0xFF], "UTF-8")] {
                let (type, form) = Self.form(file: csv, filename: "faq.csv", fields: ["title": "TITLE"])
                var body = form
                body.replaceSubrange(try #require(body.firstRange(of: Array("TITLE".utf8))), with: title)
                let refused = try await harness.call(
                    .post, "/api/knowledge/uploads", raw: body, token: admin, headers: [.contentType: type])
                #expect(refused.status == .unprocessableContent, "\(refused.text)")
                #expect(refused.json["error"]["message"].string?.contains(says) == true, "\(refused.text)")
            }
            // The limits of a document added as text, and a name short enough to be a key.
            for (fields, filename, says) in [
                (["title": String(repeating: "t", count: 501)], "faq.csv", "title"),
                (["source_key": String(repeating: "k", count: 1_001)], "faq.csv", "source_key"),
                ([:], String(repeating: "f", count: 501) + ".csv", "file name"),
            ] {
                let refused = try await Self.upload(harness, csv, filename: filename, token: admin, fields: fields)
                #expect(refused.status == .unprocessableContent, "\(refused.text)")
                #expect(refused.json["error"]["message"].string?.contains(says) == true, "\(refused.text)")
            }
            let notForm = try await harness.call(.post, "/api/knowledge/uploads", raw: csv, token: admin)
            #expect(notForm.status == .unsupportedMediaType)
            let visitor = try await harness.session()
            #expect(
                try await Self.upload(harness, csv, filename: "faq.csv", token: visitor.token).status == .unauthorized)
        }
    }
}

extension KnowledgeUploadTests {
    /// Polls the job until it is ready or failed.
    static func finished(_ harness: Harness, job: String, token: String) async throws -> Reply {
        let deadline = ContinuousClock.now + .seconds(20)
        while true {
            let reply = try await harness.call(.get, "/api/knowledge/jobs/\(job)", token: token)
            if ["ready", "failed"].contains(reply["status"].string ?? "") || ContinuousClock.now > deadline {
                return reply
            }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    @Test("queued files are read in the background with status and progress; failures say why; jobs are private")
    func jobs() async throws {
        try await Harness.run { harness in
            let admin = try await harness.demoAdmin()
            let csv = Array("question,answer\nDo you ship abroad?,Yes.\nCan I return shoes?,Within 30 days.\n".utf8)
            let (type, body) = Self.form(file: csv, filename: "faq.csv")
            let queued = try await harness.call(
                .post, "/api/knowledge/jobs", raw: body, token: admin, headers: [.contentType: type])
            #expect(queued.status == .accepted)
            let id = try #require(queued["id"].string)
            #expect(["queued", "extracting", "embedding", "ready"].contains(queued["status"].string ?? ""))
            let done = try await Self.finished(harness, job: id, token: admin)
            #expect(done["status"].string == "ready", "\(done.text)")
            #expect(done["progress"].double == 1)
            #expect(done["documents"].int == 2)
            let found = try await harness.call(
                .post, "/api/knowledge/search", json: ["query": "return shoes"], token: admin)
            #expect(found["passages"][0]["text"].string?.contains("Within 30 days") == true)

            let (badType, badBody) = Self.form(
                file: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0], filename: "a.png")
            let bad = try await harness.call(
                .post, "/api/knowledge/jobs", raw: badBody, token: admin, headers: [.contentType: badType])
            let failed = try await Self.finished(harness, job: try #require(bad["id"].string), token: admin)
            #expect(failed["status"].string == "failed")
            #expect(failed["error"].string?.contains("unsupported file") == true)

            let list = try await harness.call(.get, "/api/knowledge/jobs", token: admin)
            #expect(list["jobs"].array.count == 2)
            let other = try await harness.newTenant("Other")
            #expect(try await harness.call(.get, "/api/knowledge/jobs/\(id)", token: other.token).status == .notFound)
            #expect(try await harness.call(.get, "/api/knowledge/jobs", token: other.token)["jobs"].array.isEmpty)
        }
    }
}
