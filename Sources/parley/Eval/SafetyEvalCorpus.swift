import Foundation

/// Loads evaluation texts for the PII and injection evaluations: plain text (one message per line),
/// Banking77-style CSV (`text,category`), and CLINC150 `data_full.json` (`test` and `oos_test` rows).
enum SafetyEvalCorpus {
    /// Errors raised while reading a corpus file.
    enum LoadError: Error, CustomStringConvertible {
        case unreadable(String)
        case malformed(String)

        var description: String {
            switch self {
            case .unreadable(let path): return "cannot read \(path)"
            case .malformed(let path): return "unexpected format in \(path)"
            }
        }
    }

    /// Returns the message texts in `path`, choosing the reader by file extension.
    static func benignTexts(at path: String) throws -> [String] {
        guard let data = FileManager.default.contents(atPath: path) else { throw LoadError.unreadable(path) }
        let content = String(decoding: data, as: UTF8.self)
        if path.hasSuffix(".csv") { return csvFirstColumn(content) }
        if path.hasSuffix(".json") { return try clincTexts(path) }
        return content.split(whereSeparator: \.isNewline).map(String.init).filter { !$0.isEmpty }
    }

    /// Reads JSON Lines: one decoded value per non-empty line.
    static func jsonLines<Row: Decodable>(_ type: Row.Type, at path: String) throws -> [Row] {
        guard let data = FileManager.default.contents(atPath: path) else { throw LoadError.unreadable(path) }
        let decoder = JSONDecoder()
        return try data.split(separator: UInt8(ascii: "\n")).filter { !$0.isEmpty }.map {
            try decoder.decode(Row.self, from: Data($0))
        }
    }

    /// The `test` and `oos_test` texts of a CLINC150 `data_full.json`.
    private static func clincTexts(_ path: String) throws -> [String] {
        let splits = try EvalData.clincSplits(path)
        guard let test = splits["test"], let outOfScope = splits["oos_test"] else { throw LoadError.malformed(path) }
        return (test + outOfScope).map(\.text)
    }

    /// The first column of every data row of a CSV file (header skipped).
    private static func csvFirstColumn(_ content: String) -> [String] {
        EvalData.parseCSV(content).dropFirst().compactMap { $0.first }.filter { !$0.isEmpty }
    }
}
