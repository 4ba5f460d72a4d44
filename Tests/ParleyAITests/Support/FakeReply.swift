import Foundation

/// One scripted answer of ``FakeOpenAIServer``: a status, headers and body pieces with pauses between them.
struct FakeReply: Sendable {
    /// One step of writing the response body.
    enum Step: Sendable {
        /// Writes this text as one body piece (one network write).
        case send(String)
        /// Waits before the next step.
        case sleep(Duration)
        /// Closes the connection without finishing the response (a truncated body).
        case abort
        /// Waits until the gate opens before the next step.
        case wait(FakeGate)
    }

    var status = 200
    var headers: [(String, String)] = []
    /// Waits this long before even sending the response head; `nil` never answers (a hung server).
    var headDelay: Duration? = .zero
    var steps: [Step] = []

    /// A non-streaming `chat.completion` exactly as OpenAI sends it.
    static func completion(
        _ text: String, promptTokens: Int = 9, completionTokens: Int = 12, finishReason: String = "stop",
        delay: Duration = .zero
    ) -> FakeReply {
        let body = """
            {"id":"chatcmpl-B9MHDbslfkBeAs8l4bebGdFOJ6PeG","object":"chat.completion","created":1741570283,\
            "model":"gpt-4o-mini-2024-07-18","choices":[{"index":0,"message":{"role":"assistant",\
            "content":\(jsonString(text)),"refusal":null,"annotations":[]},"logprobs":null,\
            "finish_reason":"\(finishReason)"}],"usage":{"prompt_tokens":\(promptTokens),\
            "completion_tokens":\(completionTokens),"total_tokens":\(promptTokens + completionTokens),\
            "prompt_tokens_details":{"cached_tokens":0,"audio_tokens":0},"completion_tokens_details":\
            {"reasoning_tokens":0,"audio_tokens":0,"accepted_prediction_tokens":0,\
            "rejected_prediction_tokens":0}},"service_tier":"default","system_fingerprint":"fp_06737a9306"}
            """
        return FakeReply(
            headers: [("Content-Type", "application/json")], headDelay: delay, steps: [.send(body)])
    }

    /// A streamed completion exactly as OpenAI sends it with `stream_options.include_usage`: a role chunk, one
    /// chunk per token, a finish chunk, a usage chunk with empty `choices`, then `data: [DONE]`.
    ///
    /// - Parameters:
    ///   - firstTokenDelay: pause after the head and the role chunk, before the first token.
    ///   - abortAfterTokens: close the connection after this many tokens (a truncated stream). The close waits
    ///     `abortDelay` so that the tokens reach the client first: AsyncHTTPClient drops body bytes that arrive in
    ///     the same read as the connection's end.
    ///   - gate: a gate to wait at before the second token (after the first one was sent).
    ///   - done: whether to send the finish chunk, the usage chunk and `[DONE]`.
    static func stream(
        _ tokens: [String], promptTokens: Int = 9, completionTokens: Int? = nil, includeUsage: Bool = true,
        firstTokenDelay: Duration = .zero, interTokenDelay: Duration = .zero, abortAfterTokens: Int? = nil,
        abortDelay: Duration = .milliseconds(100), gate: FakeGate? = nil,
        done: Bool = true, lineEnding: String = "\n"
    ) -> FakeReply {
        let prefix =
            #"{"id":"chatcmpl-123","object":"chat.completion.chunk","created":1694268190,"#
            + #""model":"gpt-4o-mini","system_fingerprint":"fp_44709d6fcb","#
        func event(_ json: String) -> String { "data: \(json)\(lineEnding)\(lineEnding)" }
        func choice(_ delta: String, _ finish: String) -> String {
            prefix + #""choices":[{"index":0,"delta":"# + delta + #","logprobs":null,"finish_reason":"#
                + finish + "}]" + (includeUsage ? #","usage":null}"# : "}")
        }
        var steps: [Step] = [.send(event(choice(#"{"role":"assistant","content":"","refusal":null}"#, "null")))]
        if firstTokenDelay > .zero { steps.append(.sleep(firstTokenDelay)) }
        for (index, token) in tokens.enumerated() {
            if let abortAfterTokens, index == abortAfterTokens {
                steps += [.sleep(abortDelay), .abort]
                return FakeReply(headers: Self.eventStreamHeaders, steps: steps)
            }
            if index > 0, interTokenDelay > .zero { steps.append(.sleep(interTokenDelay)) }
            if index == 1, let gate { steps.append(.wait(gate)) }
            steps.append(.send(event(choice(#"{"content":\#(jsonString(token))}"#, "null"))))
        }
        if let abortAfterTokens, abortAfterTokens >= tokens.count {
            steps += [.sleep(abortDelay), .abort]
            return FakeReply(headers: Self.eventStreamHeaders, steps: steps)
        }
        guard done else { return FakeReply(headers: Self.eventStreamHeaders, steps: steps) }
        steps.append(.send(event(choice("{}", #""stop""#))))
        if includeUsage {
            let completion = completionTokens ?? tokens.count
            steps.append(
                .send(
                    event(
                        prefix + #""choices":[],"usage":{"prompt_tokens":\#(promptTokens),"#
                            + #""completion_tokens":\#(completion),"total_tokens":\#(promptTokens + completion)}}"#)))
        }
        steps.append(.send("data: [DONE]\(lineEnding)\(lineEnding)"))
        return FakeReply(headers: Self.eventStreamHeaders, steps: steps)
    }

    /// An OpenAI-style error: `{"error": {"message", "type", "param", "code"}}`.
    static func error(
        status: Int, message: String, type: String = "server_error", code: String? = nil,
        headers: [(String, String)] = []
    ) -> FakeReply {
        let codeJSON = code.map(jsonString) ?? "null"
        let body = """
            {"error":{"message":\(jsonString(message)),"type":"\(type)","param":null,"code":\(codeJSON)}}
            """
        return FakeReply(
            status: status, headers: [("Content-Type", "application/json")] + headers, steps: [.send(body)])
    }

    /// Any body with any content type.
    static func raw(status: Int = 200, contentType: String, _ body: String) -> FakeReply {
        FakeReply(status: status, headers: [("Content-Type", contentType)], steps: [.send(body)])
    }

    /// A server that accepts the request and never answers.
    static let hang = FakeReply(headDelay: nil)

    static let eventStreamHeaders = [
        ("Content-Type", "text/event-stream; charset=utf-8"), ("Cache-Control", "no-cache"),
    ]

    private static func jsonString(_ text: String) -> String {
        String(decoding: try! JSONEncoder().encode(text), as: UTF8.self)
    }
}
