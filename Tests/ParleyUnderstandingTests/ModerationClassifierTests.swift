import Testing

@testable import ParleyUnderstanding

/// Severity, categories and evasion handling of the abuse classifier.
@Suite("Moderation classifier")
struct ModerationClassifierTests {
    private let classifier = ModerationClassifier()

    private func severity(_ text: String) -> ModerationSeverity {
        classifier.assess(text).severity
    }

    @Test("Clean support messages are not flagged")
    func clean() {
        #expect(severity("How do I activate my new card?") == .none)
        #expect(severity("I live in Scunthorpe and love classic assessments") == .none)
        #expect(severity("") == .none)
        #expect(severity(String(repeating: "😀", count: 2_100)) == .none)
    }

    @Test("Severity grows from mild swearing to targeted insults to threats")
    func severityLadder() {
        #expect(severity("this app sucks") == .low)
        #expect(severity("this is shit") == .medium)
        #expect(severity("you are an idiot") == .medium)
        #expect(severity("I will kill you") == .high)
        #expect(severity("just kys") == .high)
        #expect(classifier.assess("I will kill you").categories.contains(.threat))
        #expect(!classifier.assess("you are an idiot").isFlagged == false)
    }

    @Test(
        "Evasions are normalised",
        arguments: [
            "f u c k this", "sh1t service", "fuuuuuck", "f*ck off", "fu\u{200B}ck", "ＦＵＣＫ", "f.u.c.k",
            "\u{0455}hit bank",
        ])
    func evasions(_ text: String) {
        #expect(severity(text) >= .medium, "\(text) should be caught")
    }

    @Test("Other languages are covered")
    func multilingual() {
        #expect(severity("du Arschloch") >= .medium)
        #expect(severity("eres un idiota") >= .low)
        #expect(severity("je vais te tuer") == .high)
        #expect(severity("quelle merde") >= .medium)
    }
}
