import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import ParleyCore
import Synchronization
import Testing

/// A tenant's model providers: an endpoint's redirect is not followed with the key, and providers that cannot be
/// set up leave the tenant answering from its knowledge base instead of failing every turn.
@Suite("Model provider set-up")
struct ProviderSetupTests {
    @Test("a provider that redirects gets no second request: the key and the prompt stay with the first host")
    func redirectsAreNotFollowed() async throws {
        let followed = Mutex(0)
        let router = Router()
        router.post("/v1/chat/completions") { request, _ -> Response in
            Response(status: .temporaryRedirect, headers: [.location: "/elsewhere/chat/completions"])
        }
        router.post("/elsewhere/chat/completions") { _, _ -> Response in
            followed.withLock { $0 += 1 }
            return Response(
                status: .ok, headers: [.contentType: "text/event-stream"],
                body: .init(
                    byteBuffer: ByteBuffer(string: StreamingAnswerTests.chunk("Followed.") + "data: [DONE]\n\n")))
        }
        try await Application(router: router).test(.live) { client in
            let port = try #require(client.port)
            try await Harness.run { harness in
                _ = try await StreamingAnswerTests.setUp(harness, port: port)
                let visitor = try await harness.session()
                let reply = try await harness.say(
                    "How long do refunds take?", token: visitor.token, conversation: visitor.conversation)
                #expect(reply.status == .ok, "\(reply.text)")
                #expect(followed.withLock { $0 } == 0, "the redirect was followed")
                #expect(reply["reply"]["text"].string?.contains("Followed") != true)
            }
        }
    }

    @Test("a stored key that no longer opens: the visitor still gets an answer, from the knowledge base")
    func unopenableKeyStillAnswers() async throws {
        try await Harness.run { harness in
            _ = try await StreamingAnswerTests.setUp(
                harness, provider: StreamingAnswerTests.provider("http://127.0.0.1:9/v1"))
            // As after the server's secret changed: the sealed key is there but cannot be opened.
            _ = try await harness.store.assistants.update(tenant: harness.seed.demoTenantID) {
                $0.providers[0].sealedAPIKey = "v1.not-a-sealed-key"
            }
            let visitor = try await harness.session()
            let reply = try await harness.say(
                "How long do refunds take?", token: visitor.token, conversation: visitor.conversation)
            #expect(reply.status == .ok, "\(reply.text)")
            #expect(reply["reply"]["text"].string?.contains("five business days") == true, "\(reply.text)")
        }
    }
}
