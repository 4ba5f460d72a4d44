import Foundation

/// Scores a text by the share of a question's IDF weight that its terms cover.
struct OverlapScorer: Sendable {
    private let weights: [String: Double]
    private let total: Double

    /// Prepares the question's term weights, with IDF taken over `documents`.
    init(question: String, documents: [String]) {
        let documentTerms = documents.map { Set(LexicalTerms.terms(of: $0)) }
        let count = Double(documentTerms.count)
        var weights: [String: Double] = [:]
        for term in Set(LexicalTerms.terms(of: question)) {
            let frequency = Double(documentTerms.count { $0.contains(term) })
            weights[term] = log(1 + (count - frequency + 0.5) / (frequency + 0.5))
        }
        self.weights = weights
        total = weights.values.reduce(0, +)
    }

    /// Returns the covered share of the question's weight, in 0…1.
    func score(_ text: String) -> Double {
        guard total > 0 else { return 0 }
        let terms = Set(LexicalTerms.terms(of: text))
        return weights.reduce(0) { $0 + (terms.contains($1.key) ? $1.value : 0) } / total
    }
}
