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
        if path.hasSuffix(".csv") { return try csvFirstColumn(content, path: path) }
        if path.hasSuffix(".json") { return try clincTexts(data, path: path) }
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

    private static func clincTexts(_ data: Data, path: String) throws -> [String] {
        guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw LoadError.malformed(path)
        }
        var texts: [String] = []
        for key in ["test", "oos_test"] {
            guard let rows = object[key] as? [[Any]] else { throw LoadError.malformed(path) }
            texts += rows.compactMap { $0.first as? String }
        }
        return texts
    }

    /// Returns the first column of every data row of an RFC 4180 CSV (header skipped).
    private static func csvFirstColumn(_ content: String, path: String) throws -> [String] {
        var records: [[String]] = []
        var record: [String] = []
        var field = String.UnicodeScalarView()
        var inQuotes = false
        let scalars = Array(content.unicodeScalars)
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            index += 1
            if inQuotes {
                if scalar == "\"" {
                    if index < scalars.count && scalars[index] == "\"" {
                        field.append("\"")
                        index += 1
                    } else {
                        inQuotes = false
                    }
                } else {
                    field.append(scalar)
                }
            } else if scalar == "\"" {
                inQuotes = true
            } else if scalar == "," {
                record.append(String(field))
                field = String.UnicodeScalarView()
            } else if scalar == "\n" || scalar == "\r" {
                if !record.isEmpty || !field.isEmpty {
                    record.append(String(field))
                    records.append(record)
                }
                record = []
                field = String.UnicodeScalarView()
            } else {
                field.append(scalar)
            }
        }
        if !record.isEmpty || !field.isEmpty {
            record.append(String(field))
            records.append(record)
        }
        guard records.count > 1 else { throw LoadError.malformed(path) }
        return records.dropFirst().compactMap(\.first).filter { !$0.isEmpty }
    }
}
