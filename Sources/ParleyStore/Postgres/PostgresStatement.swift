/// Rewrites a statement written with `?` placeholders, the style the SQLite store uses, into PostgreSQL's `$1, $2…`.
///
/// Question marks inside quoted strings, quoted identifiers and comments are left alone. The store's statements use no
/// `jsonb` `?` operators, so every other question mark is a placeholder.
enum PostgresStatement {
    /// The statement with numbered placeholders, and how many it has.
    static func numbered(_ sql: String) -> (sql: String, placeholders: Int) {
        var output = ""
        output.reserveCapacity(sql.utf8.count + 16)
        var count = 0
        var quote: Character?
        var inLineComment = false
        var previous: Character?
        for character in sql {
            defer { previous = character }
            if inLineComment {
                if character == "\n" { inLineComment = false }
                output.append(character)
                continue
            }
            if let open = quote {
                if character == open { quote = nil }
                output.append(character)
                continue
            }
            switch character {
            case "'", "\"":
                quote = character
                output.append(character)
            case "-" where previous == "-":
                inLineComment = true
                output.append(character)
            case "?":
                count += 1
                output += "$\(count)"
            default:
                output.append(character)
            }
        }
        return (output, count)
    }
}
