/// Why a vector could not be added to a ``VectorIndex``.
public enum VectorIndexError: Error, Sendable, Equatable {
    /// The vector's length is not the index's dimension count.
    case dimensionMismatch(expected: Int, actual: Int)
    /// The vector has a NaN or infinite component.
    case nonFiniteComponent(id: String)
    /// The vector is all zeros, so it has no direction to compare.
    case zeroVector(id: String)
}
