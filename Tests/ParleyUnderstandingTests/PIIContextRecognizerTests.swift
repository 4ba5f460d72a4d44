import Testing

@testable import ParleyUnderstanding

/// Hand-written cases for phone numbers, addresses, names and dates of birth.
@Suite("PII contextual recognizers")
struct PIIContextRecognizerTests {
    private let detector = PIIDetector()

    private func values(_ text: String, _ type: PIIType) -> [String] {
        detector.detect(in: text).filter { $0.type == type }.map(\.value)
    }

    @Test(
        "Phone formats are found",
        arguments: [
            "+41 (0)35 291 04 85", "(952)664-4390", "653.269.5952x823", "070 4493 5104", "+447700011186",
            "780-775-0277", "04.47.64.53.88", "(02) 4028 5461", "+1 415 555 2671",
        ])
    func phones(_ number: String) {
        #expect(values("Please call me on \(number) tomorrow", .phone) == [number])
    }

    @Test("Dates, amounts and other reference numbers are not phones")
    func notPhones() {
        #expect(values("Born 1973-09-19 in Bern", .phone).isEmpty)
        #expect(values("It happened on 12/31/1984.", .phone).isEmpty)
        #expect(values("I sent $1 250 000 yesterday", .phone).isEmpty)
        #expect(values("My order number is 55912345", .phone).isEmpty)
        #expect(values("Timestamp 12:30:13.321768 logged", .phone).isEmpty)
        #expect(values("I paid 20 dollars", .phone).isEmpty)
    }

    @Test("Literal escaped newlines separate lines")
    func escapedNewlines() {
        #expect(values("Phone:\\n0398 0829931\\nE-mail", .phone) == ["0398 0829931"])
    }

    @Test("Street addresses in several conventions are found")
    func addresses() {
        #expect(!values("He lives at 221 Baker Street, London.", .streetAddress).isEmpty)
        #expect(!values("Send it to 138 Rue de Libya please", .streetAddress).isEmpty)
        #expect(!values("Ship to Strickstrasse 61 in Zuoz", .streetAddress).isEmpty)
        #expect(!values("Unit 5302 Box 7746\nDPO AP 68009", .streetAddress).isEmpty)
        #expect(values("I want to transfer 100 dollars to my savings", .streetAddress).isEmpty)
        #expect(values("Please call me at 056 390 63 51 I'd like to talk", .streetAddress).isEmpty)
    }

    @Test("Multi-line address blocks are covered by one span")
    func addressBlock() {
        let block = "6561 2103 Venture Place\nApt. 597\nKinuso\nCanada 15097"
        let spans = values("Morgan Fowler\n\n" + block, .streetAddress)
        #expect(spans == [block])
    }

    @Test("Names are found from cues and name lists, not from ordinary capitalized words")
    func names() {
        #expect(values("My name is Favian", .personName) == ["Favian"])
        #expect(values("Hello, this is Mr. Joe Barff. Who are you?", .personName) == ["Joe Barff"])
        #expect(values("I want to add Jennifer Wilson as a beneficiary", .personName) == ["Jennifer Wilson"])
        #expect(values("I will be travelling to Brazil next week", .personName).isEmpty)
        #expect(values("Why was my Visa card declined on Monday?", .personName).isEmpty)
    }

    @Test("Dates of birth need a birth cue")
    func datesOfBirth() {
        #expect(values("I was born on 12/31/1984.", .dateOfBirth) == ["12/31/1984"])
        #expect(values("Date of birth: 3 March 1975", .dateOfBirth) == ["3 March 1975"])
        #expect(values("The payment on 12/31/1984 failed", .dateOfBirth).isEmpty)
    }
}
