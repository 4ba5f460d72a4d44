import Testing

@testable import ParleyAI

@Suite struct ProviderErrorTests {
    @Test func excerptsTheOpenAIErrorMessage() {
        let body = #"{"error":{"message":"The server had an error","type":"server_error","param":null,"code":null}}"#
        #expect(ErrorExcerpt.make(from: Array(body.utf8), secret: nil) == "server_error: The server had an error")
    }

    @Test func scrubsTheKeyAndKeyShapedWords() {
        let body =
            #"{"error":{"message":"Incorrect API key provided: sk-test-Zx81****ab. Also sk-test-Zx81bQ2mN4pL7vR0kT5sW9yC3dF6hJ1a","code":"invalid_api_key"}}"#
        let excerpt = ErrorExcerpt.make(from: Array(body.utf8), secret: testAPIKey)
        #expect(!excerpt.contains("Zx81"))
        #expect(excerpt.hasPrefix("invalid_api_key: Incorrect API key provided: [redacted]"))
    }

    @Test func truncatesLongBodies() {
        let excerpt = ErrorExcerpt.make(from: Array(String(repeating: "<html> ", count: 500).utf8), secret: nil)
        #expect(excerpt.count <= ErrorExcerpt.maximumLength + 1)
    }

    @Test func classifiesRetryableAndProviderFaults() {
        #expect(ProviderError.http(status: 503, retryAfter: nil, bodyExcerpt: "").isRetryable)
        #expect(!ProviderError.http(status: 400, retryAfter: nil, bodyExcerpt: "").isRetryable)
        #expect(!ProviderError.http(status: 400, retryAfter: nil, bodyExcerpt: "").isProviderFault)
        #expect(ProviderError.rateLimited(retryAfter: .seconds(1), bodyExcerpt: "").isRetryable)
        #expect(!ProviderError.cancelled.isProviderFault)
        #expect(ProviderError.firstTokenTimeout(.seconds(1)).isProviderFault)
        #expect(!ProviderError.firstTokenTimeout(.seconds(1)).isRetryable)
    }

    @Test func describesErrorsReadably() {
        let error = ProviderError.rateLimited(retryAfter: .milliseconds(1500), bodyExcerpt: "slow down")
        #expect("\(error)" == "provider rate limit (HTTP 429), retry after 1.5s: slow down")
        #expect("\(ProviderError.deadlineExceeded(.seconds(3)))" == "no answer within the 3s budget")
    }
}
