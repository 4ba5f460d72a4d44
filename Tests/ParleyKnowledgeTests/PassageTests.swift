import Foundation
import ParleyCore
import ParleyKnowledge
import Testing

@Suite("Passages and citations")
struct PassageTests {
    @Test("round-trip through JSON")
    func codable() throws {
        let passage = Passage(
            chunkID: "c1", documentID: "d1", title: "Cards", headingPath: ["Cards", "Delivery"],
            url: "https://help.example/cards", text: "Cards arrive in 5 days.", score: 0.42,
            foundBy: ["lexical", "semantic"])
        let decodedPassage = try JSONDecoder().decode(Passage.self, from: JSONEncoder().encode(passage))
        #expect(decodedPassage == passage)
        let citation = Citation(source: "c1", title: "Cards")
        #expect(try JSONDecoder().decode(Citation.self, from: JSONEncoder().encode(citation)) == citation)
    }
}
