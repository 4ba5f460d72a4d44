import Foundation

/// The output shape every `parley eval` command shares: a readable table, then one JSON object as the last line.
struct EvalReport<Summary: Encodable> {
    /// Column titles of the table.
    var header: [String]
    /// Table rows; each row has one cell per header column.
    var rows: [[String]]
    /// The figures printed as the final JSON line.
    var summary: Summary

    /// Prints the aligned table followed by the JSON summary on its own last line.
    func print() throws {
        let widths = header.indices.map { column in
            ([header] + rows).map { $0.indices.contains(column) ? $0[column].count : 0 }.max() ?? 0
        }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { index, cell in
                cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }
        Swift.print(line(header))
        Swift.print(line(widths.map { String(repeating: "-", count: $0) }))
        for row in rows { Swift.print(line(row)) }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        Swift.print(String(decoding: try encoder.encode(summary), as: UTF8.self))
    }
}
