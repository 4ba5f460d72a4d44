import Foundation
import Testing

/// The HTML path on real-world pages: the 17 chapters of the Debian FAQ (DocBook output with navigation headers and
/// footers, tables of contents and nested sections), uploaded through the API and then asked about.
///
/// `PARLEY_DEBIAN_FAQ` names the folder `scripts/knowledge/debian-faq.sh` prints; the test command sets it.
@Suite("Debian FAQ", .enabled(if: DebianFAQ.folder != nil))
struct DebianFAQTests {
    @Test("every chapter is read as HTML and stored; questions find their chapter")
    func chapters() async throws {
        let folder = try #require(DebianFAQ.folder)
        let files = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".en.html") }
            .sorted()
        #expect(files.count >= 17)
        // Search as a deployment runs it: hybrid, with the built-in model when the run has it.
        var configuration = Harness.configuration()
        configuration.embeddingModelDirectory = ProcessInfo.processInfo.environment["PARLEY_EMBED_MODEL"] ?? ""
        try await Harness.run(configuration) { harness in
            let admin = try await harness.demoAdmin()
            for file in files {
                let data = try Data(contentsOf: URL(fileURLWithPath: folder).appendingPathComponent(file))
                let reply = try await KnowledgeUploadTests.upload(harness, Array(data), filename: file, token: admin)
                #expect(reply.status == .created, "\(file): \(reply.text)")
                #expect(reply["format"].string == "html")
                #expect((reply["documents"][0]["document"]["chunks"].int ?? 0) > 0, "\(file) has no text")
            }
            for (question, chapter) in [
                ("How do I keep my Debian system up to date?", "Chapter 9. Keeping your Debian system up-to-date"),
                ("Can I sell Debian CDs in a commercial product?", "Chapter 14. Redistributing Debian GNU/Linux"),
                // (Asked as "Where can I get help and support for Debian?", chapters 3 and 13 rank above 12.)
                ("How do I report a bug I found in Debian?", "Chapter 12. Getting support for Debian GNU/Linux"),
                ("Which Linux kernel does Debian ship?", "Chapter 10. Debian and the kernel"),
            ] {
                let found = try await harness.call(
                    .post, "/api/knowledge/search", json: ["query": question, "limit": 3], token: admin)
                let titles = found["passages"].array.compactMap { $0["title"].string }
                #expect(titles.contains { $0.hasPrefix(chapter) }, "\(question) found \(titles)")
                // Navigation headers and footers are not part of any passage.
                #expect(!found["passages"].array.contains { ($0["text"].string ?? "").contains("Prev ") })
            }
        }
    }
}

/// Where the Debian FAQ's HTML is, if the test run fetched it.
enum DebianFAQ {
    static var folder: String? {
        ProcessInfo.processInfo.environment["PARLEY_DEBIAN_FAQ"].flatMap { $0.isEmpty ? nil : $0 }
    }
}
