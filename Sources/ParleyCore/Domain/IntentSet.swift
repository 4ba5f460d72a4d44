import Foundation

/// A tenant's intents: each with example utterances, and the confidence below which a message is out of scope.
public struct IntentSet: Sendable, Codable, Equatable {
    /// One intent and the utterances that teach it.
    public struct Intent: Sendable, Codable, Equatable {
        /// The intent's name (`refund`, `card_arrival`).
        public var name: String
        /// Example utterances.
        public var examples: [String]

        /// Makes an intent.
        public init(name: String, examples: [String]) {
            self.name = name
            self.examples = examples
        }
    }

    /// The intents.
    public var intents: [Intent]
    /// Below this confidence the prediction is `out_of_scope`.
    public var outOfScopeThreshold: Double

    /// Makes an intent set.
    public init(intents: [Intent], outOfScopeThreshold: Double = IntentSet.defaultThreshold) {
        self.intents = intents
        self.outOfScopeThreshold = outOfScopeThreshold
    }

    /// The threshold when the tenant sets none.
    public static let defaultThreshold = 0.35

    /// Limits a set must respect: names, counts and lengths.
    public static let maxIntents = 500
    /// See `maxIntents`.
    public static let maxExamples = 50_000
    /// See `maxIntents`.
    public static let maxExampleCharacters = 500

    /// Problems with the set, empty when it can be trained.
    public func problems() -> [String] {
        var problems: [String] = []
        if intents.count < 2 { problems.append("at least two intents are needed") }
        if intents.count > Self.maxIntents { problems.append("at most \(Self.maxIntents) intents") }
        if !(0...1).contains(outOfScopeThreshold) { problems.append("out_of_scope_threshold must be from 0 to 1") }
        var seen: Set<String> = []
        for intent in intents {
            if !Self.isValidName(intent.name) {
                problems.append("intent name '\(intent.name.prefix(60))' must match ^[a-z0-9][a-z0-9_.-]{0,63}$")
            } else if !seen.insert(intent.name).inserted {
                problems.append("intent '\(intent.name)' appears twice")
            }
            if intent.name == "out_of_scope" { problems.append("'out_of_scope' is reserved") }
            let usable = intent.examples.filter { !$0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }
            if usable.isEmpty { problems.append("intent '\(intent.name.prefix(60))' needs at least one example") }
            if intent.examples.contains(where: { $0.count > Self.maxExampleCharacters }) {
                problems.append("examples of '\(intent.name.prefix(60))' must be at most 500 characters")
            }
        }
        if intents.reduce(0, { $0 + $1.examples.count }) > Self.maxExamples {
            problems.append("at most \(Self.maxExamples) examples in all")
        }
        return problems
    }

    private static func isValidName(_ name: String) -> Bool {
        guard (1...64).contains(name.count), let first = name.first, first.isASCII, first.isLowercase || first.isNumber
        else { return false }
        return name.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber || "_.-".contains($0)) }
    }

    /// Decodes a set; a missing threshold takes `defaultThreshold`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        intents = try container.decode([Intent].self, forKey: .intents)
        outOfScopeThreshold =
            try container.decodeIfPresent(Double.self, forKey: .outOfScopeThreshold) ?? Self.defaultThreshold
    }

    enum CodingKeys: String, CodingKey {
        case intents
        case outOfScopeThreshold = "out_of_scope_threshold"
    }
}
