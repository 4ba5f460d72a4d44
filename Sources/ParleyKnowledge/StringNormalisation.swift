import Foundation

extension String {
    /// The string with `\r\n` and `\r` line endings replaced by `\n`.
    func replacingLineEndings() -> String {
        replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
    }

    /// The string without leading and trailing whitespace and newlines.
    func trimmedWhitespace() -> String {
        trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The string with every run of whitespace made one space, and none at either end.
    ///
    /// One pass, building the result as it goes: splitting into words first would hold a 32-byte slice per word,
    /// hundreds of megabytes for an extracted file of millions of one-letter words.
    func collapsingWhitespace() -> String {
        var result = ""
        result.reserveCapacity(utf8.count)
        var pendingSpace = false
        for character in self {
            if character.isWhitespace {
                pendingSpace = !result.isEmpty
            } else {
                if pendingSpace { result.append(" ") }
                pendingSpace = false
                result.append(character)
            }
        }
        return result
    }
}
