import Foundation

/// A FAQ chunk's text, `"Q: question\nA: answer"`, taken apart.
struct FAQText: Sendable, Equatable {
    /// The question, without its `Q: ` label.
    var question: String
    /// The answer, without its `A: ` label.
    var answer: String

    /// Parses `text`, or returns `nil` if it is not a FAQ chunk.
    init?(_ text: String) {
        guard text.hasPrefix("Q: "), let marker = text.range(of: "\nA: ") else { return nil }
        question = String(text[text.index(text.startIndex, offsetBy: 3)..<marker.lowerBound])
        answer = String(text[marker.upperBound...])
    }
}
