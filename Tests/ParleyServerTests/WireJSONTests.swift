import Foundation
import ParleyCore
import Testing

@testable import ParleyServer

@Suite("The message route's JSON, written by hand")
struct WireJSONTests {
    static func foundation(_ value: some Encodable) throws -> String {
        String(decoding: try JSONEncoder.api.encode(value), as: UTF8.self)
    }

    static func message(_ index: Int) -> Message {
        var metadata: [String: JSONValue] = [:]
        if index % 2 == 0 { metadata["quick_replies"] = ["Talk to a person", "Opening \"hours\" / days"] }
        if index % 3 == 0 {
            metadata["citations"] = [
                ["source": "faq", "title": "Refunds <b>", "url": index % 6 == 0 ? "https://x.test/a?b=c" : .null]
            ]
        }
        if index % 4 == 0 { metadata["card"] = ["title": "Card", "text": "line\none", "price": 12.5] }
        if index % 5 == 0 { metadata["attachment"] = ["id": "a1", "size": 2048] }
        return Message(
            id: .generate(), tenantID: TenantID("t"), conversationID: ConversationID("c\(index)"),
            role: index % 2 == 0 ? .assistant : .customer, text: "Hello \(index) \u{01} é 😀 </script>",
            clientMessageID: index % 3 == 0 ? nil : "client-\(index)", inReplyTo: index % 2 == 0 ? .generate() : nil,
            metadata: metadata, createdAt: Date(timeIntervalSince1970: 1_765_000_000 + Double(index) * 3_600.37))
    }

    @Test("message responses and histories are byte for byte what JSONEncoder.api writes")
    func responses() throws {
        for index in 0..<60 {
            let messages = (0...index % 5).map { Self.message(index + $0) }
            let conversation = Conversation(
                id: .generate(), tenantID: TenantID("t"), visitorID: .generate(),
                state: [.bot, .queued, .human, .closed][index % 4], tags: ["b", "a"], botFailures: index,
                createdAt: Date(), updatedAt: Date())
            let summary = Wire.ConversationSummary(conversation)
            let response = ChatRoutes.MessageResponse(
                ChatResult(
                    messageID: .generate(), reply: index % 3 == 0 ? nil : messages[0], conversation: conversation,
                    decision: "reply"))
            #expect(try JSONTextWriter.text(of: response) == Self.foundation(response))
            let history = ChatRoutes.HistoryResponse(
                conversation: summary, messages: messages.map(Wire.VisitorMessage.init))
            #expect(try JSONTextWriter.text(of: history) == Self.foundation(history))
        }
    }
}
