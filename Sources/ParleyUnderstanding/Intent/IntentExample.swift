/// One labelled training utterance: the text a customer typed and the intent it expresses.
public struct IntentExample: Sendable, Codable, Hashable {
    /// The utterance.
    public var text: String
    /// The intent label, such as `card_arrival`.
    public var intent: String

    /// Creates an example.
    public init(text: String, intent: String) {
        self.text = text
        self.intent = intent
    }
}
