/// The full BERT input pipeline: basic tokenization, WordPiece, `[CLS]`/`[SEP]` framing and truncation.
struct BertTokenizer: Sendable {
    /// The pre-tokenizer.
    let basic = BasicTokenizer()
    /// The piece splitter with its vocabulary.
    let wordPiece: WordPieceTokenizer
    /// The id of `[CLS]`, first in every sequence.
    let classifierID: Int32
    /// The id of `[SEP]`, last in every sequence.
    let separatorID: Int32
    /// The longest sequence produced, special tokens included.
    let maximumLength: Int

    /// Builds the tokenizer; the vocabulary must hold `[CLS]`, `[SEP]` and `[UNK]`.
    init(vocabulary: [String: Int32], maximumLength: Int) throws {
        guard let classifierID = vocabulary["[CLS]"], let separatorID = vocabulary["[SEP]"] else {
            throw EmbedderError.invalidVocabulary(path: "", reason: "no [CLS] or [SEP] token")
        }
        self.wordPiece = try WordPieceTokenizer(vocabulary: vocabulary)
        self.classifierID = classifierID
        self.separatorID = separatorID
        self.maximumLength = max(2, maximumLength)
    }

    /// The ids of `text`'s word pieces, without `[CLS]`/`[SEP]`, at most `limit` of them.
    func pieces(_ text: String, limit: Int) -> [Int32] {
        var ids: [Int32] = []
        appendPieces(of: text, to: &ids, limit: limit)
        return ids
    }

    /// The token ids of `text`: `[CLS]`, at most `maximumLength - 2` pieces, `[SEP]`.
    func encode(_ text: String) -> [Int32] {
        let limit = maximumLength - 2
        var ids: [Int32] = [classifierID]
        ids.reserveCapacity(min(limit, text.utf8.count) + 2)
        appendPieces(of: text, to: &ids, limit: limit)
        ids.append(separatorID)
        return ids
    }

    /// Appends the ids of `text`'s word pieces to `ids`, at most `limit` of them.
    private func appendPieces(of text: String, to ids: inout [Int32], limit: Int) {
        let end = ids.count + limit
        for word in basic.tokenize(text) {
            wordPiece.appendPieces(of: word, to: &ids)
            if ids.count >= end { break }
        }
        if ids.count > end { ids.removeLast(ids.count - end) }
    }
}
