import AsyncHTTPClient
import Testing

@testable import ParleyAI

@Suite struct OpenAICompatibleProviderTests {
    @Test func completesWithUsageAndSendsTheRightRequest() async throws {
        try await withFakeServer { server, client in
            server.enqueue(.completion("Hi! How can I help?", promptTokens: 19, completionTokens: 6))
            let request = ChatRequest(messages: hello.messages, temperature: 0.2, maxTokens: 64)
            let response = try await provider(server, client).complete(request)
            #expect(response.text == "Hi! How can I help?")
            #expect(response.finishReason == .stop)
            #expect(response.usage == TokenUsage(promptTokens: 19, completionTokens: 6))
            #expect(response.model == "gpt-4o-mini-2024-07-18")

            let sent = try #require(server.received.first)
            #expect(sent.method == "POST")
            #expect(sent.uri == "/v1/chat/completions")
            #expect(sent.header("Authorization") == "Bearer \(testAPIKey)")
            #expect(sent.header("Content-Type") == "application/json")
            let json = sent.json
            #expect(json["model"] as? String == "gpt-4o-mini")
            #expect(json["temperature"] as? Double == 0.2)
            #expect(json["max_tokens"] as? Int == 64)
            #expect(json["stream"] as? Bool == false)
            #expect(json["stream_options"] == nil)
            let messages = try #require(json["messages"] as? [[String: String]])
            #expect(
                messages == [["role": "system", "content": "You are Parley."], ["role": "user", "content": "Hello?"]])
        }
    }

    @Test func streamsDeltasInOrderThenFinishAndUsage() async throws {
        try await withFakeServer { server, client in
            server.enqueue(
                .stream(["Hel", "lo", ", wor", "ld!"], promptTokens: 11, interTokenDelay: .milliseconds(20)))
            let (events, error) = await drain(try provider(server, client).stream(hello))
            #expect(error == nil)
            #expect(
                events == [
                    .delta("Hel"), .delta("lo"), .delta(", wor"), .delta("ld!"), .finish(.stop),
                    .usage(TokenUsage(promptTokens: 11, completionTokens: 4)),
                ])
            let json = try #require(server.received.first).json
            #expect(json["stream"] as? Bool == true)
            #expect((json["stream_options"] as? [String: Bool]) == ["include_usage": true])
            #expect(server.received.first?.header("Accept") == "text/event-stream")
        }
    }

    @Test func yieldsEachDeltaBeforeTheNextChunkArrives() async throws {
        try await withFakeServer { server, client in
            // The server holds the second token back until the gate opens, so no timing is involved.
            let gate = FakeGate()
            server.enqueue(.stream(["first", "second"], gate: gate))
            var iterator = try provider(server, client).stream(hello).makeAsyncIterator()
            let first = try await iterator.next()
            #expect(!gate.isOpen, "the first delta waited for the rest of the body")
            #expect(first == .delta("first"))
            gate.open()
            #expect(try await iterator.next() == .delta("second"))
        }
    }

    @Test func parsesCRLFCommentsAndMultiLineDataOffTheWire() async throws {
        try await withFakeServer { server, client in
            let body = [
                ": OPENROUTER PROCESSING\r\n\r\n",
                "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"A\"},\r\ndata: \"finish_reason\":null}]}\r\n\r",
                "\n",
                "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"B\"},\"finish_reason\":\"length\"}]}\r\n\r\n",
                "data: [DONE]\r\n\r\n",
            ]
            server.enqueue(FakeReply(headers: FakeReply.eventStreamHeaders, steps: body.map { .send($0) }))
            let (events, error) = await drain(try provider(server, client).stream(hello))
            #expect(error == nil)
            #expect(events == [.delta("A"), .delta("B"), .finish(.length)])
        }
    }

    @Test func estimatesUsageWhenTheStreamOmitsIt() async throws {
        try await withFakeServer { server, client in
            server.enqueue(.stream(["Hello", " there"], includeUsage: false))
            var meter = TokenMeter(request: hello)
            for try await event in try provider(server, client).stream(hello) { meter.record(event) }
            #expect(meter.text == "Hello there")
            #expect(meter.usage.isEstimated)
            #expect(meter.usage.completionTokens == TokenEstimator.tokens(in: "Hello there"))
        }
    }

    @Test func reportsMalformedJSON() async throws {
        try await withFakeServer { server, client in
            server.enqueue(
                .raw(contentType: "application/json", #"{"id":"x","choices":[{"message":"#),
                FakeReply(headers: FakeReply.eventStreamHeaders, steps: [.send("data: {not json}\n\n")]))
            let provider = try provider(server, client)
            await #expect(throws: ProviderError.malformedResponse("response is not a chat.completion object")) {
                try await provider.complete(hello)
            }
            let (_, error) = await drain(provider.stream(hello))
            #expect(error == .malformedResponse("stream chunk is not a chat.completion.chunk"))
        }
    }

    @Test func reportsAStreamCutMidwayAsTruncated() async throws {
        try await withFakeServer { server, client in
            server.enqueue(.stream(["Hel", "lo", " world"], abortAfterTokens: 2), .stream(["Hel", "lo"], done: false))
            let provider = try provider(server, client)
            let (cut, cutError) = await drain(provider.stream(hello))
            #expect(text(of: cut) == "Hello")
            #expect(cutError == .truncatedStream)
            // A body that ends cleanly but without [DONE] or a finish reason is truncated too.
            let (unfinished, unfinishedError) = await drain(provider.stream(hello))
            #expect(text(of: unfinished) == "Hello")
            #expect(unfinishedError == .truncatedStream)
        }
    }

    @Test func reportsMidStreamErrors() async throws {
        try await withFakeServer { server, client in
            let body = [
                "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"A\"},\"finish_reason\":null}]}\n\n",
                "data: {\"error\":{\"message\":\"model overloaded\",\"type\":\"server_error\"}}\n\n",
            ]
            server.enqueue(FakeReply(headers: FakeReply.eventStreamHeaders, steps: body.map { .send($0) }))
            let (events, error) = await drain(try provider(server, client).stream(hello))
            #expect(events == [.delta("A")])
            #expect(error == .streamError("server_error: model overloaded"))
        }
    }

    @Test func mapsErrorStatusesWithExcerpts() async throws {
        try await withFakeServer { server, client in
            server.enqueue(
                .error(status: 500, message: "The server had an error while processing your request."),
                .error(
                    status: 429, message: "Rate limit reached for gpt-4o-mini", type: "requests",
                    code: "rate_limit_exceeded", headers: [("Retry-After", "7")]),
                .error(status: 400, message: "max_tokens is too large", type: "invalid_request_error"))
            let provider = try provider(server, client)
            await #expect(
                throws: ProviderError.http(
                    status: 500, retryAfter: nil,
                    bodyExcerpt: "server_error: The server had an error while processing your request.")
            ) { try await provider.complete(hello) }
            let (_, rateLimited) = await drain(provider.stream(hello))
            #expect(
                rateLimited
                    == .rateLimited(
                        retryAfter: .seconds(7), bodyExcerpt: "rate_limit_exceeded: Rate limit reached for gpt-4o-mini")
            )
            await #expect(
                throws: ProviderError.http(
                    status: 400, retryAfter: nil, bodyExcerpt: "invalid_request_error: max_tokens is too large")
            ) { try await provider.complete(hello) }
        }
    }

    @Test func neverPutsTheKeyInErrors() async throws {
        try await withFakeServer { server, client in
            let echo = "Incorrect API key provided: \(testAPIKey). You can find your API key at platform.openai.com."
            server.enqueue(
                .error(status: 401, message: echo, type: "invalid_request_error", code: "invalid_api_key"),
                .raw(status: 502, contentType: "text/plain", "upstream rejected Bearer \(testAPIKey)"),
                FakeReply(
                    headers: FakeReply.eventStreamHeaders,
                    steps: [.send("event: error\ndata: bad key \(testAPIKey)\n\n")]))
            let provider = try provider(server, client)
            var descriptions: [String] = []
            for _ in 0..<2 {
                do {
                    _ = try await provider.complete(hello)
                } catch {
                    descriptions.append("\(error)")
                }
            }
            let (_, streamError) = await drain(provider.stream(hello))
            descriptions.append("\(streamError.map { "\($0)" } ?? "")")
            #expect(descriptions.count == 3)
            for description in descriptions {
                #expect(!description.contains(testAPIKey))
                #expect(!description.contains("Zx81bQ2m"))
            }
            #expect(
                descriptions[0].hasPrefix("provider answered HTTP 401: invalid_api_key: Incorrect API key provided"))
            #expect(server.received.allSatisfy { $0.header("Authorization") == "Bearer \(testAPIKey)" })
        }
    }

    @Test func acceptsAJSONAnswerToAStreamRequest() async throws {
        try await withFakeServer { server, client in
            server.enqueue(.completion("Whole answer", promptTokens: 5, completionTokens: 2))
            let (events, error) = await drain(try provider(server, client).stream(hello))
            #expect(error == nil)
            #expect(
                events == [
                    .delta("Whole answer"), .finish(.stop), .usage(TokenUsage(promptTokens: 5, completionTokens: 2)),
                ])
        }
    }

    @Test(arguments: ["", "/", "/v1/"])
    func reachesTheSamePathFromAnyBaseURLForm(path: String) async throws {
        try await withFakeServer { server, client in
            server.enqueue(.completion("ok"))
            _ = try await provider(server, client, path: path).complete(hello)
            #expect(server.received.first?.uri == "/v1/chat/completions")
        }
    }

    @Test func talksToAzureDeployments() async throws {
        try await withFakeServer { server, client in
            server.enqueue(.completion("from azure"), .stream(["az", "ure"]))
            let azure = try AzureOpenAIProvider(
                endpoint: server.baseURL, deployment: "gpt-4o-prod", apiVersion: "2024-10-21", apiKey: testAPIKey,
                httpClient: client)
            #expect(try await azure.complete(hello).text == "from azure")
            let (events, _) = await drain(azure.stream(hello))
            #expect(text(of: events) == "azure")
            for request in server.received {
                #expect(request.uri == "/openai/deployments/gpt-4o-prod/chat/completions?api-version=2024-10-21")
                #expect(request.header("api-key") == testAPIKey)
                #expect(request.header("Authorization") == nil)
                #expect(request.json["model"] == nil)
            }
        }
    }

    @Test func reportsReadTimeouts() async throws {
        let timeouts = ProviderTimeouts(connect: .seconds(1), read: .milliseconds(300))
        try await withFakeServer(timeouts: timeouts) { server, client in
            server.enqueue(.stream(["late"], firstTokenDelay: .seconds(30)))
            let ((_, error), elapsed) = await timed { await drain(try! provider(server, client).stream(hello)) }
            #expect(error == .timeout(.read))
            #expect(elapsed >= .milliseconds(300))
            #expect(elapsed < .seconds(15))
        }
    }

    @Test func reportsRefusedConnections() async throws {
        let refusing = try RefusingPort()
        let client = ProviderTimeouts().makeHTTPClient()
        let provider = try? OpenAICompatibleProvider(
            baseURL: "http://127.0.0.1:\(refusing.port)", httpClient: client)
        await #expect {
            try await provider?.complete(hello)
        } throws: { error in
            guard case .connection = error as? ProviderError else { return false }
            return true
        }
        try await client.shutdown()
        withExtendedLifetime(refusing) {}
    }
}
