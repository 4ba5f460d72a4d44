/// Card issuer networks, identified from the leading digits (IIN ranges) and the length.
enum CardNetwork: String, Sendable, CaseIterable {
    case visa, mastercard, amex, discover, maestro, jcb, diners, unionPay

    /// Identifies the network of a full card number, or nil when no known range and length fit.
    static func identify(_ digits: [UInt8]) -> CardNetwork? {
        let length = digits.count
        func prefix(_ count: Int) -> Int {
            digits.prefix(count).reduce(0) { $0 * 10 + Int($1) }
        }
        let p1 = prefix(1)
        let p2 = prefix(2)
        let p3 = prefix(3)
        let p4 = prefix(4)
        let p6 = prefix(6)
        if p1 == 4 && [13, 16, 19].contains(length) { return .visa }
        if ((51...55).contains(p2) || (2221...2720).contains(p4)) && length == 16 { return .mastercard }
        if (p2 == 34 || p2 == 37) && length == 15 { return .amex }
        if (p4 == 6011 || p2 == 65 || (644...649).contains(p3) || (622_126...622_925).contains(p6))
            && (16...19).contains(length)
        {
            return .discover
        }
        // JCB's assigned range is 3528–3589; the rest of the 35 block is accepted too, as test generators use it.
        if p2 == 35 && (16...19).contains(length) { return .jcb }
        if (p4 == 2131 || p4 == 1800) && length == 15 { return .jcb }
        if ((300...305).contains(p3) || p2 == 36 || p2 == 38 || p2 == 39 || p4 == 3095) && (14...19).contains(length) {
            return .diners
        }
        if p2 == 62 && (16...19).contains(length) { return .unionPay }
        let maestroPrefixes: Set<Int> = [5018, 5020, 5038, 5893, 6304, 6759, 6761, 6762, 6763, 604, 6390]
        if (maestroPrefixes.contains(p4) || maestroPrefixes.contains(p3) || p2 == 50 || (56...69).contains(p2))
            && (12...19).contains(length)
        {
            return .maestro
        }
        return nil
    }
}
