import ArgumentParser
import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Drives a server with `wrk` (Debian package `wrk`) on loopback and reads its figures; opens the visitor sessions
/// the message scripts post to.
struct Wrk {
    /// Concurrent connections.
    var connections: Int

    /// One wrk run's figures.
    struct Result {
        var requestsPerSecond: Double
        var p50Milliseconds: Double
        var p99Milliseconds: Double
        var errors: Int
        /// Requests completed during the run.
        var requests: Int
    }

    /// Drives `url` for `seconds` with one thread and `connections` connections, through `script` if given.
    func run(_ url: String, script: String?, seconds: Int) throws -> Result {
        let (status, output) = try Subprocess.run(
            ["wrk", "-t1", "-c\(connections)", "-d\(seconds)s", "--latency"] + (script.map { ["-s", $0] } ?? []) + [url]
        )
        guard status == 0, let rate = Self.value(after: "Requests/sec:", in: output) else {
            throw ValidationError("wrk failed (install it with apt-get install wrk):\n\(output)")
        }
        let non2xx = Int(Self.value(after: "Non-2xx or 3xx responses:", in: output) ?? 0)
        // "  123456 requests in 5.00s, 12.34MB read"
        let completed = output.split(separator: "\n").first { $0.contains(" requests in ") }
            .flatMap { $0.split(separator: " ").first }.flatMap { Int($0) }
        return Result(
            requestsPerSecond: rate, p50Milliseconds: Self.latency(after: "50%", in: output),
            p99Milliseconds: Self.latency(after: "99%", in: output), errors: non2xx,
            requests: completed ?? Int(rate * Double(seconds)))
    }

    private static func value(after label: String, in output: String) -> Double? {
        guard let line = output.split(separator: "\n").first(where: { $0.contains(label) }) else { return nil }
        return Double(line.replacingOccurrences(of: label, with: "").trimmingCharacters(in: .whitespaces))
    }

    /// A wrk latency percentile line such as `99%   12.34ms`, in milliseconds.
    private static func latency(after label: String, in output: String) -> Double {
        guard
            let line = output.split(separator: "\n").first(where: {
                $0.trimmingCharacters(in: .whitespaces).hasPrefix(label)
            })
        else { return 0 }
        let text = line.split(separator: " ").last.map(String.init) ?? ""
        let units: [(String, Double)] = [("us", 0.001), ("ms", 1), ("s", 1_000)]
        for (suffix, scale) in units where text.hasSuffix(suffix) {
            return (Double(text.dropLast(suffix.count)) ?? 0) * scale
        }
        return 0
    }

    /// A wrk script that posts a new message, with a unique client id, to a random conversation per request.
    static func messageScript(_ sessions: [(token: String, conversation: String)]) -> String {
        let entries = sessions.map { "{\"\($0.token)\",\"\($0.conversation)\"}" }.joined(separator: ",\n")
        return """
            local sessions = {
            \(entries)
            }
            local counter = 0
            math.randomseed(os.time())
            local prefix = tostring(math.random(1, 1000000000))
            request = function()
              counter = counter + 1
              local s = sessions[math.random(1, #sessions)]
              local body = '{"conversation_id":"' .. s[2] .. '","client_message_id":"' .. prefix .. '-' .. counter ..
                '","text":"What are your opening hours on Sunday?"}'
              return wrk.format("POST", nil, {["Content-Type"] = "application/json",
                ["Authorization"] = "Bearer " .. s[1]}, body)
            end
            """
    }

    /// Waits until the server at `base` answers its liveness probe.
    static func waitUntilUp(_ base: String) async throws {
        for _ in 0..<100 {
            if let (_, response) = try? await URLSession.shared.data(from: URL(string: base + "/health/live")!),
                (response as? HTTPURLResponse)?.statusCode == 200
            {
                return
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw ValidationError("the benchmark server at \(base) did not start")
    }

    /// Opens a visitor session on the widget key; returns its token and conversation.
    static func openSession(_ base: String, widgetKey: String) async throws -> (token: String, conversation: String) {
        var request = URLRequest(url: URL(string: base + "/api/widget/session")!)
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.setValue("http://localhost", forHTTPHeaderField: "Origin")
        request.httpBody = try JSONSerialization.data(withJSONObject: ["widget_key": widgetKey])
        let (data, _) = try await URLSession.shared.data(for: request)
        let object = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        guard let token = object?["visitor_token"] as? String, let conversation = object?["conversation_id"] as? String
        else { throw ValidationError("could not open a visitor session: \(String(decoding: data, as: UTF8.self))") }
        return (token, conversation)
    }
}
