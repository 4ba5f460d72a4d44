import Foundation

/// Packs arrays of fixed-width numbers into `Data` so large model tables encode compactly.
enum BinaryArray {
    /// Errors from decoding a packed array.
    enum Failure: Error {
        /// The data length is not a multiple of the element size.
        case misalignedLength(Int)
    }

    /// Returns the raw little-endian bytes of `values`.
    static func encode<Element: BitwiseCopyable>(_ values: [Element]) -> Data {
        values.withUnsafeBytes { Data($0) }
    }

    /// Reads back an array written by ``encode(_:)``.
    static func decode<Element: BitwiseCopyable>(_ type: [Element].Type, from data: Data) throws -> [Element] {
        let stride = MemoryLayout<Element>.stride
        guard data.count % stride == 0 else { throw Failure.misalignedLength(data.count) }
        let count = data.count / stride
        return [Element](unsafeUninitializedCapacity: count) { buffer, initialized in
            _ = data.copyBytes(to: UnsafeMutableRawBufferPointer(buffer))
            initialized = count
        }
    }
}
