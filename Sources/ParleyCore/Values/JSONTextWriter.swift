import Foundation

/// A value that writes its own compact JSON text, byte for byte what `JSONEncoder` with sorted keys writes.
///
/// Foundation's encoder boxes every value into a tree, sorts, then serialises; on the message route that was a
/// quarter of the request threads' time (Benchmarks/README.md). The few types written on every message conform;
/// everything else keeps using `JSONEncoder`. A conforming type lists its members in sorted key order, omits nil
/// members as `encodeIfPresent` does, and is checked against `JSONEncoder` by a test.
public protocol JSONTextWritable: Encodable {
    /// Appends the value's JSON text to `writer`.
    func writeJSON(to writer: inout JSONTextWriter) throws
}

/// Compact JSON text appended to a byte buffer.
///
/// Containers need no bookkeeping from the caller: `beginObject`/`member`/`endObject` and
/// `beginArray`/`element`/`endArray` place the commas.
public struct JSONTextWriter {
    /// The UTF-8 text written so far.
    public private(set) var bytes: [UInt8] = []
    /// Whether the innermost open container has no item yet.
    private var isFirstItem = true

    /// An empty writer.
    public init() {
        bytes.reserveCapacity(256)
    }

    /// The text written so far.
    public var text: String { String(decoding: bytes, as: UTF8.self) }

    /// Writes `value` as a whole document and returns its text.
    public static func text(of value: some JSONTextWritable) throws -> String {
        var writer = JSONTextWriter()
        try value.writeJSON(to: &writer)
        return writer.text
    }

    /// Writes `value` as a whole document and returns its bytes.
    public static func bytes(of value: some JSONTextWritable) throws -> [UInt8] {
        var writer = JSONTextWriter()
        try value.writeJSON(to: &writer)
        return writer.bytes
    }

    // MARK: Containers

    /// Opens an object.
    public mutating func beginObject() {
        bytes.append(UInt8(ascii: "{"))
        isFirstItem = true
    }

    /// Writes one member; members must come in sorted key order.
    public mutating func member(_ key: String, _ value: some JSONTextWritable) throws {
        writeKey(key)
        try value.writeJSON(to: &self)
        isFirstItem = false
    }

    /// Writes one member when `value` is not nil, as `encodeIfPresent` does.
    public mutating func member(_ key: String, ifPresent value: (some JSONTextWritable)?) throws {
        if let value { try member(key, value) }
    }

    /// Writes one member whose value is a date, as `JSONEncoder`'s `.iso8601` strategy does.
    public mutating func member(_ key: String, iso8601 date: Date) {
        writeKey(key)
        writeISO8601(date)
        isFirstItem = false
    }

    /// Closes the innermost object.
    public mutating func endObject() {
        bytes.append(UInt8(ascii: "}"))
        isFirstItem = false
    }

    /// Opens an array.
    public mutating func beginArray() {
        bytes.append(UInt8(ascii: "["))
        isFirstItem = true
    }

    /// Writes one element of the innermost array.
    public mutating func element(_ value: some JSONTextWritable) throws {
        separate()
        try value.writeJSON(to: &self)
        isFirstItem = false
    }

    /// Closes the innermost array.
    public mutating func endArray() {
        bytes.append(UInt8(ascii: "]"))
        isFirstItem = false
    }

    /// 1582-10-15T00:00:00Z and 10000-01-01T00:00:00Z, in seconds since 2001: the dates written without Foundation.
    private static let firstGregorianDay: TimeInterval = -13_197_600_000
    private static let yearTenThousand: TimeInterval = 252_423_993_600

    private static let hexDigits = Array("0123456789abcdef".utf8)

    private mutating func writeKey(_ key: String) {
        separate()
        writeString(key)
        bytes.append(UInt8(ascii: ":"))
    }

    private mutating func separate() {
        if !isFirstItem { bytes.append(UInt8(ascii: ",")) }
    }

    // MARK: Scalars

    /// Writes `null`.
    public mutating func writeNull() {
        bytes.append(contentsOf: "null".utf8)
    }

    /// Writes `true` or `false`.
    public mutating func writeBool(_ value: Bool) {
        bytes.append(contentsOf: (value ? "true" : "false").utf8)
    }

    /// Writes an integer.
    public mutating func writeInt(_ value: Int) {
        bytes.append(contentsOf: String(value).utf8)
    }

    /// Writes a number as `JSONEncoder` does: Swift's shortest form without a trailing `.0`; not a number or an
    /// infinity throws, as `JSONEncoder`'s default strategy does.
    public mutating func writeDouble(_ value: Double) throws {
        guard value.isFinite else {
            throw EncodingError.invalidValue(
                value, EncodingError.Context(codingPath: [], debugDescription: "\(value) is not valid in JSON"))
        }
        var text = value.description
        if text.hasSuffix(".0") { text.removeLast(2) }
        bytes.append(contentsOf: text.utf8)
    }

    /// Writes a string with `JSONEncoder`'s escapes: quote, backslash, slash, the named control characters, and
    /// `\u00xx` for the other control characters.
    public mutating func writeString(_ value: String) {
        bytes.append(UInt8(ascii: "\""))
        var value = value
        value.withUTF8 { utf8 in
            // Runs of bytes that need no escape are appended whole; most strings are one run.
            var runStart = 0
            for index in 0..<utf8.count {
                let byte = utf8[index]
                guard
                    byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte == UInt8(ascii: "/")
                else { continue }
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<index]))
                writeEscape(of: byte)
                runStart = index + 1
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart...]))
        }
        bytes.append(UInt8(ascii: "\""))
    }

    /// Writes the escape of one byte that JSON text cannot carry as it is.
    private mutating func writeEscape(of byte: UInt8) {
        bytes.append(UInt8(ascii: "\\"))
        switch byte {
        case 0x0A: bytes.append(UInt8(ascii: "n"))
        case 0x0D: bytes.append(UInt8(ascii: "r"))
        case 0x09: bytes.append(UInt8(ascii: "t"))
        case 0x08: bytes.append(UInt8(ascii: "b"))
        case 0x0C: bytes.append(UInt8(ascii: "f"))
        case 0..<0x20:
            let hex = Self.hexDigits
            bytes.append(contentsOf: [
                UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), hex[Int(byte >> 4)], hex[Int(byte & 0xF)],
            ])
        default: bytes.append(byte)  // the quote, the backslash and the slash
        }
    }

    /// Writes a date as `JSONEncoder`'s `.iso8601` strategy does: UTC, whole seconds (rounded down), `Z`.
    ///
    /// Dates from the Gregorian calendar's first day (1582-10-15) up to the year 10000 are written here; `JSONEncoder`
    /// writes the others (its formatter switches to the Julian calendar before, and years then take five digits).
    public mutating func writeISO8601(_ date: Date) {
        let sinceReference = date.timeIntervalSinceReferenceDate.rounded(.down)
        guard (Self.firstGregorianDay..<Self.yearTenThousand).contains(sinceReference) else {
            let encoder = JSONEncoder()
            encoder.dateEncodingStrategy = .iso8601
            if let text = try? encoder.encode(date) {
                bytes.append(contentsOf: text)
            } else {
                writeString(date.formatted(.iso8601))
            }
            return
        }
        // Rounded down since 2001 as Foundation does; 1970 is a whole number of seconds before that.
        var seconds = time_t(sinceReference) + 978_307_200
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func digits(_ value: Int32, _ count: Int) {
            var divisor: Int32 = 1
            for _ in 1..<count { divisor *= 10 }
            var rest = value
            while divisor > 0 {
                bytes.append(UInt8(ascii: "0") + UInt8(rest / divisor))
                rest %= divisor
                divisor /= 10
            }
        }
        bytes.append(UInt8(ascii: "\""))
        digits(parts.tm_year + 1900, 4)
        bytes.append(UInt8(ascii: "-"))
        digits(parts.tm_mon + 1, 2)
        bytes.append(UInt8(ascii: "-"))
        digits(parts.tm_mday, 2)
        bytes.append(UInt8(ascii: "T"))
        digits(parts.tm_hour, 2)
        bytes.append(UInt8(ascii: ":"))
        digits(parts.tm_min, 2)
        bytes.append(UInt8(ascii: ":"))
        digits(parts.tm_sec, 2)
        bytes.append(contentsOf: "Z\"".utf8)
    }
}

extension String: JSONTextWritable {
    /// Writes the string, escaped.
    public func writeJSON(to writer: inout JSONTextWriter) { writer.writeString(self) }
}

extension Int: JSONTextWritable {
    /// Writes the integer.
    public func writeJSON(to writer: inout JSONTextWriter) { writer.writeInt(self) }
}

extension Bool: JSONTextWritable {
    /// Writes `true` or `false`.
    public func writeJSON(to writer: inout JSONTextWriter) { writer.writeBool(self) }
}

extension Double: JSONTextWritable {
    /// Writes the number; throws for a value JSON cannot hold.
    public func writeJSON(to writer: inout JSONTextWriter) throws { try writer.writeDouble(self) }
}

extension Array: JSONTextWritable where Element: JSONTextWritable {
    /// Writes the elements in order.
    public func writeJSON(to writer: inout JSONTextWriter) throws {
        writer.beginArray()
        for element in self { try writer.element(element) }
        writer.endArray()
    }
}

extension Dictionary: JSONTextWritable where Key == String, Value: JSONTextWritable {
    /// Writes the members in sorted key order.
    public func writeJSON(to writer: inout JSONTextWriter) throws {
        writer.beginObject()
        // Foundation sorts keys by their UTF-8 bytes, not by `String`'s `<` (which compares normalised forms).
        for (key, value) in sorted(by: { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }) {
            try writer.member(key, value)
        }
        writer.endObject()
    }
}
