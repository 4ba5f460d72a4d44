/// Strict JSON text (RFC 8259) read into a `JSONValue`, the counterpart of `JSONTextWriter`.
///
/// Foundation's `JSONDecoder` costs several microseconds a call before it reads a byte, and decoding a `JSONValue`
/// through it throws and catches once per wrong guess of each value's kind. The message route reads a request body
/// and a few JSON columns on every message, so those go through this reader (Benchmarks/README.md); everything else
/// keeps using `JSONDecoder`. The reader accepts exactly what the RFC accepts, any value at the top level included:
/// no comments, no trailing commas, no lone surrogates, no numbers that overflow a `Double`. Nesting is limited to
/// `maxDepth`. A repeated key keeps its first value and a leading UTF-8 byte order mark is skipped, as `JSONDecoder`
/// does.
public enum JSONTextReader {
    /// Why a text is not JSON, and at which byte.
    public struct Failure: Error, Equatable, CustomStringConvertible {
        /// The offset of the byte where reading stopped.
        public var offset: Int
        /// What was wrong there.
        public var reason: String

        public var description: String { "\(reason) at byte \(offset)" }
    }

    /// The deepest nesting of arrays and objects read.
    public static let maxDepth = 512

    /// Reads `text` as one JSON value.
    public static func value(of text: String) throws -> JSONValue {
        var text = text
        return try text.withUTF8 { bytes in try value(of: bytes) }
    }

    /// Reads UTF-8 `bytes` as one JSON value; bytes that are not UTF-8 fail.
    public static func value(of bytes: some Collection<UInt8>) throws -> JSONValue {
        if let contiguous = try bytes.withContiguousStorageIfAvailable({ try value(of: $0) }) { return contiguous }
        return try Array(bytes).withUnsafeBufferPointer { try value(of: $0) }
    }

    /// Reads UTF-8 `bytes` as one JSON value.
    public static func value(of bytes: UnsafeBufferPointer<UInt8>) throws(Failure) -> JSONValue {
        var cursor = Cursor(bytes: bytes)
        // RFC 8259 lets a reader ignore a byte order mark; JSONDecoder does.
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { cursor.position = 3 }
        cursor.skipWhitespace()
        let value = try cursor.readValue(depth: 0)
        cursor.skipWhitespace()
        guard cursor.position == bytes.count else { throw cursor.failure("unexpected text after the value") }
        return value
    }

    /// A position in the text being read.
    private struct Cursor {
        let bytes: UnsafeBufferPointer<UInt8>
        var position = 0

        init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

        func failure(_ reason: String) -> Failure { Failure(offset: position, reason: reason) }

        var current: UInt8? { position < bytes.count ? bytes[position] : nil }

        mutating func skipWhitespace() {
            while position < bytes.count {
                switch bytes[position] {
                case 0x20, 0x09, 0x0A, 0x0D: position += 1
                default: return
                }
            }
        }

        mutating func readValue(depth: Int) throws(Failure) -> JSONValue {
            guard let byte = current else { throw failure("unexpected end of text") }
            switch byte {
            case UInt8(ascii: "{"): return try readObject(depth: depth + 1)
            case UInt8(ascii: "["): return try readArray(depth: depth + 1)
            case UInt8(ascii: "\""): return .string(try readString())
            case UInt8(ascii: "t"): return try readLiteral("true", .bool(true))
            case UInt8(ascii: "f"): return try readLiteral("false", .bool(false))
            case UInt8(ascii: "n"): return try readLiteral("null", .null)
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try readNumber())
            default: throw failure("unexpected character")
            }
        }

        /// Reads `word` and answers `value`.
        mutating func readLiteral(_ word: StaticString, _ value: JSONValue) throws(Failure) -> JSONValue {
            let count = word.utf8CodeUnitCount
            guard bytes.count - position >= count else { throw failure("unexpected end of text") }
            for index in 0..<count where bytes[position + index] != word.utf8Start[index] {
                throw failure("unexpected character")
            }
            position += count
            return value
        }

        mutating func readObject(depth: Int) throws(Failure) -> JSONValue {
            var members: [String: JSONValue] = [:]
            if try isEmptyContainer(closedBy: UInt8(ascii: "}"), depth: depth) { return .object(members) }
            repeat {
                guard current == UInt8(ascii: "\"") else { throw failure("expected a member name") }
                let key = try readString()
                skipWhitespace()
                guard current == UInt8(ascii: ":") else { throw failure("expected ':'") }
                position += 1
                skipWhitespace()
                let value = try readValue(depth: depth)
                if members[key] == nil { members[key] = value }
            } while try !isClosedAfterItem(by: UInt8(ascii: "}"))
            return .object(members)
        }

        mutating func readArray(depth: Int) throws(Failure) -> JSONValue {
            var elements: [JSONValue] = []
            if try isEmptyContainer(closedBy: UInt8(ascii: "]"), depth: depth) { return .array(elements) }
            repeat {
                elements.append(try readValue(depth: depth))
            } while try !isClosedAfterItem(by: UInt8(ascii: "]"))
            return .array(elements)
        }

        /// Reads a container's opening byte and the blanks after it; true when `closing` follows at once (read too).
        mutating func isEmptyContainer(closedBy closing: UInt8, depth: Int) throws(Failure) -> Bool {
            guard depth <= JSONTextReader.maxDepth else { throw failure("nested too deeply") }
            position += 1
            skipWhitespace()
            guard current == closing else { return false }
            position += 1
            return true
        }

        /// Reads what follows an item: a comma and the blanks after it (false), or the container's `closing` (true).
        mutating func isClosedAfterItem(by closing: UInt8) throws(Failure) -> Bool {
            skipWhitespace()
            switch current {
            case UInt8(ascii: ","):
                position += 1
                skipWhitespace()
                return false
            case closing:
                position += 1
                return true
            default:
                throw failure("expected ',' or '\(Character(Unicode.Scalar(closing)))'")
            }
        }

        /// Reads a string from its opening quote; a string without escapes is validated and copied in one step.
        mutating func readString() throws(Failure) -> String {
            position += 1
            let start = position
            while position < bytes.count {
                let byte = bytes[position]
                if byte == UInt8(ascii: "\"") {
                    let run = UnsafeBufferPointer(rebasing: bytes[start..<position])
                    guard let text = String(validating: run, as: UTF8.self) else {
                        throw Failure(offset: start, reason: "a string is not valid UTF-8")
                    }
                    position += 1
                    return text
                }
                if byte == UInt8(ascii: "\\") { return try readEscapedString(from: start) }
                guard byte >= 0x20 else { throw failure("a control character inside a string") }
                position += 1
            }
            throw failure("unterminated string")
        }

        /// Reads the rest of a string that has escapes, from the byte after its opening quote.
        mutating func readEscapedString(from start: Int) throws(Failure) -> String {
            var decoded: [UInt8] = []
            decoded.reserveCapacity(position - start + 16)
            decoded.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<position]))
            while position < bytes.count {
                let byte = bytes[position]
                switch byte {
                case UInt8(ascii: "\""):
                    position += 1
                    guard let text = String(validating: decoded, as: UTF8.self) else {
                        throw Failure(offset: start, reason: "a string is not valid UTF-8")
                    }
                    return text
                case UInt8(ascii: "\\"):
                    position += 1
                    guard let escape = current else { throw failure("unterminated string") }
                    position += 1
                    switch escape {
                    case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): decoded.append(escape)
                    case UInt8(ascii: "b"): decoded.append(0x08)
                    case UInt8(ascii: "f"): decoded.append(0x0C)
                    case UInt8(ascii: "n"): decoded.append(0x0A)
                    case UInt8(ascii: "r"): decoded.append(0x0D)
                    case UInt8(ascii: "t"): decoded.append(0x09)
                    case UInt8(ascii: "u"): appendUTF8(of: try readUnicodeEscape(), to: &decoded)
                    default:
                        position -= 1
                        throw failure("an invalid escape")
                    }
                case 0..<0x20:
                    throw failure("a control character inside a string")
                default:
                    decoded.append(byte)
                    position += 1
                }
            }
            throw failure("unterminated string")
        }

        /// Reads the four hex digits after `\u`, and a second escape when they are a high surrogate.
        mutating func readUnicodeEscape() throws(Failure) -> Unicode.Scalar {
            let first = try readHex4()
            switch first {
            case 0xD800...0xDBFF:
                guard bytes.count - position >= 6, bytes[position] == UInt8(ascii: "\\"),
                    bytes[position + 1] == UInt8(ascii: "u")
                else { throw failure("a lone surrogate escape") }
                position += 2
                let second = try readHex4()
                guard (0xDC00...0xDFFF).contains(second) else { throw failure("a lone surrogate escape") }
                let scalar = 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
                return Unicode.Scalar(scalar)!
            case 0xDC00...0xDFFF:
                throw failure("a lone surrogate escape")
            default:
                return Unicode.Scalar(first)!
            }
        }

        mutating func readHex4() throws(Failure) -> UInt32 {
            guard bytes.count - position >= 4 else { throw failure("unterminated string") }
            var value: UInt32 = 0
            for _ in 0..<4 {
                let byte = bytes[position]
                let digit: UInt8
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
                case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
                case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
                default: throw failure("an invalid \\u escape")
                }
                value = value << 4 | UInt32(digit)
                position += 1
            }
            return value
        }

        func appendUTF8(of scalar: Unicode.Scalar, to decoded: inout [UInt8]) {
            UTF8.encode(scalar) { decoded.append($0) }
        }

        /// Reads a number by the RFC's grammar; one that overflows a `Double` fails.
        mutating func readNumber() throws(Failure) -> Double {
            let start = position
            if current == UInt8(ascii: "-") { position += 1 }
            guard let first = current, isDigit(first) else { throw failure("a number without digits") }
            position += 1
            if first != UInt8(ascii: "0") { skipDigits() }
            if current == UInt8(ascii: ".") {
                position += 1
                guard let digit = current, isDigit(digit) else { throw failure("a number without fraction digits") }
                skipDigits()
            }
            if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
                position += 1
                if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { position += 1 }
                guard let digit = current, isDigit(digit) else { throw failure("a number without exponent digits") }
                skipDigits()
            }
            let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
            guard let number = Double(text), number.isFinite else {
                throw Failure(offset: start, reason: "a number too large for a double")
            }
            return number
        }

        func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

        mutating func skipDigits() {
            while let byte = current, isDigit(byte) { position += 1 }
        }
    }
}
