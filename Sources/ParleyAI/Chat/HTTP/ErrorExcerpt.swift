import Foundation

/// Short, secret-free excerpts of provider error bodies for ``ProviderError`` messages.
enum ErrorExcerpt {
    /// The longest excerpt kept, in characters.
    static let maximumLength = 240

    /// The message of an OpenAI-style error body, or the start of any other body, scrubbed of secrets.
    static func make(from body: [UInt8], secret: String?) -> String {
        if let parsed = try? JSONDecoder().decode(WireErrorBody.self, from: Data(body)) {
            let summary = parsed.error.summary
            if !summary.isEmpty { return scrub(summary, secret: secret) }
        }
        return scrub(String(decoding: body.prefix(4 * maximumLength), as: UTF8.self), secret: secret)
    }

    /// Removes the API key and anything shaped like a key, collapses whitespace and truncates.
    ///
    /// Servers do echo keys: OpenAI's 401 says `Incorrect API key provided: sk-proj-****abcd`.
    static func scrub(_ text: String, secret: String?) -> String {
        var text = text
        if let secret, secret.count >= 4 {
            text = text.replacingOccurrences(of: secret, with: "[redacted]")
        }
        let words = text.split(whereSeparator: { $0.isWhitespace || $0.isNewline }).map { word -> Substring in
            looksLikeKey(word) ? "[redacted]" : word
        }
        let collapsed = words.joined(separator: " ")
        guard collapsed.count > maximumLength else { return collapsed }
        return String(collapsed.prefix(maximumLength)) + "…"
    }

    /// A word that starts like an OpenAI key (`sk-…`) or is a long unbroken token of key characters.
    private static func looksLikeKey(_ word: Substring) -> Bool {
        let trimmed = word.trimmingCharacters(in: CharacterSet(charactersIn: ".,;:'\"()[]{}"))
        if trimmed.hasPrefix("sk-") && trimmed.count > 8 { return true }
        guard trimmed.count >= 32 else { return false }
        let keyCharacters = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-_*"))
        let hasDigit = trimmed.unicodeScalars.contains { CharacterSet.decimalDigits.contains($0) }
        return hasDigit && trimmed.unicodeScalars.allSatisfy { keyCharacters.contains($0) }
    }
}

extension Substring {
    fileprivate func trimmingCharacters(in set: CharacterSet) -> String {
        String(self).trimmingCharacters(in: set)
    }
}
