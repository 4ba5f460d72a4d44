/// Estimates token counts when a provider reports no usage (a stream without `include_usage`, an old server).
///
/// The approximation, documented because bills depend on it:
/// - Latin, Cyrillic and similar text: about 4 characters per token (OpenAI's rule of thumb for English with
///   cl100k/o200k), counted as `ceil(characters / 4)`, but never fewer than `ceil(words × 4 / 3)` — the other
///   rule of thumb, which is closer for short-word text.
/// - Han, kana and Hangul: one token per character (BPE vocabularies rarely merge them).
/// - A prompt adds 4 tokens per message (role and separators) and 3 for the reply's priming, as in OpenAI's
///   cookbook counting recipe.
///
/// Expect ±20 % against a real tokenizer on prose; estimates are flagged with ``TokenUsage/isEstimated``.
public enum TokenEstimator {
    /// Tokens added per message of a prompt.
    public static let tokensPerMessage = 4
    /// Tokens added once per prompt for the reply's priming.
    public static let tokensPerReply = 3

    /// The estimated token count of `text`.
    public static func tokens(in text: String) -> Int {
        var ideographs = 0
        var others = 0
        var words = 0
        var inWord = false
        for scalar in text.unicodeScalars {
            if isIdeographic(scalar) {
                ideographs += 1
                inWord = false
            } else if scalar.properties.isWhitespace {
                inWord = false
            } else {
                others += 1
                if !inWord { words += 1 }
                inWord = true
            }
        }
        let byCharacters = (others + 3) / 4
        let byWords = (words * 4 + 2) / 3
        return ideographs + max(byCharacters, byWords)
    }

    /// The estimated prompt tokens of `messages`.
    public static func promptTokens(of messages: [ChatMessage]) -> Int {
        messages.reduce(tokensPerReply) { $0 + tokensPerMessage + tokens(in: $1.content) }
    }

    /// An estimated usage for a request and its reply text.
    public static func usage(for request: ChatRequest, completion: String) -> TokenUsage {
        TokenUsage(
            promptTokens: promptTokens(of: request.messages),
            completionTokens: tokens(in: completion),
            isEstimated: true
        )
    }

    private static func isIdeographic(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x3040...0x30FF,  // Hiragana, Katakana
            0x3400...0x4DBF,  // CJK Extension A
            0x4E00...0x9FFF,  // CJK Unified Ideographs
            0xAC00...0xD7AF,  // Hangul syllables
            0xF900...0xFAFF,  // CJK Compatibility Ideographs
            0x20000...0x2FA1F:  // CJK Extensions B–F and supplements
            true
        default:
            false
        }
    }
}
