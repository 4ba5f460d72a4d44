import ArgumentParser
import LuaSandbox

/// Flags that override the sandbox limits of a rule run.
struct LimitOptions: ParsableArguments {
    @Option(help: "Instruction budget per call (default 1000000).")
    var instructions: UInt64?

    @Option(help: "Memory cap per Lua state, in bytes (default 16 MiB).")
    var memory: Int?

    @Option(name: .customLong("deadline-ms"), help: "Wall-clock deadline per call, in milliseconds (default 50).")
    var deadlineMilliseconds: UInt64?

    /// The default limits with these flags on top.
    var limits: LuaLimits {
        var limits = LuaLimits.default
        if let instructions { limits.instructions = instructions }
        if let memory { limits.memoryBytes = memory }
        if let deadlineMilliseconds { limits.deadlineMilliseconds = deadlineMilliseconds }
        return limits
    }
}
