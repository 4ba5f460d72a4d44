import Crypto
import Foundation
import Testing

@testable import ParleyAI

/// `parley models pull` underneath: files fetched from a loopback server, verified by SHA-256 before they land.
@Suite("Model download")
struct ModelDownloadTests {
    static func hex(_ text: String) -> String {
        SHA256.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    static func directory() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("parley-model-\(UUID())")
    }

    @Test("files are fetched with progress, verified, put in place, and not fetched again")
    func pull() async throws {
        try await withFakeServer { server, client in
            let vocab = String(repeating: "[PAD]\nhello\nworld\n", count: 500)
            server.enqueue(FakeReply(steps: [.send(vocab)]))
            let download = ModelDownload(
                baseURL: server.baseURL + "/models/",
                files: [.init(name: "vocab.txt", sha256: Self.hex(vocab), size: vocab.utf8.count)])
            let target = Self.directory()
            defer { try? FileManager.default.removeItem(at: target) }
            let seen = Seen()
            let fetched = try await download.pull(into: target, httpClient: client) { _, received, _ in
                seen.add(received)
            }
            #expect(fetched == 1)
            let stored = try String(contentsOf: target.appendingPathComponent("vocab.txt"), encoding: .utf8)
            #expect(stored == vocab)
            #expect(seen.last == vocab.utf8.count)
            #expect(server.received.map(\.uri) == ["/models/vocab.txt"])
            let again = try await download.pull(into: target, httpClient: client)
            #expect(again == 0, "already verified: no request")
            #expect(server.received.count == 1)
        }
    }

    @Test("a file whose hash or size is wrong is refused and nothing is left behind")
    func mismatch() async throws {
        try await withFakeServer { server, client in
            server.enqueue(FakeReply(steps: [.send("tampered")]), FakeReply(status: 404, steps: [.send("no")]))
            let download = ModelDownload(
                baseURL: server.baseURL,
                files: [.init(name: "model.safetensors", sha256: Self.hex("original"), size: 8)])
            let target = Self.directory()
            defer { try? FileManager.default.removeItem(at: target) }
            await #expect(throws: ModelDownload.Failure.self) {
                try await download.pull(into: target, httpClient: client)
            }
            let leftovers = try FileManager.default.contentsOfDirectory(atPath: target.path)
            #expect(leftovers.isEmpty)
            await #expect(throws: ModelDownload.Failure.self) {
                try await download.pull(into: target, httpClient: client)
            }
        }
    }

    @Test(
        "the pinned hashes and sizes are those of the real model files",
        .enabled(if: ModelLocator.directory != nil, Comment(rawValue: ModelLocator.skipReason)))
    func pinnedHashes() throws {
        let directory = try #require(ModelLocator.directory, "\(ModelLocator.skipReason)")
        for file in ModelDownload.miniLM.files {
            let url = directory.appendingPathComponent(file.name)
            let size = try FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int
            #expect(size == file.size, "\(file.name)")
            let digest = try ModelDownload.sha256(of: url)
            #expect(digest == file.sha256, "\(file.name)")
        }
    }

    final class Seen: @unchecked Sendable {
        private let lock = NSLock()
        private var values: [Int] = []
        func add(_ value: Int) { lock.withLock { values.append(value) } }
        var last: Int? { lock.withLock { values.last } }
    }
}
