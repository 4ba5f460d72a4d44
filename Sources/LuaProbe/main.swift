import Foundation
import LuaSandbox

/// Runs one Lua script in the sandbox and prints a one-line JSON verdict; always exits 0 unless the host dies.
///
/// Usage: `lua-probe [--instructions N] [--memory BYTES] [--deadline-ms N] [--call FUNCTION] [FILE]`.
/// The script is read from FILE or stdin and loaded as rule `probe.lua`; with `--call`, the function it
/// defines is then called once. Hostile scripts are run here, in a child process, by the escape tests.
struct ProbeOptions {
    var limits = LuaLimits.default
    var function: String?
    var path: String?

    init(arguments: [String]) {
        var iterator = arguments.makeIterator()
        while let argument = iterator.next() {
            switch argument {
            case "--instructions": limits.instructions = iterator.next().flatMap { UInt64($0) } ?? limits.instructions
            case "--memory": limits.memoryBytes = iterator.next().flatMap { Int($0) } ?? limits.memoryBytes
            case "--deadline-ms":
                limits.deadlineMilliseconds = iterator.next().flatMap { UInt64($0) } ?? limits.deadlineMilliseconds
            case "--call": function = iterator.next()
            default: path = argument
            }
        }
    }
}

/// Serializes the verdict as a single JSON line.
func report(status: String, kind: String?, message: String?, line: Int?, log: [String], value: String?) -> String {
    var object: [String: Any] = ["status": status, "log": log]
    object["kind"] = kind ?? NSNull()
    object["message"] = message ?? NSNull()
    object["line"] = line ?? NSNull()
    object["value"] = value ?? NSNull()
    guard
        let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]),
        let text = String(data: data, encoding: .utf8)
    else { return #"{"status":"error","kind":"probe","message":"cannot encode report"}"# }
    return text
}

let options = ProbeOptions(arguments: Array(CommandLine.arguments.dropFirst()))
let sourceData =
    options.path.map { FileManager.default.contents(atPath: $0) ?? Data() }
    ?? FileHandle.standardInput.readDataToEndOfFile()
let source = String(decoding: sourceData, as: UTF8.self)

do {
    let sandbox = try LuaSandbox(limits: options.limits)
    let rule = try sandbox.load(name: "probe.lua", source: source)
    var value: LuaValue = .nil
    var log = sandbox.log
    if let function = options.function {
        let result = try sandbox.call(rule, function: function)
        value = result.value
        log = result.log
    }
    print(report(status: "ok", kind: nil, message: nil, line: nil, log: log, value: String(describing: value)))
} catch {
    print(
        report(
            status: "error",
            kind: error.kind.rawValue,
            message: error.message,
            line: error.line,
            log: error.log,
            value: nil
        )
    )
}
