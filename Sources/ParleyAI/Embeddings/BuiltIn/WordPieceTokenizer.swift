import Foundation

/// WordPiece: splits a word greedily into the longest vocabulary pieces, continuation pieces prefixed with `##`.
///
/// A word longer than ``maximumCharactersPerWord`` scalars, or one that cannot be covered by vocabulary pieces, becomes
/// the single unknown token, as in HuggingFace's `WordpieceTokenizer`.
struct WordPieceTokenizer: Sendable {
    /// Words longer than this many Unicode scalars become the unknown token.
    static let maximumCharactersPerWord = 100

    /// Token ids by token text.
    let vocabulary: [String: Int32]
    /// The id of `[UNK]`.
    let unknownID: Int32

    /// Builds the tokenizer from a vocabulary that must contain `unknownToken`.
    init(vocabulary: [String: Int32], unknownToken: String = "[UNK]") throws {
        guard let unknownID = vocabulary[unknownToken] else {
            throw EmbedderError.invalidVocabulary(path: "", reason: "no \(unknownToken) token")
        }
        self.vocabulary = vocabulary
        self.unknownID = unknownID
    }

    /// Reads a `vocab.txt`: one token per line, the line number (from zero) being the token's id.
    static func loadVocabulary(from url: URL) throws -> (tokens: [String], ids: [String: Int32]) {
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw EmbedderError.missingFile(path: url.path)
        }
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw EmbedderError.unreadableFile(path: url.path, reason: "\(error)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw EmbedderError.invalidVocabulary(path: url.path, reason: "not UTF-8 text")
        }
        var tokens = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if tokens.last == "" { tokens.removeLast() }
        guard !tokens.isEmpty, tokens.count <= Int(Int32.max) else {
            throw EmbedderError.invalidVocabulary(path: url.path, reason: "\(tokens.count) tokens")
        }
        var ids: [String: Int32] = [:]
        ids.reserveCapacity(tokens.count)
        for (index, token) in tokens.enumerated() {
            ids[token] = Int32(index)  // a repeated token keeps its last line, as in HuggingFace's load_vocab
        }
        return (tokens, ids)
    }

    /// Appends the ids of `word`'s pieces to `ids`.
    func appendPieces(of word: String, to ids: inout [Int32]) {
        if let id = vocabulary[word] {
            ids.append(id)
            return
        }
        let scalars = Array(word.unicodeScalars)
        guard scalars.count <= Self.maximumCharactersPerWord else {
            ids.append(unknownID)
            return
        }
        var pieces: [Int32] = []
        var start = 0
        while start < scalars.count {
            var end = scalars.count
            var found: Int32?
            while start < end {
                var candidate = String.UnicodeScalarView()
                if start > 0 { candidate.append(contentsOf: "##".unicodeScalars) }
                candidate.append(contentsOf: scalars[start..<end])
                if let id = vocabulary[String(candidate)] {
                    found = id
                    break
                }
                end -= 1
            }
            guard let found else {
                ids.append(unknownID)
                return
            }
            pieces.append(found)
            start = end
        }
        ids.append(contentsOf: pieces)
    }
}
