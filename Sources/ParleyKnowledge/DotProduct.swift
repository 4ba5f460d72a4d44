/// The dot product of two `Float` vectors, with SIMD and independent accumulators.
enum DotProduct {
    /// Returns the dot product of the `count` floats at `lhs` and `rhs`.
    ///
    /// Two `SIMD16` accumulators take 32 floats per step, so consecutive multiply-adds do not wait on each
    /// other; a `SIMD8` step and a scalar loop take the rest. Loads are unaligned, so any row offset works.
    @inline(__always)
    static func compute(_ lhs: UnsafePointer<Float>, _ rhs: UnsafePointer<Float>, count: Int) -> Float {
        let left = UnsafeRawPointer(lhs)
        let right = UnsafeRawPointer(rhs)
        let stride16 = MemoryLayout<SIMD16<Float>>.stride
        var first = SIMD16<Float>()
        var second = SIMD16<Float>()
        var index = 0
        while index + 32 <= count {
            let offset = index * MemoryLayout<Float>.stride
            first +=
                left.loadUnaligned(fromByteOffset: offset, as: SIMD16<Float>.self)
                * right.loadUnaligned(fromByteOffset: offset, as: SIMD16<Float>.self)
            second +=
                left.loadUnaligned(fromByteOffset: offset + stride16, as: SIMD16<Float>.self)
                * right.loadUnaligned(fromByteOffset: offset + stride16, as: SIMD16<Float>.self)
            index += 32
        }
        var eight = SIMD8<Float>()
        while index + 8 <= count {
            let offset = index * MemoryLayout<Float>.stride
            eight +=
                left.loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self)
                * right.loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self)
            index += 8
        }
        var sum = (first + second).sum() + eight.sum()
        while index < count {
            sum += lhs[index] * rhs[index]
            index += 1
        }
        return sum
    }
}
