import Foundation
import Testing

@testable import ParleyServer

/// Documents are read on threads of their own: uploads waiting there hold up nothing else.
@Suite("Extraction threads")
struct ExtractionThreadsTests {
    @Test("with every extraction thread busy, sign-ins go on and an upload waits its turn")
    func busyExtractionHoldsUpNothingElse() async throws {
        try await Harness.run { harness in
            let gate = DispatchSemaphore(value: 0)
            let occupied = (0..<ExtractionThreads.count).map { _ in
                Task { try await ExtractionThreads.run { gate.wait() } }
            }
            defer { for _ in occupied { gate.signal() } }
            // A sign-in hashes on NIO's shared pool, where extraction used to run: it must not wait for the gate.
            let signIn = boundedTask(within: .seconds(60)) { try await harness.demoAdmin() }
            let admin = try await signIn.value
            let file = Array("Returns are free within thirty days of delivery.".utf8)
            let stored = try await harness.store.knowledge.documents(tenant: harness.seed.demoTenantID).count
            let upload = Task {
                try await KnowledgeUploadTests.upload(harness, file, filename: "returns.txt", token: admin)
            }
            try await Task.sleep(for: .milliseconds(500))
            // Held at the gate: the upload cannot have been read yet. It goes through once a thread is free.
            #expect(try await harness.store.knowledge.documents(tenant: harness.seed.demoTenantID).count == stored)
            for _ in occupied { gate.signal() }
            for task in occupied { _ = try await task.value }
            #expect(try await upload.value.status == .created)
            #expect(
                try await harness.store.knowledge.documents(tenant: harness.seed.demoTenantID).count == stored + 1)
        }
    }
}
