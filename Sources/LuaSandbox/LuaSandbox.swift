import CLuaShim
import Synchronization

/// One sandboxed Lua state: loads tenant rules and calls them under `LuaLimits`.
///
/// Not `Sendable`: a sandbox is used by one thread at a time (a `LuaStatePool` hands it out). Every Lua
/// operation goes through the C shim under `lua_pcall`, so no Lua error unwinds through Swift.
/// After a broken limit or a bad failure the sandbox is poisoned and refuses further work.
public final class LuaSandbox {
    /// The limits applied to the next load or call; the memory cap applies to the whole state.
    public var limits: LuaLimits

    private let state: OpaquePointer
    private let identity: UInt64
    private let logSink: LuaLogSink
    private var rules: [String: LuaRuleHandle] = [:]
    private var sources: [String: String] = [:]
    private var functions: [FunctionKey: LuaFunctionHandle] = [:]
    private var undefined: Set<FunctionKey> = []
    private var liveViews: Set<Int32> = []
    private var argumentBytes: [UInt8] = []
    /// How many rules this sandbox has loaded: each handle carries the number of the load that made it.
    private var loads: UInt64 = 0

    private static let identities = Atomic<UInt64>(0)

    /// Creates a state with the sandbox's libraries and the given limits.
    public init(limits: LuaLimits = .default) throws(LuaError) {
        let sink = LuaLogSink()
        var policy = SandboxPolicy.shimPolicy
        let context = Unmanaged.passUnretained(sink).toOpaque()
        let opened = parley_open(
            &policy, limits.effectiveMemoryBytes,
            { context, bytes, length in
                guard let context, let bytes else { return 1 }
                let sink = Unmanaged<LuaLogSink>.fromOpaque(context).takeUnretainedValue()
                return sink.append(UnsafeRawBufferPointer(start: bytes, count: length))
            }, context)
        guard let opened else {
            throw LuaError(kind: .memoryLimit, message: "cannot create a Lua state within the memory cap")
        }
        self.state = opened
        self.limits = limits
        self.logSink = sink
        self.identity = LuaSandbox.identities.wrappingAdd(1, ordering: .relaxed).newValue
    }

    deinit {
        parley_close(state)
    }

    /// Lines written with `print` or `parley.log` by the most recent load or call.
    public var log: [String] { logSink.lines }

    /// Whether a limit was broken or the state failed badly; a poisoned sandbox must be discarded.
    public var isPoisoned: Bool { parley_is_poisoned(state) != 0 }

    /// Compiles a rule (text only) into its own environment and runs its chunk once under the limits.
    ///
    /// The rule's globals are read-only afterwards. Loading a name again replaces the earlier rule.
    public func load(name: String, source: String) throws(LuaError) -> LuaRuleHandle {
        guard !name.isEmpty, name.utf8.count <= SandboxPolicy.maxRuleNameBytes, !name.utf8.contains(0) else {
            throw LuaError(kind: .invalidArgument, message: "rule names are 1 to 59 bytes without NUL")
        }
        guard source.utf8.count <= SandboxPolicy.maxSourceBytes else {
            throw LuaError(kind: .invalidArgument, message: "rule source is larger than 1 MiB", rule: name)
        }
        logSink.reset()
        var reference: Int32 = -1
        var output = parley_output()
        var shimLimits = shimLimits
        var text = source
        let status = text.withUTF8 { utf8 in
            parley_load(state, &shimLimits, name, utf8.baseAddress, utf8.count, &reference, &output)
        }
        guard status == PARLEY_OK else { throw error(status, output, rule: name) }
        if let old = rules[name] {
            // The old rule's functions are released with it: their closures hold its whole environment, which
            // would otherwise stay in the registry, reload after reload, until the state hit its memory cap.
            for (key, function) in functions where key.rule == old.reference {
                parley_release(state, function.reference)
            }
            functions = functions.filter { $0.key.rule != old.reference }
            undefined = undefined.filter { $0.rule != old.reference }
            parley_release(state, old.reference)
        }
        loads += 1
        let rule = LuaRuleHandle(name: name, sandbox: identity, reference: reference, load: loads)
        rules[name] = rule
        sources[name] = source
        return rule
    }

    /// The rule loaded under `name` if it was loaded from exactly `source`; otherwise loads it now.
    ///
    /// Pooled sandboxes keep their rules between checkouts, so a turn loads only rules that changed since the
    /// sandbox last ran them.
    public func ensureLoaded(name: String, source: String) throws(LuaError) -> LuaRuleHandle {
        if let rule = rules[name], sources[name] == source { return rule }
        return try load(name: name, source: source)
    }

    /// The rule most recently loaded under a name, if any.
    public func rule(named name: String) -> LuaRuleHandle? {
        rules[name]
    }

    /// Resolves a function a rule defines as a global; cached per rule and name.
    public func function(_ rule: LuaRuleHandle, named name: String) throws(LuaError) -> LuaFunctionHandle {
        try checkOwned(rule.sandbox)
        guard rules[rule.name]?.load == rule.load else {
            throw LuaError(kind: .invalidArgument, message: "rule handle was replaced by a newer load", rule: rule.name)
        }
        let key = FunctionKey(rule: rule.reference, name: name)
        if let cached = functions[key] {
            return cached
        }
        var reference: Int32 = -1
        var output = parley_output()
        let status = parley_function(state, rule.reference, name, &reference, &output)
        guard status == PARLEY_OK else { throw error(status, output, rule: rule.name) }
        let function = LuaFunctionHandle(
            rule: rule.name, name: name, sandbox: identity, reference: reference, load: rule.load)
        functions[key] = function
        return function
    }

    /// The function a rule defines under `name`, or nil when the rule does not define one; both answers are cached.
    public func functionIfDefined(_ rule: LuaRuleHandle, named name: String) throws(LuaError) -> LuaFunctionHandle? {
        let key = FunctionKey(rule: rule.reference, name: name)
        if undefined.contains(key), rules[rule.name]?.load == rule.load { return nil }
        do {
            return try function(rule, named: name)
        } catch  where error.kind == .undefinedFunction {
            undefined.insert(key)
            return nil
        }
    }

    /// Calls a rule's global function by name with host values.
    public func call(
        _ rule: LuaRuleHandle,
        function name: String,
        arguments: [LuaValue] = []
    ) throws(LuaError) -> LuaCallResult {
        try call(function(rule, named: name), arguments: arguments.map { .value($0) })
    }

    /// Calls a function under the limits and returns its first result, the call's log and its cost.
    ///
    /// With `traceReturnLine`, a return hook records the line of the function's `return` (for traces such
    /// as "escalated by rules/acme/escalation.lua:12"); it costs one hook call per Lua function return.
    public func call(
        _ function: LuaFunctionHandle,
        arguments: [LuaArgument] = [],
        traceReturnLine: Bool = false
    ) throws(LuaError) -> LuaCallResult {
        try checkOwned(function.sandbox)
        // A handle from before its rule was reloaded names a released reference, which Lua may have reused.
        guard rules[function.rule]?.load == function.load else {
            throw LuaError(
                kind: .invalidArgument, message: "function handle was replaced by a newer load", rule: function.rule)
        }
        argumentBytes.removeAll(keepingCapacity: true)
        for argument in arguments {
            if case .view(let view) = argument {
                try checkOwned(view.sandbox)
                guard liveViews.contains(view.reference) else {
                    throw LuaError(kind: .invalidArgument, message: "view used outside its withView scope")
                }
            }
            LuaValueCodec.encode(argument, into: &argumentBytes)
        }
        logSink.reset()
        var output = parley_output()
        var shimLimits = shimLimits
        shimLimits.trace_return_line = traceReturnLine ? 1 : 0
        let status = argumentBytes.withUnsafeBufferPointer { bytes in
            parley_call(state, &shimLimits, function.reference, bytes.baseAddress, bytes.count, &output)
        }
        guard status == PARLEY_OK else { throw error(status, output, rule: function.rule) }
        let value = try LuaValueCodec.decode(UnsafeRawBufferPointer(start: output.bytes, count: output.length))
        return LuaCallResult(
            value: value,
            log: logSink.lines,
            instructions: output.instructions,
            memoryBytes: output.memory_bytes,
            returnLine: output.return_line > 0 ? Int(output.return_line) : nil
        )
    }

    /// Builds a deeply read-only table from a host value, runs `body` with it and releases it.
    ///
    /// Build a turn's view once and pass it to every rule of the turn: calls then skip the conversion.
    public func withView<R>(_ value: LuaValue, _ body: (LuaView) throws(LuaError) -> R) throws(LuaError) -> R {
        var bytes: [UInt8] = []
        LuaValueCodec.encode(value, into: &bytes)
        var reference: Int32 = -1
        var output = parley_output()
        let status = bytes.withUnsafeBufferPointer { buffer in
            parley_view(state, buffer.baseAddress, buffer.count, &reference, &output)
        }
        guard status == PARLEY_OK else { throw error(status, output, rule: nil) }
        liveViews.insert(reference)
        defer {
            liveViews.remove(reference)
            parley_release(state, reference)
        }
        return try body(LuaView(sandbox: identity, reference: reference))
    }

    /// Calls a function with no arguments, no limits and no result: the benchmark's baseline only.
    package func baselineCall(_ function: LuaFunctionHandle) -> Bool {
        function.sandbox == identity && parley_bare_call(state, function.reference) == 0
    }

    private var shimLimits: parley_limits {
        let deadline = limits.deadlineMilliseconds.multipliedReportingOverflow(by: 1_000_000)
        return parley_limits(
            instructions: limits.instructions,
            deadline_ns: deadline.overflow ? UInt64.max / 2 : min(deadline.partialValue, UInt64.max / 2),
            memory_bytes: limits.effectiveMemoryBytes,
            trace_return_line: 0
        )
    }

    private func checkOwned(_ sandbox: UInt64) throws(LuaError) {
        guard sandbox == identity else {
            throw LuaError(kind: .invalidArgument, message: "handle belongs to another sandbox")
        }
    }

    private func error(_ status: parley_status, _ output: parley_output, rule: String?) -> LuaError {
        let message =
            output.bytes.map {
                String(decoding: UnsafeRawBufferPointer(start: $0, count: output.length), as: UTF8.self)
            }
            ?? ""
        let kind = Self.kind(of: status)
        let text = message.isEmpty && kind == .unavailable ? "sandbox is poisoned or already running a call" : message
        return LuaError(kind: kind, message: text, rule: rule, log: logSink.lines)
    }

    private static func kind(of status: parley_status) -> LuaError.Kind {
        switch status {
        case PARLEY_ERR_SYNTAX: .syntax
        case PARLEY_ERR_INSTRUCTIONS: .instructionLimit
        case PARLEY_ERR_MEMORY: .memoryLimit
        case PARLEY_ERR_DEADLINE: .deadline
        case PARLEY_ERR_RESULT: .invalidResult
        case PARLEY_ERR_ARGUMENT: .invalidArgument
        case PARLEY_ERR_UNDEFINED: .undefinedFunction
        case PARLEY_ERR_BUSY, PARLEY_ERR_POISONED: .unavailable
        default: .runtime
        }
    }

    /// A cache key for resolved functions.
    private struct FunctionKey: Hashable {
        let rule: Int32
        let name: String
    }
}
