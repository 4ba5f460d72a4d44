/// Resource limits for sandboxed Lua code, with defaults a tenant plan can override.
///
/// The instruction budget and the deadline apply to each call (and to the one run of a rule's chunk
/// at load time); the memory cap applies to the whole state. Breaking any of them kills the call with a
/// sticky kill and retires the state.
public struct LuaLimits: Sendable, Equatable, Codable {
    /// VM instructions one call may execute; matcher steps inside string functions count too.
    public var instructions: UInt64
    /// Heap bytes the whole Lua state may hold (never below `SandboxPolicy.minimumMemoryBytes`).
    public var memoryBytes: Int
    /// Wall-clock milliseconds one call may take.
    public var deadlineMilliseconds: UInt64

    /// Creates limits; the defaults are 1,000,000 instructions, 16 MiB and 50 ms.
    public init(instructions: UInt64 = 1_000_000, memoryBytes: Int = 16 << 20, deadlineMilliseconds: UInt64 = 50) {
        self.instructions = instructions
        self.memoryBytes = memoryBytes
        self.deadlineMilliseconds = deadlineMilliseconds
    }

    /// The limits used when a tenant plan says nothing.
    public static let `default` = LuaLimits()

    /// The wall-clock deadline as a duration.
    public var deadline: Duration { .milliseconds(deadlineMilliseconds) }

    /// The memory cap actually applied to a state.
    var effectiveMemoryBytes: Int { max(memoryBytes, SandboxPolicy.minimumMemoryBytes) }
}
