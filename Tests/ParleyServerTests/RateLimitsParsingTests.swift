import Testing

@testable import ParleyServer

/// `PARLEY_RATE_LIMITS`: `unlimited`, or budgets set by name over the defaults; anything else is refused by name.
@Suite("Rate limits from the environment")
struct RateLimitsParsingTests {
    @Test("named budgets replace their defaults and leave the others alone")
    func namedBudgets() throws {
        let limits = try ServerConfiguration.fromEnvironment([
            "PARLEY_RATE_LIMITS": "visitor=30/8, visitor_messages=6/2,api_key=10/5"
        ]).rateLimits
        #expect(limits.visitor.perMinute == 30 && limits.visitor.burst == 8)
        #expect(limits.visitorMessages.perMinute == 6 && limits.visitorMessages.burst == 2)
        #expect(limits.apiKey.perMinute == 10 && limits.apiKey.burst == 5)
        let defaults = RateLimits()
        #expect(limits.widgetKey.perMinute == defaults.widgetKey.perMinute)
        #expect(limits.widgetKey.burst == defaults.widgetKey.burst)
    }

    @Test("unlimited lifts every budget")
    func unlimited() throws {
        let limits = try RateLimits(parsing: "unlimited")
        #expect(limits.visitor.burst >= 1_000_000 && limits.visitorMessages.burst >= 1_000_000)
        #expect(limits.widgetKey.burst >= 1_000_000 && limits.apiKey.burst >= 1_000_000)
    }

    @Test("unknown names, missing numbers and non-positive numbers are refused with the item named")
    func refusals() {
        for (text, named) in [
            ("visitors=1/1", "visitors"), ("visitor=10", "visitor=10"), ("visitor=0/5", "visitor=0/5"),
            ("visitor=a/b", "visitor=a/b"), ("limited", "limited"),
        ] {
            #expect {
                try RateLimits(parsing: text)
            } throws: { error in
                "\(error)".contains(named)
            }
        }
    }
}
