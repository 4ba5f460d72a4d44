/// A read-only map from 64-bit keys to row numbers, by open addressing with Fibonacci hashing.
///
/// A lookup is a multiply, a shift and usually one comparison, where `Dictionary` runs SipHash over every key. For
/// the hot lookups of the understanding stages: feature hashes to model columns, packed character n-grams to
/// profile rows.
struct KeyTable: Sendable {
    private let keys: [UInt64]
    /// The row of the key in the same slot; -1 for an empty slot.
    private let rows: [Int32]
    private let shift: UInt64

    /// A table holding each pair's key with its row (rows are non-negative; a repeated key keeps its last row).
    init(_ pairs: [(key: UInt64, row: Int32)]) {
        var capacity = 16
        while capacity < pairs.count * 2 { capacity *= 2 }
        shift = UInt64(64 - capacity.trailingZeroBitCount)
        var keys = [UInt64](repeating: 0, count: capacity)
        var rows = [Int32](repeating: -1, count: capacity)
        for (key, row) in pairs {
            var slot = Self.slot(key, shift)
            while rows[slot] >= 0, keys[slot] != key { slot = (slot + 1) & (capacity - 1) }
            keys[slot] = key
            rows[slot] = row
        }
        self.keys = keys
        self.rows = rows
    }

    /// The row of `key`, or nil when the table does not hold it.
    @inline(__always)
    func row(_ key: UInt64) -> Int32? {
        keys.withUnsafeBufferPointer { keys in
            rows.withUnsafeBufferPointer { rows in
                var slot = Self.slot(key, shift)
                while true {
                    let row = rows[slot]
                    if row < 0 { return nil }
                    if keys[slot] == key { return row }
                    slot = (slot + 1) & (rows.count - 1)
                }
            }
        }
    }

    @inline(__always)
    private static func slot(_ key: UInt64, _ shift: UInt64) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> shift)
    }
}
