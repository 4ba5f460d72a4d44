/// One result row: the statement's column names, shared by every row of a result, and this row's values.
struct SQLRow: Sendable {
    let columns: SQLColumns
    let values: [SQLValue]

    /// The value of the named column, or nil when the result has no such column.
    func column(_ name: String) -> SQLValue? {
        columns.index[name].map { values[$0] }
    }

    /// The value at a column position.
    subscript(position: Int) -> SQLValue { values[position] }
}

/// The column names of a result, and a name-to-position index built once per result.
final class SQLColumns: Sendable {
    let names: [String]
    let index: [String: Int]

    init(names: [String]) {
        self.names = names
        // A name that appears twice (a join) resolves to its first position, as SQL's own lookup would.
        self.index = Dictionary(names.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
    }
}
