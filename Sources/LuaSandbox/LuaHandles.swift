/// A rule loaded into one sandbox: its own environment, whose reads fall back to the frozen safe globals.
public struct LuaRuleHandle: Sendable, Hashable {
    /// The rule's name, also its chunk name in error messages.
    public let name: String
    let sandbox: UInt64
    let reference: Int32
    /// Which of the sandbox's loads made it: registry references are reused once released, load numbers never.
    let load: UInt64
}

/// A function defined by a rule, resolved once and cached in the Lua registry.
public struct LuaFunctionHandle: Sendable, Hashable {
    /// The rule defining the function.
    public let rule: String
    /// The function's global name in the rule.
    public let name: String
    let sandbox: UInt64
    let reference: Int32
    /// The load of the rule that defines it.
    let load: UInt64
}

/// A deeply read-only Lua table built once from a host value, such as a turn view, and shared by several calls.
public struct LuaView: Sendable, Hashable {
    let sandbox: UInt64
    let reference: Int32
}
