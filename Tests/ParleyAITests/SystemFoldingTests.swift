import ParleyAI
import Testing

/// Instructions reach models without a system role inside the first user message.
@Suite("System message folding")
struct SystemFoldingTests {
    @Test("system messages are joined, in order, before the first user message; the rest is unchanged")
    func folds() {
        let request = ChatRequest(
            messages: [
                .system("Be brief."), .system("Passages: A."), .user("Hi"), .assistant("Hello"), .user("Refunds?"),
            ], temperature: 0.2, maxTokens: 10)
        let folded = SystemFoldingChatProvider.folded(request)
        #expect(
            folded.messages == [
                .user("Be brief.\n\nPassages: A.\n\nHi"), .assistant("Hello"), .user("Refunds?"),
            ])
        #expect(folded.maxTokens == 10)
        let plain = ChatRequest(messages: [.user("Hi")])
        #expect(SystemFoldingChatProvider.folded(plain) == plain)
        let onlySystem = SystemFoldingChatProvider.folded(ChatRequest(messages: [.system("Rules")]))
        #expect(onlySystem.messages == [.user("Rules")])
    }
}
