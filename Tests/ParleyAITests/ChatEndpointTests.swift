import Testing

@testable import ParleyAI

@Suite struct ChatEndpointTests {
    @Test(arguments: [
        ("http://localhost:11434", "http://localhost:11434/v1/chat/completions"),
        ("http://localhost:11434/", "http://localhost:11434/v1/chat/completions"),
        ("http://localhost:11434/v1", "http://localhost:11434/v1/chat/completions"),
        ("http://localhost:11434/v1//", "http://localhost:11434/v1/chat/completions"),
        ("https://api.openai.com/v1", "https://api.openai.com/v1/chat/completions"),
        ("https://api.groq.com/openai/v1", "https://api.groq.com/openai/v1/chat/completions"),
        ("https://gw.example/v1beta/openai", "https://gw.example/v1beta/openai/v1/chat/completions"),
        ("http://litellm:4000/proxy", "http://litellm:4000/proxy/v1/chat/completions"),
        ("http://h/v1/chat/completions", "http://h/v1/chat/completions"),
        ("HTTP://h:8000/v1?team=a", "http://h:8000/v1/chat/completions?team=a"),
    ])
    func joinsTheChatCompletionsPath(base: String, expected: String) throws {
        #expect(try ChatEndpoint.openAICompatible(baseURL: base, apiKey: nil).url == expected)
    }

    @Test func sendsBearerKeyOnlyWhenGiven() throws {
        let keyed = try ChatEndpoint.openAICompatible(baseURL: "http://h", apiKey: "sk-1")
        #expect(keyed.headers.map(\.name) == ["Authorization"])
        #expect(keyed.headers.first?.value == "Bearer sk-1")
        #expect(try ChatEndpoint.openAICompatible(baseURL: "http://h", apiKey: "").headers.isEmpty)
        #expect(!"\(keyed)".contains("sk-1"))
    }

    @Test func buildsAzureDeploymentURL() throws {
        let endpoint = try ChatEndpoint.azureOpenAI(
            endpoint: "https://res.openai.azure.com/", deployment: "gpt 4o", apiVersion: "2024-10-21", apiKey: "k")
        #expect(
            endpoint.url
                == "https://res.openai.azure.com/openai/deployments/gpt%204o/chat/completions?api-version=2024-10-21")
        #expect(endpoint.headers.map(\.name) == ["api-key"])
    }

    @Test(arguments: ["localhost:8080", "ftp://h", "http://", "http://user:pw@h/v1"])
    func rejectsBadBaseURLs(base: String) {
        #expect(throws: ChatEndpoint.InvalidURL.self) { try ChatEndpoint.openAICompatible(baseURL: base, apiKey: nil) }
    }
}
