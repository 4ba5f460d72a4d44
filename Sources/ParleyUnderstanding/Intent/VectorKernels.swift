/// Small SIMD kernels over rows of a feature-major weight table whose row length is a multiple of 8.
enum VectorKernels {
    /// The SIMD width used for class rows.
    static let width = 8

    /// Rounds `count` up to a multiple of ``width``.
    @inlinable
    static func paddedCount(_ count: Int) -> Int {
        (count + width - 1) / width * width
    }

    /// `output[0..<count] += factor * row[0..<count]`, with `count` a multiple of ``width``.
    @inlinable
    static func addScaled(
        _ row: UnsafePointer<Float>, _ factor: Float, into output: UnsafeMutablePointer<Float>, count: Int
    ) {
        let source = UnsafeRawPointer(row)
        let target = UnsafeMutableRawPointer(output)
        let stride = MemoryLayout<SIMD8<Float>>.stride
        var offset = 0
        let end = count * MemoryLayout<Float>.stride
        while offset < end {
            let value = source.loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self)
            let current = target.loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self)
            target.storeBytes(of: current + factor * value, toByteOffset: offset, as: SIMD8<Float>.self)
            offset += stride
        }
    }
}
