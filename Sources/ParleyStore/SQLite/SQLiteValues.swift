import Foundation
import ParleyCore

/// Conversions between domain values and SQLite column values.
enum SQLiteValues {
    static func date(_ date: Date) -> SQLiteValue { .float(date.timeIntervalSince1970) }

    static func optionalDate(_ date: Date?) -> SQLiteValue { date.map(Self.date) ?? .null }

    static func text(_ value: String?) -> SQLiteValue { value.map { .text($0) } ?? .null }

    static func json(_ value: some Encodable) throws -> SQLiteValue {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return .text(String(decoding: try encoder.encode(value), as: UTF8.self))
    }
}

/// A column that is missing or of the wrong type: the schema and the code disagree.
struct SQLiteColumnError: Error, CustomStringConvertible {
    var column: String
    var description: String { "column '\(column)' is missing or has an unexpected type" }
}

extension SQLiteRow {
    func string(_ column: String) throws -> String {
        guard let value = self.column(column)?.string else { throw SQLiteColumnError(column: column) }
        return value
    }

    func optionalString(_ column: String) -> String? {
        guard let data = self.column(column), !data.isNull else { return nil }
        return data.string
    }

    func int(_ column: String) throws -> Int {
        guard let value = self.column(column)?.integer else { throw SQLiteColumnError(column: column) }
        return Int(value)
    }

    func date(_ column: String) throws -> Date {
        guard let value = self.column(column)?.double else { throw SQLiteColumnError(column: column) }
        return Date(timeIntervalSince1970: value)
    }

    func optionalDate(_ column: String) -> Date? {
        guard let data = self.column(column), !data.isNull, let value = data.double else { return nil }
        return Date(timeIntervalSince1970: value)
    }

    func json<T: Decodable>(_ column: String, as type: T.Type) throws -> T {
        try JSONDecoder().decode(type, from: Data(try string(column).utf8))
    }

    func id<Entity>(_ column: String) throws -> Identifier<Entity> { Identifier(try string(column)) }

    func optionalID<Entity>(_ column: String) -> Identifier<Entity>? {
        optionalString(column).map { Identifier(rawValue: $0) }
    }
}
