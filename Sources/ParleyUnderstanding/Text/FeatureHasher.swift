/// Maps strings and scalar sequences to stable 64-bit hashes (FNV-1a), independent of process seed.
///
/// Swift's `Hasher` is randomly seeded per process, so it cannot be used for models that are stored and
/// reloaded; this hasher gives the same value on every run and platform.
public enum FeatureHasher {
    /// The FNV-1a 64-bit offset basis.
    public static let offsetBasis: UInt64 = 0xcbf2_9ce4_8422_2325
    /// The FNV-1a 64-bit prime.
    public static let prime: UInt64 = 0x0000_0100_0000_01b3

    /// Returns the hash of `value` in namespace `seed`.
    @inlinable
    public static func hash(_ value: String, seed: UInt64) -> UInt64 {
        var state = offsetBasis ^ (seed &* prime)
        for byte in value.utf8 {
            state = (state ^ UInt64(byte)) &* prime
        }
        return finalize(state)
    }

    /// Folds one Unicode scalar into a running hash `state`.
    @inlinable
    public static func combine(_ state: UInt64, _ scalar: UInt32) -> UInt64 {
        var value = state
        value = (value ^ UInt64(scalar & 0xff)) &* prime
        value = (value ^ UInt64((scalar >> 8) & 0xff)) &* prime
        value = (value ^ UInt64(scalar >> 16)) &* prime
        return value
    }

    /// Returns the start state for namespace `seed`.
    @inlinable
    public static func start(seed: UInt64) -> UInt64 {
        offsetBasis ^ (seed &* prime)
    }

    /// Mixes the bits of a running hash (splitmix64 finaliser) so that low bits are well distributed.
    @inlinable
    public static func finalize(_ state: UInt64) -> UInt64 {
        var value = state
        value = (value ^ (value >> 30)) &* 0xbf58_476d_1ce4_e5b9
        value = (value ^ (value >> 27)) &* 0x94d0_49bb_1331_11eb
        return value ^ (value >> 31)
    }
}
