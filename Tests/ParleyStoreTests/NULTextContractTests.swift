import Foundation
import ParleyCore
import ParleyStore
import Testing

/// Text the server makes itself may carry U+0000 (a rule's reply, a model's answer): every store keeps it as U+FFFD.
@Suite("Store contract: NUL characters")
struct NULTextContractTests {
    typealias Fixtures = StoreContractTests

    @Test(
        "a NUL in a message's text, metadata or client id is stored as U+FFFD, and found again by the same id",
        arguments: StoreFactory.allCases)
    func storedAsReplacement(factory: StoreFactory) async throws {
        let (store, tenant, conversation) = try await Fixtures.storeWithConversation(factory)
        var message = Fixtures.customerMessage(conversation, client: "id\0one", text: "before\0after")
        message.metadata = ["page_url": .string("https://shop.test/\0"), "list": .array([.string("\0")])]
        guard case .started = try await store.turns.begin(message, visitor: conversation.visitorID) else {
            Issue.record("the message did not open a turn")
            return
        }
        let stored = try #require(try await store.messages.get(message.id, tenant: tenant.id))
        #expect(stored.text == "before\u{FFFD}after")
        #expect(stored.clientMessageID == "id\u{FFFD}one")
        #expect(stored.metadata["page_url"] == .string("https://shop.test/\u{FFFD}"))
        #expect(stored.metadata["list"] == .array([.string("\u{FFFD}")]))
        let resent = Fixtures.customerMessage(conversation, client: "id\0one", text: "again")
        guard case .duplicate(let first) = try await store.turns.begin(resent, visitor: conversation.visitorID) else {
            Issue.record("the resent message was not recognised")
            return
        }
        #expect(first.id == message.id)
        try await store.close()
    }
}
