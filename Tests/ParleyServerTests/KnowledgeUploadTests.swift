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
            let notForm = try await harness.call(.post, "/api/knowledge/uploads", raw: csv, token: admin)
            #expect(notForm.status == .unsupportedMediaType)
            let visitor = try await harness.session()
            #expect(
                try await Self.upload(harness, csv, filename: "faq.csv", token: visitor.token).status == .unauthorized)
        }
    }
}
