import Foundation
import ParleyKnowledge

/// Reads evaluation files: RFC 4180 CSV with a header row, and the CLINC150 `data_full.json` layout.
enum EvalData {
    /// Errors reading evaluation files.
    enum Failure: Error, CustomStringConvertible {
        /// The file could not be read or decoded.
        case unreadable(String)
        /// A required CSV column is missing.
        case missingColumn(String, file: String)

        var description: String {
            switch self {
            case .unreadable(let path): return "cannot read \(path)"
            case .missingColumn(let column, let file): return "\(file) has no column named one of \(column)"
            }
        }
    }

    /// Parses CSV text into rows of fields, honouring quoted fields with commas, quotes and newlines.
    static func parseCSV(_ text: String) -> [[String]] {
        CSVRows.parse(text)
    }

    /// Reads `path` as CSV and returns `(text, label)` pairs from the first matching text and label columns.
    static func labelledCSV(_ path: String, labelColumns: [String]) throws -> [(text: String, label: String)] {
        guard let data = FileManager.default.contents(atPath: path) else { throw Failure.unreadable(path) }
        let rows = parseCSV(String(decoding: data, as: UTF8.self))
        guard let header = rows.first else { return [] }
        let names = header.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        guard let textColumn = names.firstIndex(of: "text") else {
            throw Failure.missingColumn("text", file: path)
        }
        guard let labelColumn = names.firstIndex(where: { labelColumns.contains($0) }) else {
            throw Failure.missingColumn(labelColumns.joined(separator: "/"), file: path)
        }
        return rows.dropFirst().compactMap { row in
            guard row.count > max(textColumn, labelColumn) else { return nil }
            return (row[textColumn], row[labelColumn])
        }
    }

    /// Reads the CLINC150 `data_full.json` layout: a dictionary of split name to `[[text, intent]]`.
    static func clincSplits(_ path: String) throws -> [String: [(text: String, label: String)]] {
        guard let data = FileManager.default.contents(atPath: path),
            let splits = try JSONSerialization.jsonObject(with: data) as? [String: [[String]]]
        else { throw Failure.unreadable(path) }
        return splits.mapValues { rows in rows.compactMap { $0.count >= 2 ? ($0[0], $0[1]) : nil } }
    }
}
