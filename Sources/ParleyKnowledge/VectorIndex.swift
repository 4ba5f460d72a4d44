/// An exact nearest-neighbour index of unit-normalised `Float` vectors of one dimension, searched by cosine.
///
/// Vectors live in one contiguous buffer, row by row, beside a parallel array of identifiers; a search scans
/// every row with a SIMD dot product and keeps the top `k` in a bounded heap. Vectors are normalised on the way
/// in, and queries on the way to ``search(_:k:)``, so the dot product is the cosine similarity. Exact search is
/// the right tool up to a few hundred thousand chunks per tenant: it needs no training, no tuning, and is always
/// correct; it is memory-bandwidth bound (see `knowledge-bench`).
public struct VectorIndex: Sendable {
    /// The length of every vector in the index.
    public let dimensions: Int
    /// The identifiers, in row order.
    public private(set) var ids: [String] = []
    /// The vectors, `dimensions` floats per row, in the order of `ids`.
    private var storage: [Float] = []
    /// The row of every identifier.
    private var rows: [String: Int] = [:]

    /// Creates an empty index of `dimensions`-long vectors.
    public init(dimensions: Int) {
        self.dimensions = max(0, dimensions)
    }

    /// The number of vectors in the index.
    public var count: Int { ids.count }

    /// Whether the index holds no vectors.
    public var isEmpty: Bool { ids.isEmpty }

    /// Whether the index holds a vector for `id`.
    public func contains(id: String) -> Bool {
        rows[id] != nil
    }

    /// Adds `vector` under `id`, normalised to unit length; a vector already under `id` is replaced.
    ///
    /// - Throws: ``VectorIndexError/dimensionMismatch(expected:actual:)`` for a vector of the wrong length,
    ///   ``VectorIndexError/nonFiniteComponent(id:)`` for NaN or infinity, ``VectorIndexError/zeroVector(id:)``
    ///   for a vector of length zero.
    public mutating func add(id: String, vector: [Float]) throws {
        guard vector.count == dimensions else {
            throw VectorIndexError.dimensionMismatch(expected: dimensions, actual: vector.count)
        }
        guard vector.allSatisfy(\.isFinite) else { throw VectorIndexError.nonFiniteComponent(id: id) }
        guard let unit = Self.normalised(vector) else { throw VectorIndexError.zeroVector(id: id) }
        if let row = rows[id] {
            storage.replaceSubrange(row * dimensions..<(row + 1) * dimensions, with: unit)
        } else {
            rows[id] = ids.count
            ids.append(id)
            storage.append(contentsOf: unit)
        }
    }

    /// Removes the vectors of `ids`.
    ///
    /// Identifiers not in the index are ignored; the remaining rows keep their order.
    public mutating func remove(ids removed: Set<String>) {
        guard removed.contains(where: { rows[$0] != nil }) else { return }
        var keptIDs: [String] = []
        var keptStorage: [Float] = []
        keptIDs.reserveCapacity(ids.count)
        keptStorage.reserveCapacity(storage.count)
        for (row, id) in ids.enumerated() where !removed.contains(id) {
            keptIDs.append(id)
            keptStorage.append(contentsOf: storage[row * dimensions..<(row + 1) * dimensions])
        }
        ids = keptIDs
        storage = keptStorage
        rows = Dictionary(uniqueKeysWithValues: keptIDs.enumerated().map { ($1, $0) })
    }

    /// Returns the `k` vectors most similar to `query` by cosine, best first; equal scores go by identifier.
    ///
    /// Gives no results for `k <= 0`, or a query of the wrong length, non-finite, or all zeros.
    public func search(_ query: [Float], k: Int) -> [(id: String, score: Float)] {
        guard k > 0, !ids.isEmpty, query.count == dimensions, query.allSatisfy(\.isFinite),
            let unit = Self.normalised(query)
        else { return [] }
        var top = TopK(k: k, ids: ids)
        let dimensions = dimensions
        storage.withUnsafeBufferPointer { rowsBuffer in
            unit.withUnsafeBufferPointer { queryBuffer in
                guard let rowBase = rowsBuffer.baseAddress, let queryBase = queryBuffer.baseAddress else { return }
                for row in 0..<ids.count {
                    let score = DotProduct.compute(queryBase, rowBase + row * dimensions, count: dimensions)
                    if score >= top.threshold { top.offer(score: score, row: row) }
                }
            }
        }
        return top.sorted().map { (id: ids[$0.row], score: $0.score) }
    }

    /// The cosine similarity of the stored vector `id` to `query`, or nil when the id is not indexed or the query
    /// is unusable (wrong dimension, zero, not finite).
    public func similarity(of id: String, to query: [Float]) -> Float? {
        guard let row = rows[id], query.count == dimensions, let unit = Self.normalised(query) else { return nil }
        return storage.withUnsafeBufferPointer { rowsBuffer in
            unit.withUnsafeBufferPointer { queryBuffer in
                guard let rowBase = rowsBuffer.baseAddress, let queryBase = queryBuffer.baseAddress else { return 0 }
                return DotProduct.compute(queryBase, rowBase + row * dimensions, count: dimensions)
            }
        }
    }

    /// The vector scaled to unit length, or `nil` for a zero vector.
    static func normalised(_ vector: [Float]) -> [Float]? {
        let norm = vector.withUnsafeBufferPointer { buffer -> Float in
            guard let base = buffer.baseAddress else { return 0 }
            return DotProduct.compute(base, base, count: buffer.count).squareRoot()
        }
        guard norm > 0, norm.isFinite else { return nil }
        return vector.map { $0 / norm }
    }
}
