import CLuaShim

/// The tagged little-endian encoding of values shared with the C shim (see parley_codec.c).
enum LuaValueCodec {
    /// Appends the encoding of an argument.
    static func encode(_ argument: LuaArgument, into bytes: inout [UInt8]) {
        switch argument {
        case .value(let value):
            encode(value, into: &bytes)
        case .view(let view):
            bytes.append(UInt8(PARLEY_TAG_REF))
            appendLittleEndian(UInt32(bitPattern: view.reference), to: &bytes)
        }
    }

    /// Appends the encoding of a value.
    static func encode(_ value: LuaValue, into bytes: inout [UInt8]) {
        switch value {
        case .nil:
            bytes.append(UInt8(PARLEY_TAG_NIL))
        case .bool(let flag):
            bytes.append(UInt8(flag ? PARLEY_TAG_TRUE : PARLEY_TAG_FALSE))
        case .integer(let integer):
            bytes.append(UInt8(PARLEY_TAG_INTEGER))
            appendLittleEndian(UInt64(bitPattern: integer), to: &bytes)
        case .number(let number):
            bytes.append(UInt8(PARLEY_TAG_NUMBER))
            appendLittleEndian(number.bitPattern, to: &bytes)
        case .string(let string):
            bytes.append(UInt8(PARLEY_TAG_STRING))
            appendString(string, to: &bytes)
        case .array(let elements):
            bytes.append(UInt8(PARLEY_TAG_ARRAY))
            appendLittleEndian(UInt32(elements.count), to: &bytes)
            for element in elements {
                encode(element, into: &bytes)
            }
        case .table(let fields):
            bytes.append(UInt8(PARLEY_TAG_TABLE))
            appendLittleEndian(UInt32(fields.count), to: &bytes)
            for (key, element) in fields {
                appendString(key, to: &bytes)
                encode(element, into: &bytes)
            }
        }
    }

    /// Decodes exactly one value.
    static func decode(_ bytes: UnsafeRawBufferPointer) throws(LuaError) -> LuaValue {
        var reader = Reader(bytes: bytes)
        let value = try reader.value()
        guard reader.offset == bytes.count else { throw malformed }
        return value
    }

    private static let malformed = LuaError(kind: .invalidResult, message: "malformed result encoding")

    private static func appendString(_ string: String, to bytes: inout [UInt8]) {
        let utf8 = string.utf8
        appendLittleEndian(UInt32(utf8.count), to: &bytes)
        bytes.append(contentsOf: utf8)
    }

    private static func appendLittleEndian<T: FixedWidthInteger>(_ value: T, to bytes: inout [UInt8]) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    /// A bounds-checked cursor over encoded bytes.
    private struct Reader {
        let bytes: UnsafeRawBufferPointer
        var offset = 0

        mutating func value() throws(LuaError) -> LuaValue {
            let tag = Int(try integer(byteCount: 1))
            switch tag {
            case PARLEY_TAG_NIL:
                return .nil
            case PARLEY_TAG_FALSE:
                return .bool(false)
            case PARLEY_TAG_TRUE:
                return .bool(true)
            case PARLEY_TAG_INTEGER:
                return .integer(Int64(bitPattern: try integer(byteCount: 8)))
            case PARLEY_TAG_NUMBER:
                return .number(Double(bitPattern: try integer(byteCount: 8)))
            case PARLEY_TAG_STRING:
                return .string(try string())
            case PARLEY_TAG_ARRAY:
                let count = Int(try integer(byteCount: 4))
                var elements: [LuaValue] = []
                elements.reserveCapacity(min(count, bytes.count - offset))
                for _ in 0..<count {
                    elements.append(try value())
                }
                return .array(elements)
            case PARLEY_TAG_TABLE:
                let count = Int(try integer(byteCount: 4))
                var fields: [String: LuaValue] = [:]
                fields.reserveCapacity(min(count, bytes.count - offset))
                for _ in 0..<count {
                    let key = try string()
                    fields[key] = try value()
                }
                return .table(fields)
            default:
                throw LuaValueCodec.malformed
            }
        }

        private mutating func string() throws(LuaError) -> String {
            let count = Int(try integer(byteCount: 4))
            guard count <= bytes.count - offset else { throw LuaValueCodec.malformed }
            let slice = UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + count])
            offset += count
            return String(decoding: slice, as: UTF8.self)
        }

        private mutating func integer(byteCount: Int) throws(LuaError) -> UInt64 {
            guard byteCount <= bytes.count - offset else { throw LuaValueCodec.malformed }
            let result: UInt64
            switch byteCount {
            case 1: result = UInt64(bytes[offset])
            case 4: result = UInt64(UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self)))
            default: result = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
            }
            offset += byteCount
            return result
        }
    }
}
