import AsyncHTTPClient
import Foundation
import NIOCore
import Synchronization
import Testing

/// A hostile upload: a gigabyte, with its length declared or streamed without one, to each route that takes files.
@Suite("Large uploads")
struct LargeUploadTests {
    /// Filler produced a mebibyte at a time as the client sends it (never held in memory).
    struct Filler: AsyncSequence, Sendable {
        typealias Element = ByteBuffer
        let total: Int
        let produced: Produced

        final class Produced: Sendable {
            let bytes = Mutex(0)
        }

        struct AsyncIterator: AsyncIteratorProtocol {
            let total: Int
            let produced: Produced
            let chunk = ByteBuffer(repeating: 0x41, count: 1 << 20)

            mutating func next() async -> ByteBuffer? {
                let sent = produced.bytes.withLock { $0 }
                guard sent < total else { return nil }
                produced.bytes.withLock { $0 += chunk.readableBytes }
                return chunk
            }
        }

        func makeAsyncIterator() -> AsyncIterator { AsyncIterator(total: total, produced: produced) }
    }

    @Test("a declared 1 GiB upload is refused before its body comes; a streamed one at the limit; nothing is stored")
    func gigabyte() async throws {
        try await Harness.run { harness in
            let admin = try await harness.demoAdmin()
            for path in ["/api/knowledge/uploads", "/api/knowledge/jobs"] {
                // Only the head and 64 KiB of the gigabyte it announces are sent: the answer must come anyway.
                let head =
                    "POST \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(admin)\r\n"
                    + "Content-Type: multipart/form-data; boundary=XYZ\r\nContent-Length: \(1 << 30)\r\n\r\n"
                let reply = try RawHTTP.exchange(
                    port: harness.port, head: Array(head.utf8), body: [UInt8](repeating: 0x41, count: 64 << 10))
                #expect(reply.hasPrefix("HTTP/1.1 413"), "\(path): \(reply.prefix(200))")
                #expect(reply.contains("body_too_large"))

                // Streamed without a length: read up to the 20 MiB limit, then refused.
                var request = HTTPClientRequest(url: "http://127.0.0.1:\(harness.port)\(path)")
                request.method = .POST
                request.headers.add(name: "Authorization", value: "Bearer \(admin)")
                request.headers.add(name: "Content-Type", value: "multipart/form-data; boundary=XYZ")
                request.body = .stream(Filler(total: 64 << 20, produced: .init()), length: .unknown)
                var status: UInt?
                do {
                    status = try await HTTPClient.shared.execute(request, timeout: .seconds(60)).status.code
                } catch {
                    // The server may close the connection rather than read the rest: refused all the same.
                }
                #expect(status == nil || status == 413, "\(path): \(status.map(String.init) ?? "closed")")
            }
            #expect(try await harness.store.knowledge.documents(tenant: harness.seed.demoTenantID).isEmpty)
            let jobs = try await harness.call(.get, "/api/knowledge/jobs", token: admin)
            #expect(jobs.status == .ok && jobs["jobs"].array.isEmpty)
        }
    }

    @Test("a file over the general body limit but within 20 MiB is taken as a background job too")
    func jobWithinFileLimit() async throws {
        try await Harness.run { harness in
            let admin = try await harness.demoAdmin()
            // 2.9 MB of page furniture around one paragraph: larger than a JSON body may be, smaller than a file.
            let script = String(repeating: "var x = 1;\n", count: 1 << 18)
            let page =
                Array(
                    "<html><head><script>\(script)</script><title>Care</title></head><body><main><p>Mugs are dishwasher safe."
                        .utf8) + Array("</p></main></body></html>".utf8)
            let (type, body) = KnowledgeUploadTests.form(file: page, filename: "care.html")
            let queued = try await harness.call(
                .post, "/api/knowledge/jobs", raw: body, token: admin, headers: [.contentType: type])
            #expect(queued.status == .accepted, "\(queued.text)")
            let job = try await KnowledgeUploadTests.finished(
                harness, job: try #require(queued["id"].string), token: admin)
            #expect(job["status"].string == "ready", "\(job.text)")
        }
    }
}
