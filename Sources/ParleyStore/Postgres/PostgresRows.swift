import Foundation
import NIOCore
import ParleyCore
import PostgresNIO

/// Conversions between the store's neutral values and PostgresNIO's bindings and rows.
enum PostgresRows {
    /// The values as statement bindings.
    static func bindings(_ values: [SQLValue]) -> PostgresBindings {
        var bindings = PostgresBindings(capacity: values.count)
        for value in values {
            switch value {
            case .integer(let integer): bindings.append(integer)
            case .float(let double): bindings.append(double)
            case .text(let text): bindings.append(NULCharacter.replaced(in: text))  // `text` cannot hold U+0000
            case .blob(let bytes): bindings.append(ByteBuffer(bytes: bytes))
            case .null: bindings.appendNull()
            }
        }
        return bindings
    }

    /// Reads every row of a result into neutral rows that share one column index.
    static func collect(_ sequence: PostgresRowSequence) async throws -> [SQLRow] {
        var rows: [SQLRow] = []
        var columns: SQLColumns?
        for try await row in sequence {
            let shared = columns ?? SQLColumns(names: row.map(\.columnName))
            columns = shared
            rows.append(SQLRow(columns: shared, values: try row.map(value)))
        }
        return rows
    }

    /// Collected rows as neutral rows that share one column index.
    static func collect(_ collected: [PostgresRow]) throws -> [SQLRow] {
        guard let first = collected.first else { return [] }
        let columns = SQLColumns(names: first.map(\.columnName))
        return try collected.map { SQLRow(columns: columns, values: try $0.map(value)) }
    }

    /// One cell as a neutral value; types the store does not read directly arrive as their text.
    private static func value(_ cell: PostgresCell) throws -> SQLValue {
        guard cell.bytes != nil else { return .null }
        switch cell.dataType {
        case .int2, .int4, .int8: return .integer(try cell.decode(Int.self))
        case .float4, .float8: return .float(try cell.decode(Double.self))
        case .numeric: return .float(NSDecimalNumber(decimal: try cell.decode(Decimal.self)).doubleValue)
        case .bool: return .integer(try cell.decode(Bool.self) ? 1 : 0)
        case .bytea: return .blob(Array(buffer: try cell.decode(ByteBuffer.self)))
        default: return .text(try cell.decode(String.self))
        }
    }
}
