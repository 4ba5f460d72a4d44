import Foundation
import LuaSandbox
import ParleyCore
import ParleyRules
import Synchronization

/// Measures the sandbox's hot path: a rule call with a full turn view against a bare lua_pcall.
///
/// Prints µs per call (median of 5 runs), state creation plus rule load, and two-thread throughput.
/// Build and run with `swift build -c release --product lua-bench && .build/release/lua-bench`.
let ruleSource = """
    function on_message(turn)
      if turn.sentiment < -0.5 and turn.bot_failures >= 2 then return "escalate" end
      if turn.intent == "refund" and turn.confidence > 0.9 then return "route:billing" end
      if turn.entities.order_id ~= nil and not turn.business_hours then return "ticket" end
      if turn.visitor.plan == "enterprise" and turn.retrieval_confidence < 0.3 then
        for _, tag in ipairs(turn.tags) do
          if tag == "vip" then return "escalate:vip" end
        end
      end
      return nil
    end

    function trivial() end
    """

let turn: LuaValue = [
    "text": "Hi, my order 1234 never arrived and I want a refund",
    "language": "en",
    "sentiment": -0.2,
    "intent": "refund",
    "confidence": 0.82,
    "entities": ["order_id": "1234", "product": "kettle"],
    "retrieval_confidence": 0.21,
    "state": "bot",
    "message_count": 4,
    "bot_failures": 1,
    "visitor": ["plan": "enterprise", "country": "DE", "returning": true],
    "page_url": "https://shop.example/orders/1234",
    "tags": ["vip", "eu", "mobile"],
    "business_hours": true,
    "channel": "web",
]

/// Wall-clock and thread-CPU nanoseconds per iteration.
struct Timing {
    var wall: Double
    var cpu: Double
}

/// Nanoseconds of CPU time used by the calling thread (robust against other processes on a loaded machine).
func threadCPUNanoseconds() -> UInt64 {
    var spec = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec)
    return UInt64(spec.tv_sec) * 1_000_000_000 + UInt64(spec.tv_nsec)
}

/// Returns the medians of five timed runs of `body`, per iteration.
func medianNanoseconds(iterations: Int, _ body: (Int) -> Void) -> Timing {
    var walls: [Double] = []
    var cpus: [Double] = []
    for _ in 0..<5 {
        let start = DispatchTime.now().uptimeNanoseconds
        let cpuStart = threadCPUNanoseconds()
        body(iterations)
        cpus.append(Double(threadCPUNanoseconds() - cpuStart) / Double(iterations))
        walls.append(Double(DispatchTime.now().uptimeNanoseconds - start) / Double(iterations))
    }
    return Timing(wall: walls.sorted()[2], cpu: cpus.sorted()[2])
}

func format(_ timing: Timing) -> String {
    String(format: "%8.3f µs wall, %8.3f µs thread CPU", timing.wall / 1000, timing.cpu / 1000)
}

func run() throws {
    let sandbox = try LuaSandbox()
    let rule = try sandbox.load(name: "rules/bench/escalation.lua", source: ruleSource)
    let onMessage = try sandbox.function(rule, named: "on_message")
    let trivial = try sandbox.function(rule, named: "trivial")
    let iterations = 200_000

    let bare = medianNanoseconds(iterations: iterations) { count in
        for _ in 0..<count where !sandbox.baselineCall(trivial) {
            fatalError("baseline call failed")
        }
    }
    var decision: LuaValue = .nil
    let withView = try sandbox.withView(turn) { view throws(LuaError) in
        let arguments: [LuaArgument] = [.view(view)]
        decision = try sandbox.call(onMessage, arguments: arguments).value
        return medianNanoseconds(iterations: iterations) { count in
            for _ in 0..<count {
                _ = try? sandbox.call(onMessage, arguments: arguments)
            }
        }
    }
    let traced = try sandbox.withView(turn) { view throws(LuaError) in
        let arguments: [LuaArgument] = [.view(view)]
        return medianNanoseconds(iterations: iterations) { count in
            for _ in 0..<count {
                _ = try? sandbox.call(onMessage, arguments: arguments, traceReturnLine: true)
            }
        }
    }
    let perTurn = medianNanoseconds(iterations: iterations / 10) { count in
        for _ in 0..<count {
            _ = try? sandbox.withView(turn) { view throws(LuaError) in
                try sandbox.call(onMessage, arguments: [.view(view)])
            }
        }
    }
    let creation = medianNanoseconds(iterations: 200) { count in
        for _ in 0..<count {
            guard let fresh = try? LuaSandbox(), (try? fresh.load(name: "r.lua", source: ruleSource)) != nil else {
                fatalError("state creation failed")
            }
        }
    }
    print("decision: \(decision); medians of 5 runs")
    print("bare lua_pcall of trivial function:        \(format(bare)) per call")
    print("on_message(turn), prebuilt read-only view: \(format(withView)) per call")
    print("same, with traceReturnLine:                \(format(traced)) per call")
    print("build turn view + on_message(turn):        \(format(perTurn)) per turn")
    print("state creation + rule load:                \(format(creation))")
    print("rules engine, one API v1 rule per turn:    \(format(try engineTurn())) per turn")
    try throughput(seconds: 2)
}

/// The same rule through `RuleEngine` as the rules stage runs it: JSON view converted, pooled state checked out,
/// return line traced, decision validated, metrics recorded.
func engineTurn() throws -> Timing {
    let source = """
        function on_message(turn)
          if (turn.sentiment or 0) < -0.5 and turn.bot_failures >= 2 then return { escalate = {} } end
          if turn.intent == "refund" and (turn.intent_confidence or 0) > 0.9 then
            return { escalate = { skill = "billing" } }
          end
          for _, entity in ipairs(turn.entities) do
            if entity.type == "order_number" and not turn.business_hours then return { tag = "ticket" } end
          end
          if turn.visitor.attributes.plan == "enterprise" and (turn.retrieval_confidence or 1) < 0.3 then
            for _, tag in ipairs(turn.tags) do
              if tag == "vip" then return { escalate = { skill = "vip", priority = 3 } } end
            end
          end
          return nil
        end
        """
    guard let name = RuleName("bench") else { fatalError("invalid rule name") }
    let program = RuleProgram(name: name, version: 1, source: source)
    let view = try TurnView.filled([
        "text": "Hi, my order 1234 never arrived and I want a refund", "sentiment": -0.2, "intent": "refund",
        "intent_confidence": 0.82, "entities": [["type": "order_number", "value": "1234"]],
        "retrieval_confidence": 0.21, "message_count": 4, "bot_failures": 1,
        "visitor": ["id": "v-1", "attributes": ["plan": "enterprise", "country": "DE"]],
        "page_url": "https://shop.example/orders/1234", "tags": ["eu", "mobile", "vip"], "business_hours": true,
    ])
    let engine = RuleEngine()
    let first = engine.runMessageRules([program], view: view, tenant: "bench")
    guard first.runs.first?.failure == nil else { fatalError("bench rule failed: \(String(describing: first.runs))") }
    return medianNanoseconds(iterations: 50_000) { count in
        for _ in 0..<count { _ = engine.runMessageRules([program], view: view, tenant: "bench") }
    }
}

/// Runs two threads, each with its own sandbox, for a fixed time and prints calls per second.
func throughput(seconds: Double) throws {
    let calls = Atomic<Int>(0)
    let group = DispatchGroup()
    for _ in 0..<2 {
        group.enter()
        Thread.detachNewThread {
            defer { group.leave() }
            guard
                let sandbox = try? LuaSandbox(),
                let rule = try? sandbox.load(name: "rules/bench/escalation.lua", source: ruleSource),
                let function = try? sandbox.function(rule, named: "on_message")
            else { return }
            let end = DispatchTime.now().uptimeNanoseconds + UInt64(seconds * 1e9)
            var count = 0
            _ = try? sandbox.withView(turn) { view throws(LuaError) in
                while DispatchTime.now().uptimeNanoseconds < end {
                    for _ in 0..<1000 {
                        _ = try sandbox.call(function, arguments: [.view(view)])
                    }
                    count += 1000
                }
            }
            calls.add(count, ordering: .relaxed)
        }
    }
    group.wait()
    let perSecond = Double(calls.load(ordering: .relaxed)) / seconds
    print(String(format: "throughput, 2 threads (one state each):   %.0f calls/s", perSecond))
}

try run()
