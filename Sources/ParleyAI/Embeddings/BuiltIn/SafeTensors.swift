import Foundation

/// A parsed safetensors file: an 8-byte little-endian header length, a JSON header, then the tensors' bytes.
///
/// The header is validated completely on load (sizes, offsets inside the data section, byte counts matching the
/// shapes), so reading a tensor afterwards cannot go out of bounds. Tensors are decoded to `Float` on demand.
struct SafeTensors: Sendable {
    /// A tensor element type as spelled in the header.
    enum DataType: String, Sendable {
        case float64 = "F64"
        case float32 = "F32"
        case float16 = "F16"
        case bfloat16 = "BF16"
        case int64 = "I64"
        case int32 = "I32"
        case int16 = "I16"
        case int8 = "I8"
        case uint8 = "U8"
        case bool = "BOOL"

        /// The size of one element in bytes.
        var byteWidth: Int {
            switch self {
            case .float64, .int64: return 8
            case .float32, .int32: return 4
            case .float16, .bfloat16, .int16: return 2
            case .int8, .uint8, .bool: return 1
            }
        }
    }

    /// One tensor's header entry.
    struct TensorInfo: Sendable, Equatable {
        /// The element type.
        let dataType: DataType
        /// The dimensions, outermost first.
        let shape: [Int]
        /// The tensor's bytes, as offsets into the data section.
        let byteRange: Range<Int>
    }

    /// The largest header this reader accepts; real headers are a few kilobytes.
    static let maximumHeaderLength = 100 << 20

    /// The file the tensors came from, for error messages.
    let path: String
    /// The tensors by name.
    let tensors: [String: TensorInfo]
    /// The free-form `__metadata__` strings.
    let metadata: [String: String]
    private let bytes: Data
    private let dataStart: Int

    /// Reads and validates the safetensors file at `url`.
    init(contentsOf url: URL) throws {
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw EmbedderError.missingFile(path: url.path)
        }
        let data: Data
        do {
            data = try Data(contentsOf: url, options: .mappedIfSafe)
        } catch {
            throw EmbedderError.unreadableFile(path: url.path, reason: "\(error)")
        }
        try self.init(data: data, path: url.path)
    }

    /// Parses and validates safetensors bytes; `path` only names the source in errors.
    init(data: Data, path: String) throws {
        func invalid(_ reason: String) -> EmbedderError {
            .invalidSafeTensors(path: path, reason: reason)
        }
        guard data.count >= 8 else { throw invalid("file is \(data.count) bytes, shorter than the 8-byte header") }
        let base = data.startIndex
        let declared = data.prefix(8).enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * $1.offset) }
        guard declared > 0, declared <= UInt64(min(data.count - 8, Self.maximumHeaderLength)) else {
            throw invalid("header length \(declared) does not fit a file of \(data.count) bytes")
        }
        let headerLength = Int(declared)
        let header = data[(base + 8)..<(base + 8 + headerLength)]
        let json: Any
        do {
            json = try JSONSerialization.jsonObject(with: header)
        } catch {
            throw invalid("header is not JSON")
        }
        guard let object = json as? [String: Any] else { throw invalid("header is not a JSON object") }

        let dataStart = 8 + headerLength
        let dataLength = data.count - dataStart
        var tensors: [String: TensorInfo] = [:]
        var metadata: [String: String] = [:]
        for (name, value) in object {
            if name == "__metadata__" {
                guard let entries = value as? [String: Any] else { throw invalid("__metadata__ is not an object") }
                for (key, entry) in entries {
                    guard let text = entry as? String else { throw invalid("__metadata__ value '\(key)' is not text") }
                    metadata[key] = text
                }
                continue
            }
            tensors[name] = try Self.parseEntry(name: name, value: value, dataLength: dataLength, invalid: invalid)
        }
        self.path = path
        self.tensors = tensors
        self.metadata = metadata
        self.bytes = data
        self.dataStart = dataStart
    }

    private static func parseEntry(
        name: String, value: Any, dataLength: Int, invalid: (String) -> EmbedderError
    ) throws -> TensorInfo {
        guard let entry = value as? [String: Any] else { throw invalid("entry '\(name)' is not an object") }
        guard let typeName = entry["dtype"] as? String else { throw invalid("entry '\(name)' has no dtype") }
        guard let dataType = DataType(rawValue: typeName) else {
            throw EmbedderError.unsupportedDataType(name: name, dataType: typeName)
        }
        guard let shape = integers(entry["shape"]), shape.allSatisfy({ $0 >= 0 }) else {
            throw invalid("entry '\(name)' has no valid shape")
        }
        guard let offsets = integers(entry["data_offsets"]), offsets.count == 2 else {
            throw invalid("entry '\(name)' has no valid data_offsets")
        }
        let (start, end) = (offsets[0], offsets[1])
        guard start >= 0, start <= end, end <= dataLength else {
            throw invalid("entry '\(name)' data_offsets \(offsets) lie outside the \(dataLength)-byte data section")
        }
        var count = 1
        for dimension in shape {
            let (product, overflow) = count.multipliedReportingOverflow(by: dimension)
            guard !overflow else { throw invalid("entry '\(name)' shape \(shape) is too large") }
            count = product
        }
        let (byteCount, overflow) = count.multipliedReportingOverflow(by: dataType.byteWidth)
        guard !overflow, byteCount == end - start else {
            throw invalid("entry '\(name)' holds \(end - start) bytes, but shape \(shape) of \(typeName) needs more")
        }
        return TensorInfo(dataType: dataType, shape: shape, byteRange: start..<end)
    }

    private static func integers(_ value: Any?) -> [Int]? {
        guard let numbers = value as? [Any] else { return nil }
        var result: [Int] = []
        for number in numbers {
            guard let number = number as? NSNumber, let integer = Int(exactly: number.doubleValue) else { return nil }
            result.append(integer)
        }
        return result
    }

    /// Decodes tensor `name` to `Float`, checking that its shape is `shape`.
    func floats(_ name: String, shape: [Int]) throws -> [Float] {
        guard let info = tensors[name] else { throw EmbedderError.missingTensor(name: name) }
        guard info.shape == shape else {
            throw EmbedderError.tensorShapeMismatch(name: name, expected: shape, actual: info.shape)
        }
        return try floats(name, info: info)
    }

    private func floats(_ name: String, info: TensorInfo) throws -> [Float] {
        let count = info.byteRange.count / info.dataType.byteWidth
        let start = dataStart + info.byteRange.lowerBound
        return try bytes.withUnsafeBytes { (raw: UnsafeRawBufferPointer) -> [Float] in
            let source = UnsafeRawBufferPointer(rebasing: raw[start..<(start + info.byteRange.count)])
            switch info.dataType {
            case .float32:
                var values = [Float](repeating: 0, count: count)
                values.withUnsafeMutableBytes { $0.copyMemory(from: source) }
                if UInt32(littleEndian: 1) != 1 {
                    for index in values.indices {
                        values[index] = Float(bitPattern: UInt32(littleEndian: values[index].bitPattern))
                    }
                }
                return values
            case .float16:
                return (0..<count).map {
                    Self.halfToFloat(
                        UInt16(littleEndian: source.loadUnaligned(fromByteOffset: $0 * 2, as: UInt16.self)))
                }
            case .bfloat16:
                return (0..<count).map {
                    let bits = UInt16(littleEndian: source.loadUnaligned(fromByteOffset: $0 * 2, as: UInt16.self))
                    return Float(bitPattern: UInt32(bits) << 16)
                }
            case .float64:
                return (0..<count).map {
                    let bits = UInt64(littleEndian: source.loadUnaligned(fromByteOffset: $0 * 8, as: UInt64.self))
                    return Float(Double(bitPattern: bits))
                }
            default:
                throw EmbedderError.unsupportedDataType(name: name, dataType: info.dataType.rawValue)
            }
        }
    }

    /// Converts IEEE 754 half-precision bits to a `Float`, including subnormals, infinities and NaN.
    static func halfToFloat(_ bits: UInt16) -> Float {
        let sign = UInt32(bits & 0x8000) << 16
        let exponent = Int(bits >> 10) & 0x1F
        let mantissa = UInt32(bits & 0x03FF)
        if exponent == 0 {
            let magnitude = Float(mantissa) * Float(sign: .plus, exponent: -24, significand: 1)
            return sign == 0 ? magnitude : -magnitude
        }
        if exponent == 0x1F {
            return Float(bitPattern: sign | 0x7F80_0000 | (mantissa << 13))
        }
        return Float(bitPattern: sign | UInt32(exponent + 112) << 23 | (mantissa << 13))
    }
}
