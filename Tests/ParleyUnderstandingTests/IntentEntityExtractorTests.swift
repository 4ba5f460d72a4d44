import Testing

@testable import ParleyUnderstanding

@Suite("Entity extraction")
struct IntentEntityExtractorTests {
    let extractor = EntityExtractor()

    private func values(_ text: String, _ kind: Entity.Kind) -> [String] {
        extractor.extract(text).filter { $0.kind == kind }.map(\.value)
    }

    @Test func emails() {
        #expect(values("mail Jane.Doe+x@Example.co.uk please", .email) == ["jane.doe+x@example.co.uk"])
        #expect(values("not an email: jane@localhost", .email) == [])
    }

    @Test func orderNumbers() {
        #expect(values("my order number is 48213-77", .orderNumber) == ["48213-77"])
        #expect(values("order #A12345 hasn't arrived", .orderNumber) == ["A12345"])
        #expect(values("see ORD-99812 and inv_12345", .orderNumber) == ["ORD-99812", "INV_12345"])
        #expect(values("I have 12345 problems", .orderNumber) == [])
    }

    @Test func money() {
        #expect(values("I was charged $1,234.50 twice", .money) == ["1234.50 USD"])
        #expect(values("refund 12,50 € now", .money) == ["12.50 EUR"])
        #expect(values("it cost 40 dollars", .money) == ["40.00 USD"])
        #expect(values("pay £5", .money) == ["5.00 GBP"])
        #expect(values("1.234,56 EUR", .money) == ["1234.56 EUR"])
        #expect(values("I waited 40 minutes", .money) == [])
    }

    @Test func dates() {
        #expect(values("delivered on 2024-03-07", .date) == ["2024-03-07"])
        #expect(values("since 25/12/2023", .date) == ["2023-12-25"])
        #expect(values("on March 3rd, 2024", .date) == ["2024-03-03"])
        #expect(values("due 3 March", .date) == ["--03-03"])
        #expect(values("on 45/13/2024", .date) == [])
    }

    @Test func rangesPointIntoTheMessage() throws {
        let text = "Hi 👋 order #ZX9912 from bob@shop.com"
        let entities = extractor.extract(text)
        #expect(entities.map(\.kind) == [.orderNumber, .email])
        let email = try #require(entities.last)
        let utf16 = Array(text.utf16)[email.utf16Range]
        #expect(String(decoding: utf16, as: UTF16.self) == "bob@shop.com")
    }

    @Test func emptyAndHugeInputs() {
        #expect(extractor.extract("").isEmpty)
        #expect(extractor.extract(String(repeating: "😀", count: 2_048)).isEmpty)
    }
}
