import Testing

@testable import ParleyUnderstanding

@Suite("Language detection")
struct LanguageDetectorTests {
    let detector = LanguageDetector()

    @Test(arguments: [
        ("Where is my package? It was supposed to arrive yesterday.", "en"),
        ("¿Dónde está mi pedido? Debía llegar ayer.", "es"),
        ("Wo ist meine Bestellung? Sie sollte gestern ankommen.", "de"),
        ("Où est ma commande ? Elle devait arriver hier.", "fr"),
        ("Onde está a minha encomenda? Devia ter chegado ontem.", "pt"),
        ("Dov'è il mio ordine? Doveva arrivare ieri.", "it"),
        ("Waar is mijn bestelling? Die zou gisteren aankomen.", "nl"),
        ("Gdzie jest moje zamówienie? Miało przyjść wczoraj.", "pl"),
        ("Siparişim nerede? Dün gelmesi gerekiyordu.", "tr"),
        ("Đơn hàng của tôi đâu? Lẽ ra nó phải đến hôm qua.", "vi"),
        ("Di mana pesanan saya? Seharusnya tiba kemarin.", "id"),
        ("Kde je moje objednávka? Měla dorazit včera.", "cs"),
        ("Var är min beställning? Den skulle komma igår.", "sv"),
        ("Где мой заказ? Он должен был прийти вчера.", "ru"),
        ("Де моє замовлення? Воно мало прийти вчора.", "uk"),
        ("أين طلبي؟ كان من المفترض أن يصل أمس.", "ar"),
        ("سفارش من کجاست؟ قرار بود دیروز برسد.", "fa"),
        ("我的订单在哪里？应该昨天到的。", "zh"),
        ("注文した商品はどこですか？昨日届くはずでした。", "ja"),
        ("제 주문은 어디에 있나요? 어제 도착했어야 했어요.", "ko"),
        ("ההזמנה שלי איפה? היא הייתה אמורה להגיע אתמול.", "he"),
        ("मेरा ऑर्डर कहाँ है? इसे कल आना था।", "hi"),
        ("คำสั่งซื้อของฉันอยู่ที่ไหน", "th"),
        ("Πού είναι η παραγγελία μου;", "el"),
    ])
    func detectsLanguage(text: String, expected: String) {
        let guess = detector.detect(text)
        #expect(guess.language == expected, "\(text)")
        #expect(guess.confidence > 0 && guess.confidence <= 1)
    }

    @Test func undeterminedWithoutLetters() {
        #expect(detector.detect("").language == LanguageGuess.undetermined)
        #expect(detector.detect("12345 !!! ???").language == LanguageGuess.undetermined)
        let emoji = String(repeating: "🎉", count: 2_048)
        let guess = detector.detect(emoji)
        #expect(!guess.isDetermined)
        #expect(guess.confidence == 0)
    }

    @Test func mixedScriptsFollowTheDominantScript() {
        #expect(detector.detect("iPhoneの画面が割れました").language == "ja")
        let mixed = detector.detect("My order 注文 is late and I am really upset about it")
        #expect(mixed.language == "en")
        #expect(mixed.confidence < 1)
    }

    @Test func candidateListRestrictsLatinLanguages() {
        let spanishOnly = LanguageDetector(languages: ["es"])
        #expect(spanishOnly.detect("Where is my order?").language == "es")
        #expect(LanguageDetector.availableLanguages.isSuperset(of: LanguageDetector.defaultLanguages))
    }
}
