import CLuaShim

/// The sandbox policy for tenant Lua rules, in one place.
///
/// What a rule can reach (enforced in C, `Sources/CLuaShim`):
/// - Libraries: base, string, table, math, utf8 only, opened one by one with `luaL_requiref`;
///   io, os, debug, package and coroutine are never opened. `globals` lists every global a rule sees.
/// - Removed: `load`, `loadstring`, `loadfile`, `dofile`, `require`, `warn`, `string.dump`;
///   `collectgarbage` answers only `"count"`.
/// - Replaced: `print` writes to the per-call log; `tostring` and `string.format("%s")` print tables,
///   functions and userdata as their type name (no addresses); `string.format("%p")` is refused;
///   `getmetatable` returns nil for strings; `setmetatable` refuses `__gc`; `type` and `next`
///   treat read-only proxies as tables.
/// - Chunks: text only (`luaL_loadbufferx(..., "t")`), named `=<rule name>`, at most `maxSourceBytes`.
/// - Frozen: the shared string metatable, every library table, the `parley` table, `_G`, host values
///   passed in (views), and each rule's globals once its chunk has run. Frozen tables are proxies
///   (userdata with a hidden metatable): writes raise, `rawset` and `setmetatable` reject them.
/// - Each rule gets its own environment table whose reads fall back to the frozen globals.
/// - Limits (`LuaLimits`): instruction budget via the count hook, memory cap via the allocator,
///   wall-clock deadline checked in the hook and inside pattern matching. A kill is sticky: every later
///   hook invocation raises again, so `pcall`, `xpcall` and error handlers cannot swallow it, and the
///   state is retired.
/// - C loops the hook cannot see are guarded: `string.find/match/gmatch/gsub` charge matcher steps to
///   the budget; `string.rep` refuses results above the memory cap; `table.unpack/concat/move/insert/
///   remove/sort` refuse spans above `maxTableSpan`.
/// - Host helpers: `parley.log(message)` (strings only, capped) and `parley.now()`.
/// - Results are read with raw access only, bounded by `maxResultDepth`, `maxResultNodes`, `maxResultBytes`.
public enum SandboxPolicy {
    /// Standard libraries opened in every state.
    public static let libraries = ["base", "string", "table", "math", "utf8"]
    /// Every global a rule can read.
    public static let globals: Set<String> = [
        "_G", "_VERSION", "assert", "collectgarbage", "error", "getmetatable", "ipairs", "math", "next",
        "pairs", "parley", "pcall", "print", "rawequal", "rawget", "rawlen", "rawset", "select", "setmetatable",
        "string", "table", "tonumber", "tostring", "type", "utf8", "xpcall",
    ]
    /// Log lines one call may write; the next `print`/`parley.log` raises.
    public static let maxLogLines = 100
    /// Bytes kept of one log line (longer lines are cut at a UTF-8 boundary).
    public static let maxLogLineBytes = 1024
    /// Nesting depth of a returned value (a cyclic table fails here).
    public static let maxResultDepth = 32
    /// Values (including table entries) in one returned value.
    public static let maxResultNodes = 10_000
    /// String bytes in one returned value.
    public static let maxResultBytes = 1 << 20
    /// Elements one table library call may walk.
    public static let maxTableSpan = 100_000
    /// Bytes kept of an error message.
    public static let maxMessageBytes = 1024
    /// Bytes of one rule's source.
    public static let maxSourceBytes = 1 << 20
    /// Bytes of a rule name (Lua keeps 59 bytes of a chunk name in messages).
    public static let maxRuleNameBytes = 59
    /// The smallest memory cap a state gets (the libraries need about 30 KiB).
    public static let minimumMemoryBytes = 256 << 10

    /// The caps in the C shim's layout.
    static var shimPolicy: parley_policy {
        parley_policy(
            max_log_line_bytes: maxLogLineBytes,
            max_result_depth: maxResultDepth,
            max_result_nodes: maxResultNodes,
            max_result_bytes: maxResultBytes,
            max_table_span: maxTableSpan,
            max_message_bytes: maxMessageBytes
        )
    }
}
