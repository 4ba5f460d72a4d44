import Testing

@testable import ParleyUnderstanding

/// Hand-written cases for the checksum- and format-driven recognizers (cards, IBAN, SSN, IP, e-mail).
@Suite("PII structured recognizers")
struct PIIStructuredRecognizerTests {
    private let detector = PIIDetector()

    private func types(_ text: String) -> [PIIType] {
        detector.detect(in: text).map(\.type)
    }

    private func values(_ text: String, _ type: PIIType) -> [String] {
        detector.detect(in: text).filter { $0.type == type }.map(\.value)
    }

    @Test(
        "Valid card numbers of every network are found",
        arguments: [
            "4111 1111 1111 1111", "4000000000000000006", "4000000000006", "2221000000000009", "2720000000000005",
            "5105000000000003", "378282246310005", "6011111111111117", "3530000000000003", "30560000000007",
            "6759000000000000", "6200000000000005", "4111-1111-1111-1111",
        ])
    func validCards(_ number: String) {
        #expect(values("Charge my card \(number) please", .paymentCard) == [number])
    }

    @Test("Luhn failures and wrong lengths are not cards")
    func invalidCards() {
        #expect(values("Card 4111 1111 1111 1112 please", .paymentCard).isEmpty)
        #expect(values("Card 2221000000000008 please", .paymentCard).isEmpty)
        #expect(values("Order 41111111111111111111 shipped", .paymentCard).isEmpty)
        #expect(!PaymentCardRecognizer.luhnIsValid([4, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2]))
        #expect(PaymentCardRecognizer.luhnIsValid([7, 9, 9, 2, 7, 3, 9, 8, 7, 1, 3]))
    }

    @Test("Card networks are identified from IIN ranges")
    func networks() {
        func network(_ number: String) -> CardNetwork? {
            CardNetwork.identify(number.compactMap { $0.wholeNumberValue.map(UInt8.init) })
        }
        #expect(network("2221000000000009") == .mastercard)
        #expect(network("2721000000000004") == nil)
        #expect(network("4000000000000000006") == .visa)
        #expect(network("378282246310005") == .amex)
        #expect(network("6011111111111117") == .discover)
        #expect(network("3530000000000003") == .jcb)
        #expect(network("30560000000007") == .diners)
        #expect(network("6200000000000005") == .unionPay)
    }

    @Test("IBANs need a known country, its exact length and a valid mod-97 check")
    func ibans() {
        #expect(values("Send to GB82 WEST 1234 5698 7654 32 today", .iban) == ["GB82 WEST 1234 5698 7654 32"])
        #expect(values("IBAN DE89370400440532013000.", .iban) == ["DE89370400440532013000"])
        #expect(values("iban gb82west12345698765432", .iban) == ["gb82west12345698765432"])
        #expect(values("Send to GB82 WEST 1234 5698 7654 33 today", .iban).isEmpty)
        #expect(values("Send to DE8937040044053201300 today", .iban).isEmpty)
        #expect(values("Send to XX82WEST12345698765432 today", .iban).isEmpty)
    }

    @Test("SSNs follow SSA issuance rules")
    func ssns() {
        #expect(values("My SSN is 123-45-6789.", .ssn) == ["123-45-6789"])
        #expect(values("ssn: 899-48-2613", .ssn) == ["899-48-2613"])
        for invalid in ["000-12-3456", "666-12-3456", "900-12-3456", "123-00-4567", "123-45-0000"] {
            #expect(values("My SSN is \(invalid).", .ssn).isEmpty, "\(invalid) must be rejected")
        }
        #expect(values("social security number 123456789", .ssn) == ["123456789"])
        #expect(values("tracking 123456789 arrived", .ssn).isEmpty)
    }

    @Test(
        "IPv4 and IPv6 forms are found",
        arguments: [
            "192.168.1.1", "8.8.8.8", "2001:0db8:85a3:0000:0000:8a2e:0370:7334", "2001:db8::1", "::1",
            "fe80::1ff:fe23:4567:890a", "::ffff:192.0.2.128", "c508:1658:85fa:d9e3:5d34:409b:62d9:b305",
        ])
    func ipAddresses(_ address: String) {
        #expect(values("Login from \(address) failed", .ipAddress) == [address])
    }

    @Test("Near-misses are not IP addresses")
    func notIPAddresses() {
        #expect(values("Version 256.1.1.1 released", .ipAddress).isEmpty)
        #expect(values("Version 1.2.3 released", .ipAddress).isEmpty)
        #expect(values("Meet at 12:30:45 today", .ipAddress).isEmpty)
        #expect(values("Ratio 1:2:3:4:5:6:7:8:9 is odd", .ipAddress).isEmpty)
    }

    @Test("E-mail addresses need a dotted domain with a letter TLD")
    func emails() {
        #expect(values("Write to jane.doe+bank@example.co.uk now", .email) == ["jane.doe+bank@example.co.uk"])
        #expect(values("user@localhost is not routable", .email).isEmpty)
        #expect(values("price @ 5.00 each", .email).isEmpty)
        #expect(values("ivan@пример.рф написал", .email) == ["ivan@пример.рф"])
    }

    @Test("Offsets are Unicode scalar indices")
    func scalarOffsets() {
        let spans = detector.detect(in: "😀👍🏽 mail a@b.co")
        #expect(spans.count == 1)
        // 3 emoji scalars + space + "mail" + space: 9 scalars (8 Characters, 11 UTF-16 units).
        #expect(spans.first?.range == 9..<15)
        #expect(spans.first?.value == "a@b.co")
    }

    @Test("Empty text, emoji floods and mixed scripts are safe")
    func edgeCases() {
        #expect(detector.detect(in: "").isEmpty)
        let emoji = String(repeating: "😀🙈👨‍👩‍👧", count: 700)
        #expect(emoji.utf8.count > 8_000)
        #expect(detector.detect(in: emoji).isEmpty)
        let mixed = "Привет! 你好 مرحبا card 4111 1111 1111 1111 спасибо"
        #expect(types(mixed) == [.paymentCard])
        let digits = String(repeating: "1234567890 ", count: 800)
        _ = detector.detect(in: digits)
    }

    @Test("Full-width digits and zero-width separators do not hide numbers")
    func evasions() {
        #expect(values("card ４１１１ １１１１ １１１１ １１１１", .paymentCard) == ["４１１１ １１１１ １１１１ １１１１"])
        #expect(values("card 4111\u{200B}1111\u{200B}1111\u{200B}1111", .paymentCard).count == 1)
    }

    @Test("Disabled types are not reported")
    func enabledSet() {
        let emailOnly = PIIDetector(enabled: [.email])
        #expect(emailOnly.detect(in: "a@b.co 4111 1111 1111 1111").map(\.type) == [.email])
        #expect(PIIDetector(enabled: []).detect(in: "a@b.co").isEmpty)
    }
}

/// Adversarial inputs that would make backtracking regular expressions blow up must stay fast.
@Suite("PII adversarial inputs")
struct PIIAdversarialInputTests {
    private static let inputs: [String: String] = [
        "digits": String(repeating: "1 ", count: 4_096), "initials": String(repeating: "A ", count: 4_096),
        "long local part": String(repeating: "a", count: 8_000) + "@",
        "at signs": String(repeating: "@a.", count: 2_700),
        "name list": String(repeating: "Anna, ", count: 1_400), "iban heads": String(repeating: "GB82 ", count: 1_600),
        "addresses": String(repeating: "12 Main Street\n", count: 540), "colons": String(repeating: "::", count: 4_096),
        "parens": String(repeating: "(1)-", count: 2_048), "escapes": String(repeating: "\\n", count: 4_096),
        "hex": String(repeating: "a1:", count: 2_730),
    ]

    @Test("8 KB adversarial inputs finish quickly", arguments: inputs.keys.sorted())
    func adversarial(_ name: String) {
        let text = Self.inputs[name] ?? ""
        let clock = ContinuousClock()
        let elapsed = clock.measure { _ = PIIDetector().detect(in: text) }
        #expect(elapsed < .seconds(5), "\(name) took \(elapsed)")
    }
}
