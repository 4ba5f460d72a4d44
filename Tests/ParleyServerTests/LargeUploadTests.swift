import AsyncHTTPClient
import Foundation
import NIOCore
import Synchronization
import Testing

/// A hostile upload: a gigabyte, with its length declared or streamed without one, to each route that takes files.
@Suite("Large uploads")
struct LargeUploadTests {
    /// A gigabyte of filler, produced a mebibyte at a time as the client sends it (never held in memory).
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

    @Test("a 1 GiB upload is refused, declared or not, without storing anything; the server goes on answering")
    func gigabyte() async throws {
        try await Harness.run { harness in
            let admin = try await harness.demoAdmin()
            for (path, declared) in [
                ("/api/knowledge/uploads", true), ("/api/knowledge/uploads", false), ("/api/knowledge/jobs", true),
                ("/api/knowledge/jobs", false),
            ] {
                let filler = Filler(total: 1 << 30, produced: .init())
                var request = HTTPClientRequest(url: "http://127.0.0.1:\(harness.port)\(path)")
                request.method = .POST
                request.headers.add(name: "Authorization", value: "Bearer \(admin)")
                request.headers.add(name: "Content-Type", value: "multipart/form-data; boundary=XYZ")
                request.body = .stream(filler, length: declared ? .known(Int64(1 << 30)) : .unknown)
                var status: UInt?
                do {
                    status = try await HTTPClient.shared.execute(request, timeout: .seconds(60)).status.code
                } catch {
                    // The server may close the connection rather than read the rest: refused all the same.
                }
                // A declared length is refused before the body is read; without one, the route keeps at most its
                // limit (20 MiB) and answers 413. Either way the HTTP server then discards whatever the client
                // still sends, so how much the client got to send says nothing about the server's memory.
                #expect(
                    status == nil || status == 413,
                    "\(path) (declared: \(declared)): \(status.map(String.init) ?? "closed")")
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
