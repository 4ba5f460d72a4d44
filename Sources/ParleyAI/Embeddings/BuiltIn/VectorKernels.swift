/// The element-wise parts of the transformer, written over 8-wide SIMD vectors: layer normalisation, GELU,
/// softmax, and the exponential and error function they need.
enum VectorKernels {
    typealias Vector = SIMD8<Float>

    /// Normalises each of `rows` rows of `width` elements of `input` to zero mean and unit variance, applies
    /// `gamma` and `beta` (PyTorch's `LayerNorm` with biased variance) and writes the result to `output`, which may
    /// be `input` itself.
    static func layerNorm(
        _ input: UnsafePointer<Float>, into output: UnsafeMutablePointer<Float>, rows: Int, width: Int,
        gamma: UnsafePointer<Float>, beta: UnsafePointer<Float>, epsilon: Float
    ) {
        let vectorEnd = width - width % Vector.scalarCount
        for row in 0..<rows {
            let x = input + row * width
            let y = output + row * width
            var sum = Vector.zero
            var index = 0
            while index < vectorEnd {
                sum += load(x + index)
                index += Vector.scalarCount
            }
            var total = sum.sum()
            while index < width {
                total += x[index]
                index += 1
            }
            let mean = total / Float(width)
            var squares = Vector.zero
            index = 0
            while index < vectorEnd {
                let centred = load(x + index) - mean
                squares += centred * centred
                index += Vector.scalarCount
            }
            var variance = squares.sum()
            while index < width {
                let centred = x[index] - mean
                variance += centred * centred
                index += 1
            }
            let scale = 1 / (variance / Float(width) + epsilon).squareRoot()
            index = 0
            while index < vectorEnd {
                let normalised = (load(x + index) - mean) * scale
                store(normalised * load(gamma + index) + load(beta + index), y + index)
                index += Vector.scalarCount
            }
            while index < width {
                y[index] = (x[index] - mean) * scale * gamma[index] + beta[index]
                index += 1
            }
        }
    }

    /// Applies the exact (error-function) GELU in place: `x · (1 + erf(x / √2)) / 2`.
    static func gelu(_ data: UnsafeMutablePointer<Float>, count: Int) {
        let vectorEnd = count - count % Vector.scalarCount
        var index = 0
        while index < vectorEnd {
            let x = load(data + index)
            store(0.5 * x * (1 + erf(x * 0.707_106_77)), data + index)
            index += Vector.scalarCount
        }
        while index < count {
            let x = Vector(repeating: data[index])
            data[index] = (0.5 * x * (1 + erf(x * 0.707_106_77)))[0]
            index += 1
        }
    }

    /// Replaces each of `rows` rows of `width` elements (stored `stride` apart) by its softmax.
    static func softmaxRows(_ data: UnsafeMutablePointer<Float>, rows: Int, width: Int, stride: Int) {
        let vectorEnd = width - width % Vector.scalarCount
        for row in 0..<rows {
            let x = data + row * stride
            var maximum = -Float.infinity
            for index in 0..<width { maximum = max(maximum, x[index]) }
            var sum: Float = 0
            var index = 0
            while index < vectorEnd {
                let e = exp(load(x + index) - maximum)
                store(e, x + index)
                sum += e.sum()
                index += Vector.scalarCount
            }
            while index < width {
                let e = exp(Vector(repeating: x[index] - maximum))[0]
                x[index] = e
                sum += e
                index += 1
            }
            let scale = 1 / sum
            for index in 0..<width { x[index] *= scale }
        }
    }

    /// `e^x` to within a few float ulps (Cephes `expf`), flushing below about `e^-87` to tiny normals.
    ///
    /// Only plain vector arithmetic: the rounding of `x·log2(e)` and the power of two both come from the bits of
    /// `x·log2(e) + 1.5·2²³`, and products are not fused (a fused multiply-add would be a library call per lane on
    /// a baseline x86-64 build).
    @inline(__always)
    static func exp(_ x: Vector) -> Vector {
        let shifter = Vector(repeating: 12_582_912)  // 1.5 · 2²³: adding it rounds to an integer in the low bits
        let low = Vector(repeating: -87.3)
        let high = Vector(repeating: 88.3)
        let clamped = x.replacing(with: low, where: x .< low).replacing(with: high, where: x .> high)
        let shifted = clamped * 1.442_695_04 + shifter
        let n = shifted - shifter
        let r = clamped - n * 0.693_359_375 + n * 2.121_944_4e-4
        var p = Vector(repeating: 1.987_569_15e-4)
        p = p * r + 1.398_199_95e-3
        p = p * r + 8.333_451_9e-3
        p = p * r + 4.166_579_6e-2
        p = p * r + 1.666_666_55e-1
        p = p * r + 5.000_000_12e-1
        p = p * (r * r) + r + 1
        let integer = unsafeBitCast(shifted, to: SIMD8<UInt32>.self) &- unsafeBitCast(shifter, to: SIMD8<UInt32>.self)
        return p * unsafeBitCast((integer &+ 127) &<< 23, to: Vector.self)
    }

    /// The error function to about 1.5e-7 absolute (Abramowitz & Stegun 7.1.26), the form PyTorch vectorises.
    @inline(__always)
    static func erf(_ x: Vector) -> Vector {
        let bits = unsafeBitCast(x, to: SIMD8<UInt32>.self)
        let sign = bits & 0x8000_0000
        let magnitude = unsafeBitCast(bits & 0x7FFF_FFFF, to: Vector.self)
        let t = 1 / (magnitude * 0.327_591_1 + 1)
        var polynomial = Vector(repeating: 1.061_405_429)
        polynomial = polynomial * t - 1.453_152_027
        polynomial = polynomial * t + 1.421_413_741
        polynomial = polynomial * t - 0.284_496_736
        polynomial = polynomial * t + 0.254_829_592
        polynomial = polynomial * t
        let result = 1 - polynomial * exp(-(magnitude * magnitude))
        return unsafeBitCast(unsafeBitCast(result, to: SIMD8<UInt32>.self) | sign, to: Vector.self)
    }

    @inline(__always)
    static func load(_ pointer: UnsafePointer<Float>) -> Vector {
        UnsafeRawPointer(pointer).loadUnaligned(as: Vector.self)
    }

    @inline(__always)
    static func load(_ pointer: UnsafeMutablePointer<Float>) -> Vector {
        UnsafeRawPointer(pointer).loadUnaligned(as: Vector.self)
    }

    @inline(__always)
    static func store(_ vector: Vector, _ pointer: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(pointer).storeBytes(of: vector, as: Vector.self)
    }
}
