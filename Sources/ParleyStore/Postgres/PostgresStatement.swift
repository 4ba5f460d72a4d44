/// Rewrites a statement written with `?` placeholders, the style the SQLite store uses, into PostgreSQL's `$1, $2…`.
///
/// Question marks inside quoted strings, quoted identifiers and comments are left alone. The store's statements use no
/// `jsonb` `?` operators, so every other question mark is a placeholder. It works on UTF-8 bytes: every character it
/// looks for is ASCII, and no byte of a multi-byte character is.
enum PostgresStatement {
    /// The statement with numbered placeholders, and how many it has.
    static func numbered(_ sql: String) -> (sql: String, placeholders: Int) {
        var output: [UInt8] = []
        output.reserveCapacity(sql.utf8.count + 32)
        var count = 0
        var quote: UInt8?
        var inLineComment = false
        var previous: UInt8 = 0
        for byte in sql.utf8 {
            defer { previous = byte }
            if inLineComment {
                if byte == UInt8(ascii: "\n") { inLineComment = false }
                output.append(byte)
                continue
            }
            if let open = quote {
                if byte == open { quote = nil }
                output.append(byte)
                continue
            }
            switch byte {
            case UInt8(ascii: "'"), UInt8(ascii: "\""):
                quote = byte
                output.append(byte)
            case UInt8(ascii: "-") where previous == UInt8(ascii: "-"):
                inLineComment = true
                output.append(byte)
            case UInt8(ascii: "?"):
                count += 1
                output.append(UInt8(ascii: "$"))
                output.append(contentsOf: String(count).utf8)
            default:
                output.append(byte)
            }
        }
        return (String(decoding: output, as: UTF8.self), count)
    }
}
