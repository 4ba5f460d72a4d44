import Foundation
import ParleyCore
import Testing

@Suite("Identifiers")
struct IdentifierTests {
    @Test("a new identifier is a lowercase version 7 UUID that carries the time it was made")
    func versionSeven() throws {
        let before = UInt64(Date().timeIntervalSince1970 * 1000)
        let id = MessageID.generate().rawValue
        let after = UInt64(Date().timeIntervalSince1970 * 1000)
        #expect(id == id.lowercased())
        let parsed = try #require(UUID(uuidString: id))
        #expect(id == parsed.uuidString.lowercased(), "the canonical 8-4-4-4-12 form")
        let uuid = parsed.uuid
        #expect(uuid.6 >> 4 == 7, "version nibble")
        #expect(uuid.8 >> 6 == 0b10, "RFC 9562 variant")
        let milliseconds = [uuid.0, uuid.1, uuid.2, uuid.3, uuid.4, uuid.5].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        #expect((before...after).contains(milliseconds))
    }

    @Test("identifiers made a millisecond apart sort in the order they were made; none repeat")
    func timeOrdered() async throws {
        var made: [String] = []
        for _ in 0..<20 {
            made.append(ConversationID.generate().rawValue)
            try await Task.sleep(for: .milliseconds(2))
        }
        #expect(made == made.sorted())
        let many = (0..<10_000).map { _ in MessageID.generate().rawValue }
        #expect(Set(many).count == many.count)
        #expect(many.allSatisfy { UUID(uuidString: $0)?.uuidString.lowercased() == $0 })
    }
}
