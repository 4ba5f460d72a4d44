import Foundation

/// A multinomial logistic-regression (softmax) model over sparse feature vectors.
///
/// Weights are stored feature-major (`weights[column * rowLength + class]`, rows padded to a multiple of 8), so
/// scoring one sparse vector adds one contiguous SIMD row per feature.
public struct IntentModel: Sendable {
    /// Class labels; position is the class index.
    public let labels: [String]
    /// Number of input columns.
    public let dimension: Int
    /// Feature-major weight table, `dimension * rowLength` entries.
    let weights: [Float]
    /// Length of one weight row: the class count rounded up to the SIMD width.
    var rowLength: Int { VectorKernels.paddedCount(labels.count) }
    /// Per-class bias.
    let bias: [Float]

    init(labels: [String], dimension: Int, weights: [Float], bias: [Float]) {
        precondition(
            weights.count == dimension * VectorKernels.paddedCount(labels.count) && bias.count == labels.count,
            "shape mismatch")
        self.labels = labels
        self.dimension = dimension
        self.weights = weights
        self.bias = bias
    }

    /// Returns the class probabilities of `vector` (softmax of the linear scores).
    public func probabilities(_ vector: SparseVector) -> [Double] {
        let length = rowLength
        var scores = bias + [Float](repeating: 0, count: length - bias.count)
        weights.withUnsafeBufferPointer { table in
            scores.withUnsafeMutableBufferPointer { output in
                for (index, value) in zip(vector.indices, vector.values) {
                    VectorKernels.addScaled(
                        table.baseAddress! + Int(index) * length, value, into: output.baseAddress!, count: length)
                }
            }
        }
        return Self.softmax(Array(scores.prefix(labels.count)))
    }

    /// Returns `exp(scores) / sum(exp(scores))`, computed stably.
    static func softmax(_ scores: [Float]) -> [Double] {
        guard let maximum = scores.max() else { return [] }
        let exponentials = scores.map { Double(exp($0 - maximum)) }
        let total = exponentials.reduce(0, +)
        return exponentials.map { $0 / total }
    }
}

extension IntentModel: Codable {
    private enum CodingKeys: String, CodingKey {
        case labels, dimension, rowScales, weights, bias
    }

    /// Decodes a model stored by ``encode(to:)``.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let labels = try container.decode([String].self, forKey: .labels)
        let dimension = try container.decode(Int.self, forKey: .dimension)
        let scales = try BinaryArray.decode([Float].self, from: container.decode(Data.self, forKey: .rowScales))
        let quantized = try BinaryArray.decode([Int8].self, from: container.decode(Data.self, forKey: .weights))
        let bias = try container.decode([Float].self, forKey: .bias)
        let length = VectorKernels.paddedCount(labels.count)
        guard quantized.count == dimension * length, scales.count == dimension, bias.count == labels.count else {
            throw DecodingError.dataCorruptedError(
                forKey: .weights, in: container, debugDescription: "weight table does not match labels × dimension")
        }
        var weights = [Float](repeating: 0, count: quantized.count)
        for row in 0..<dimension {
            let scale = scales[row]
            for position in (row * length)..<((row + 1) * length) {
                weights[position] = Float(quantized[position]) * scale
            }
        }
        self.init(labels: labels, dimension: dimension, weights: weights, bias: bias)
    }

    /// Encodes the weight table quantised to 8 bits with one scale per feature row (base64 in JSON).
    ///
    /// A model is about a quarter of its in-memory size when stored; dequantised weights differ from the trained
    /// ones by at most half a step (`max |row| / 254`), which moves probabilities by well under a percent.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        let length = rowLength
        var scales = [Float](repeating: 0, count: dimension)
        var quantized = [Int8](repeating: 0, count: weights.count)
        for row in 0..<dimension {
            let range = (row * length)..<((row + 1) * length)
            let largest = weights[range].reduce(0) { max($0, abs($1)) }
            guard largest > 0 else { continue }
            let scale = largest / 127
            scales[row] = scale
            for position in range { quantized[position] = Int8((weights[position] / scale).rounded()) }
        }
        try container.encode(labels, forKey: .labels)
        try container.encode(dimension, forKey: .dimension)
        try container.encode(BinaryArray.encode(scales), forKey: .rowScales)
        try container.encode(BinaryArray.encode(quantized), forKey: .weights)
        try container.encode(bias, forKey: .bias)
    }
}
