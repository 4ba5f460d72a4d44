import Foundation

/// Light text normalisation for lexical matching: lowercase, punctuation stripped, English stop words dropped.
///
/// Words are runs of letters and digits, lowercased with diacritics kept; every Han, kana or Hangul character is a
/// term of its own. Single-letter Latin words and a short list of English stop words are dropped, and a plural
/// `s` is folded away (`cards` → `card`, but not `ss`, `us`, `is`).
enum LexicalTerms {
    /// Returns the terms of `text`, in order, with repeats.
    static func terms(of text: String) -> [String] {
        var terms: [String] = []
        var word = ""
        func endWord() {
            defer { word = "" }
            guard !word.isEmpty else { return }
            let lowered = word.lowercased()
            if lowered.count == 1, lowered.allSatisfy(\.isASCII) { return }
            if stopWords.contains(lowered) { return }
            terms.append(folded(lowered))
        }
        for character in text {
            if ChunkTokenEstimator.isIdeographic(character) {
                endWord()
                terms.append(String(character))
            } else if character.isLetter || character.isNumber {
                word.append(character)
            } else {
                endWord()
            }
        }
        endWord()
        return terms
    }

    /// The query a full-text engine is given for visitor text: its words without English stop words (the engine
    /// stems them itself); the text as it is when nothing else is left.
    static func searchQuery(for text: String) -> String {
        let words = text.split { !$0.isLetter && !$0.isNumber }.filter { word in
            let lowered = word.lowercased()
            return !stopWords.contains(lowered) && !(lowered.count == 1 && lowered.allSatisfy(\.isASCII))
        }
        return words.isEmpty ? text : words.joined(separator: " ")
    }

    /// The word without a plural `s`.
    private static func folded(_ word: String) -> String {
        guard word.count > 3, word.hasSuffix("s"), !word.hasSuffix("ss"), !word.hasSuffix("us"),
            !word.hasSuffix("is")
        else { return word }
        return String(word.dropLast())
    }

    /// Common English function words, which carry no topic.
    static let stopWords: Set<String> = [
        "about", "am", "an", "and", "any", "are", "as", "at", "be", "been", "being", "but", "by", "can", "could",
        "did", "do", "does", "doing", "for", "from", "had", "has", "have", "having", "he", "her", "here", "hers",
        "him", "his", "how", "if", "in", "into", "is", "it", "its", "itself", "just", "me", "might", "my", "myself",
        "of", "on", "or", "our", "ours", "please", "she", "should", "so", "some", "than", "that", "the", "their",
        "them", "then", "there", "these", "they", "this", "those", "to", "too", "us", "very", "was", "we", "were",
        "what", "when", "where", "which", "while", "who", "whom", "why", "will", "with", "would", "you", "your",
        "yours", "yourself",
    ]
}
