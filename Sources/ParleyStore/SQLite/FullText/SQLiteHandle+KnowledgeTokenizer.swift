import VaporCSQLite

extension SQLiteHandle {
    /// This connection's knowledge tokenizer, set up on first use.
    func knowledgeTokenizer() throws -> FTS5Tokenizer {
        if let fullTextTokenizer { return fullTextTokenizer }
        guard let connection else { throw SQLiteFailure(code: SQLITE_MISUSE, message: "the connection is closed") }
        let tokenizer = try FTS5Tokenizer(connection: connection)
        fullTextTokenizer = tokenizer
        return tokenizer
    }
}
