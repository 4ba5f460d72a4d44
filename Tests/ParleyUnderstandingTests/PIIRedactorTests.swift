import Testing

@testable import ParleyUnderstanding

/// Masking modes, per-type switches, keyed hashing and the reversible placeholder map.
@Suite("PII redaction")
struct PIIRedactorTests {
    @Test("Tag mode replaces values with their type tag")
    func tagMode() {
        let result = PIIRedactor().redact("Email jane@example.com or call +1 415 555 2671.")
        #expect(result.text == "Email [EMAIL] or call [PHONE].")
        #expect(result.spans.map(\.type) == [.email, .phone])
    }

    @Test("Partial mode keeps the last four digits and the e-mail domain")
    func partialMode() {
        let redactor = PIIRedactor(modes: [.paymentCard: .partial, .email: .partial, .ssn: .partial, .iban: .partial])
        #expect(redactor.redact("Card 4242 4242 4242 4242").text == "Card **** 4242")
        #expect(redactor.redact("mail jane@example.com").text == "mail j***@example.com")
        #expect(redactor.redact("SSN 123-45-6789").text == "SSN ***-**-6789")
        #expect(redactor.redact("IBAN GB82WEST12345698765432").text == "IBAN GB** **** 5432")
    }

    @Test("Hash mode is keyed and ignores formatting")
    func hashMode() {
        let first = PIIRedactor(modes: [.paymentCard: .hash], hashKey: Array("k".utf8))
        let spaced = first.redact("4242 4242 4242 4242").text
        let dashed = first.redact("4242-4242-4242-4242").text
        #expect(spaced == dashed)
        #expect(spaced == "[CARD:4ced204049b475b9]")
        let other = PIIRedactor(modes: [.paymentCard: .hash], hashKey: Array("other".utf8))
        #expect(other.redact("4242 4242 4242 4242").text != spaced)
    }

    @Test("SHA-256 and HMAC match published test vectors")
    func digestVectors() {
        let hex = { (bytes: [UInt8]) in bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined() }
        #expect(
            hex(PIIHasher.sha256(Array("abc".utf8)))
                == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(hex(PIIHasher.sha256([])) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        let mac = PIIHasher.hmac(key: Array("Jefe".utf8), message: Array("what do ya want for nothing?".utf8))
        #expect(hex(mac) == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
    }

    @Test("Placeholders round-trip and support last-four restoration")
    func placeholders() {
        let redactor = PIIRedactor(modes: [.paymentCard: .placeholder, .email: .placeholder])
        let text = "Cards 4242 4242 4242 4242 and 5105000000000003, again 4242 4242 4242 4242; mail a@b.co"
        let result = redactor.redact(text)
        #expect(result.text == "Cards [CARD_1] and [CARD_2], again [CARD_1]; mail [EMAIL_1]")
        #expect(result.placeholders.restore(result.text) == text)
        #expect(
            result.placeholders.restore("Your card ending [CARD_1.last4] is blocked.")
                == "Your card ending 4242 is blocked.")
        #expect(result.placeholders.restore("Unknown [CARD_9] stays") == "Unknown [CARD_9] stays")
        let next = redactor.redact("Also 2221000000000009", placeholders: result.placeholders)
        #expect(next.text == "Also [CARD_3]")
    }

    @Test("Types without a mode are left untouched")
    func perTypeSwitch() {
        let redactor = PIIRedactor(modes: [.paymentCard: .tag])
        #expect(redactor.redact("a@b.co 4242 4242 4242 4242").text == "a@b.co [CARD]")
        #expect(redactor.redact("").text == "")
    }
}
