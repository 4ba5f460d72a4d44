/// A sparse feature vector: parallel arrays of column indices and values.
public struct SparseVector: Sendable, Codable, Hashable {
    /// Column indices, strictly increasing once ``sortedAndMerged()`` has been applied.
    public var indices: [Int32]
    /// The value at each index.
    public var values: [Float]

    /// Creates a vector from parallel arrays.
    public init(indices: [Int32] = [], values: [Float] = []) {
        precondition(indices.count == values.count, "indices and values must have the same length")
        self.indices = indices
        self.values = values
    }

    /// The number of stored entries.
    public var count: Int { indices.count }

    /// The Euclidean norm.
    public var norm: Float {
        var sum: Float = 0
        for value in values { sum += value * value }
        return sum.squareRoot()
    }

    /// Returns the vector with entries sorted by index and duplicate indices summed.
    public func sortedAndMerged() -> SparseVector {
        guard count > 1 else { return self }
        let order = indices.indices.sorted { indices[$0] < indices[$1] }
        var mergedIndices: [Int32] = []
        var mergedValues: [Float] = []
        mergedIndices.reserveCapacity(count)
        mergedValues.reserveCapacity(count)
        for position in order {
            if let last = mergedIndices.last, last == indices[position] {
                mergedValues[mergedValues.count - 1] += values[position]
            } else {
                mergedIndices.append(indices[position])
                mergedValues.append(values[position])
            }
        }
        return SparseVector(indices: mergedIndices, values: mergedValues)
    }

    /// Returns the vector scaled to unit Euclidean norm (unchanged if it is all zeros).
    public func normalized() -> SparseVector {
        let length = norm
        guard length > 0 else { return self }
        return SparseVector(indices: indices, values: values.map { $0 / length })
    }
}
