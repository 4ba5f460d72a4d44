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
}
